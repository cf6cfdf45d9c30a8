import { useEffect, useState, type FormEvent } from 'react';
import type { Me } from '../../contract/api.js';
import { api } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { Field, useRequest } from '../pages/pipeline-form.js';

type MappedRole = 'admin' | 'staff' | 'viewer' | 'worker';
interface Settings {
  requireTwoFactorForAdmins: boolean;
  ssoRedirectUri: string | null;
  sso: {
    issuer: string;
    clientId: string;
    clientSecretSet: boolean;
    emailDomains: string[];
    roleClaim: string;
    roleMappings: { value: string; role: MappedRole }[];
    defaultRole: MappedRole | null;
    enabled: boolean;
  } | null;
}

const ROLES: MappedRole[] = ['admin', 'staff', 'viewer', 'worker'];

/** Administration → Sign-in: two-factor for administrators, and the organization's single sign-on (OIDC). */
export function SignInSettings({ me }: { me: Me }) {
  const { lang, t } = useI18n();
  const [organizations, setOrganizations] = useState<{ id: string; name: string }[]>([]);
  const [orgId, setOrgId] = useState(me.organization?.id ?? '');
  const [settings, setSettings] = useState<Settings | null>(null);
  const [requireTwoFactor, setRequireTwoFactor] = useState(false);
  const [ssoOn, setSsoOn] = useState(false);
  const [issuer, setIssuer] = useState('');
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [domains, setDomains] = useState('');
  const [roleClaim, setRoleClaim] = useState('groups');
  const [mappings, setMappings] = useState('');
  const [defaultRole, setDefaultRole] = useState<MappedRole | ''>('');
  const [saved, setSaved] = useState(false);
  const request = useRequest();

  useEffect(() => {
    if (me.organization) return;
    void api<{ items: { id: string; name: string }[] }>('GET', '/api/organizations').then((r) => {
      setOrganizations(r.items);
      setOrgId((current) => current || r.items[0]?.id || '');
    });
  }, [me.organization]);

  useEffect(() => {
    if (!orgId) return;
    setSaved(false);
    void api<Settings>('GET', `/api/organizations/${orgId}/sign-in`).then(show);
  }, [orgId]);

  function show(s: Settings) {
    setSettings(s);
    setRequireTwoFactor(s.requireTwoFactorForAdmins);
    setSsoOn(!!s.sso?.enabled);
    setIssuer(s.sso?.issuer ?? '');
    setClientId(s.sso?.clientId ?? '');
    setClientSecret('');
    setDomains(s.sso?.emailDomains.join(', ') ?? '');
    setRoleClaim(s.sso?.roleClaim ?? 'groups');
    setMappings(s.sso?.roleMappings.map((m) => `${m.value} = ${m.role}`).join('\n') ?? '');
    setDefaultRole(s.sso?.defaultRole ?? '');
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const configured = ssoOn || issuer.trim() !== '';
    const body = {
      requireTwoFactorForAdmins: requireTwoFactor,
      sso: configured
        ? {
            issuer: issuer.trim(),
            clientId: clientId.trim(),
            ...(clientSecret ? { clientSecret } : {}),
            emailDomains: domains
              .split(/[,\s]+/)
              .map((d) => d.trim())
              .filter(Boolean),
            roleClaim: roleClaim.trim() || 'groups',
            roleMappings: mappings
              .split('\n')
              .map((line) => line.split('='))
              .filter((parts) => parts.length === 2 && parts[0]!.trim())
              .map(([value, role]) => ({ value: value!.trim(), role: role!.trim() as MappedRole })),
            defaultRole: defaultRole || null,
            enabled: ssoOn,
          }
        : null,
    };
    request.run(
      () => api<Settings>('PUT', `/api/organizations/${orgId}/sign-in`, body),
      (result) => {
        show(result);
        setSaved(true);
      },
    );
  };

  const organizationName = me.organization?.name ?? organizations.find((o) => o.id === orgId)?.name ?? '';
  const problem = request.problem;
  return (
    <form onSubmit={submit} className="sign-in-settings" aria-labelledby="sign-in-title" noValidate>
      {!me.organization && (
        <div className="field">
          <label htmlFor="sign-in-org">{t('admin.organization')}</label>
          <select id="sign-in-org" value={orgId} onChange={(e) => setOrgId(e.target.value)}>
            {organizations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <h2 id="sign-in-title">{t('admin.signIn.title', { organization: organizationName })}</h2>
      {settings && (
        <>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={requireTwoFactor}
              onChange={(e) => setRequireTwoFactor(e.target.checked)}
            />{' '}
            {t('admin.signIn.requireTwoFactor')}
          </label>
          <p className="hint">{t('admin.signIn.requireTwoFactorHint')}</p>

          <h3>{t('admin.signIn.sso')}</h3>
          <p>{t('admin.signIn.ssoIntro')}</p>
          <p>
            {t('admin.signIn.redirectUri')}:{' '}
            {settings.ssoRedirectUri ? (
              <code data-testid="redirect-uri">{settings.ssoRedirectUri}</code>
            ) : (
              t('admin.signIn.noPublicUrl')
            )}
          </p>
          <label className="checkbox">
            <input type="checkbox" checked={ssoOn} onChange={(e) => setSsoOn(e.target.checked)} />{' '}
            {t('admin.signIn.ssoOn')}
          </label>
          <Field form="sso" name="sso.issuer" label={t('admin.signIn.issuer')} problem={problem}>
            {(p) => <input {...p} type="url" value={issuer} onChange={(e) => setIssuer(e.target.value)} />}
          </Field>
          <Field form="sso" name="sso.clientId" label={t('admin.signIn.clientId')} problem={problem}>
            {(p) => <input {...p} value={clientId} onChange={(e) => setClientId(e.target.value)} />}
          </Field>
          <Field form="sso" name="sso.clientSecret" label={t('admin.signIn.clientSecret')} problem={problem}>
            {(p) => (
              <input
                {...p}
                type="password"
                autoComplete="off"
                placeholder={settings.sso?.clientSecretSet ? t('admin.signIn.clientSecretKept') : ''}
                value={clientSecret}
                onChange={(e) => setClientSecret(e.target.value)}
              />
            )}
          </Field>
          <Field form="sso" name="sso.emailDomains" label={t('admin.signIn.domains')} problem={problem}>
            {(p) => <input {...p} value={domains} onChange={(e) => setDomains(e.target.value)} />}
          </Field>
          <Field form="sso" name="sso.roleClaim" label={t('admin.signIn.roleClaim')} problem={problem}>
            {(p) => <input {...p} value={roleClaim} onChange={(e) => setRoleClaim(e.target.value)} />}
          </Field>
          <Field form="sso" name="sso.roleMappings" label={t('admin.signIn.mappings')} problem={problem}>
            {(p) => (
              <textarea {...p} rows={4} value={mappings} onChange={(e) => setMappings(e.target.value)} />
            )}
          </Field>
          <p className="hint">{t('admin.signIn.mappingsHint')}</p>
          <Field form="sso" name="sso.defaultRole" label={t('admin.signIn.defaultRole')} problem={problem}>
            {(p) => (
              <select
                {...p}
                value={defaultRole}
                onChange={(e) => setDefaultRole(e.target.value as MappedRole | '')}
              >
                <option value="">{t('admin.signIn.noDefault')}</option>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(`role.${r}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {problem && (
            <p className="error" role="alert">
              {problem.text(lang)}
            </p>
          )}
          {saved && (
            <p className="notice" role="status">
              {t('admin.signIn.saved')}
            </p>
          )}
          <button type="submit" className="button-primary" disabled={request.busy}>
            {t('admin.signIn.save')}
          </button>
        </>
      )}
    </form>
  );
}
