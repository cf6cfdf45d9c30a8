import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import type {
  AuditEvent,
  ContactKind,
  Me,
  Organization,
  OrganizationContacts,
  OrganizationKind,
  Role,
  User,
} from '../../contract/api.js';
import { mandates, organizationKinds, type Mandate } from '../../contract/api.js';
import { api, ApiProblem } from '../api.js';
import { formatDateTime, useI18n } from '../i18n/i18n.js';
import { Webhooks } from './Webhooks.js';
import { SignInSettings } from '../admin/SignInSettings.js';

interface PartnerLink {
  id: string;
  investorId: string;
  investorName: string;
  partnerId: string;
  partnerName: string;
  createdAt: string;
}
interface Token {
  id: string;
  name: string;
  userEmail: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

type Tab = 'organizations' | 'partnerLinks' | 'users' | 'signInPolicy' | 'tokens' | 'webhooks' | 'audit';

export function AdminPage({ me }: { me: Me }) {
  const { t } = useI18n();
  const has = (c: string) => me.capabilities.includes(c);
  const tabs: Tab[] = [
    ...(has('admin.organizations') || has('admin.partner_links') ? (['organizations'] as Tab[]) : []),
    ...(has('admin.partner_links') ? (['partnerLinks'] as Tab[]) : []),
    ...(has('admin.users') ? (['users'] as Tab[]) : []),
    ...(has('admin.security') ? (['signInPolicy'] as Tab[]) : []),
    ...(has('admin.tokens') || has('tokens.own') ? (['tokens'] as Tab[]) : []),
    ...(has('webhooks.manage') ? (['webhooks'] as Tab[]) : []),
    ...(has('audit.read') ? (['audit'] as Tab[]) : []),
  ];
  const [tab, setTab] = useState<Tab>(tabs[0] ?? 'tokens');
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});

  const onKey = (event: KeyboardEvent, index: number) => {
    const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!delta) return;
    const next = tabs[(index + delta + tabs.length) % tabs.length]!;
    setTab(next);
    refs.current[next]?.focus();
  };

  return (
    <section aria-labelledby="admin-title" className="page">
      <h1 id="admin-title">{t('admin.title')}</h1>
      <div role="tablist" aria-label={t('admin.tabs')} className="tabs">
        {tabs.map((id, index) => (
          <button
            key={id}
            id={`tab-${id}`}
            ref={(el) => {
              refs.current[id] = el;
            }}
            role="tab"
            type="button"
            aria-selected={tab === id}
            aria-controls={`panel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            onClick={() => setTab(id)}
            onKeyDown={(e) => onKey(e, index)}
          >
            {t(`admin.${id}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tabpanel">
        {tab === 'organizations' && <Organizations me={me} />}
        {tab === 'partnerLinks' && <PartnerLinks />}
        {tab === 'users' && <Users me={me} />}
        {tab === 'signInPolicy' && <SignInSettings me={me} />}
        {tab === 'tokens' && <Tokens />}
        {tab === 'webhooks' && <Webhooks />}
        {tab === 'audit' && <AuditLog />}
      </div>
    </section>
  );
}

function useList<T>(url: string): {
  items: T[] | null;
  reload: () => Promise<void>;
  problem: ApiProblem | null;
} {
  const [items, setItems] = useState<T[] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const reload = useCallback(async () => {
    try {
      setItems((await api<{ items: T[] }>('GET', url)).items);
      setProblem(null);
    } catch (error) {
      if (error instanceof ApiProblem) setProblem(error);
    }
  }, [url]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { items, reload, problem };
}

/** A form that shows the server's problem next to the fields it names and a status message on success. */
function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const run = async (event: FormEvent | null, action: () => Promise<string>) => {
    event?.preventDefault();
    setBusy(true);
    setProblem(null);
    setDone(null);
    try {
      setDone(await action());
    } catch (error) {
      if (error instanceof ApiProblem) setProblem(error);
      else throw error;
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, done, run };
}

function Status({ problem, done }: { problem: ApiProblem | null; done: string | null }) {
  const { lang } = useI18n();
  return (
    <div aria-live="polite" className="form-status">
      {problem && (
        <p className="error" role="alert">
          {problem.text(lang)}
        </p>
      )}
      {done && <p className="success">{done}</p>}
    </div>
  );
}

function Field({
  id,
  label,
  problem,
  path,
  children,
}: {
  id: string;
  label: string;
  problem: ApiProblem | null;
  path: string;
  children: ReactNode;
}) {
  const { lang } = useI18n();
  const message = problem?.fieldError(path, lang);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {message && (
        <span className="field-error" id={`${id}-error`}>
          {message}
        </span>
      )}
    </div>
  );
}

function Empty({ colSpan }: { colSpan: number }) {
  const { t } = useI18n();
  return (
    <tr>
      <td colSpan={colSpan} className="empty">
        {t('admin.empty')}
      </td>
    </tr>
  );
}

function Organizations({ me }: { me: Me }) {
  const { t, lang } = useI18n();
  const { items, reload } = useList<Organization>('/api/organizations');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<OrganizationKind>('partner');
  const [orgMandates, setOrgMandates] = useState<Mandate[]>([]);
  const [sme, setSme] = useState(false);
  const form = useSubmit();
  const [editing, setEditing] = useState<Organization | null>(null);
  const mayEditContacts = (o: Organization) =>
    me.capabilities.includes('admin.contacts') &&
    (me.user.role === 'platform_admin' || o.id === me.organization?.id);
  const create = (e: FormEvent) =>
    form.run(e, async () => {
      const org = await api<Organization>('POST', '/api/organizations', {
        name,
        kind,
        ...(kind === 'government' ? { mandates: orgMandates } : {}),
        ...(kind === 'partner' || kind === 'investor' ? { sme } : {}),
      });
      setName('');
      setOrgMandates([]);
      setSme(false);
      await reload();
      return t('admin.organizationCreated', { name: org.name });
    });
  return (
    <>
      <table>
        <caption>{t('admin.organizations')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.name')}</th>
            <th scope="col">{t('admin.kind')}</th>
            <th scope="col">{t('admin.created')}</th>
            <th scope="col">{t('admin.contacts')}</th>
          </tr>
        </thead>
        <tbody>
          {items?.length === 0 && <Empty colSpan={4} />}
          {items?.map((o) => (
            <tr key={o.id}>
              <td>{o.name}</td>
              <td>
                {t(`orgKind.${o.kind}`)}
                {o.mandates.length > 0 && ` · ${o.mandates.map((m) => t(`mandate.${m}`)).join(', ')}`}
                {o.sme && ` · ${t('console.smeYes')}`}
              </td>
              <td>{formatDateTime(o.createdAt, lang)}</td>
              <td>
                {mayEditContacts(o) && (
                  <button
                    type="button"
                    className="button-secondary"
                    aria-label={t('admin.editContacts', { name: o.name })}
                    aria-expanded={editing?.id === o.id}
                    onClick={() => setEditing(editing?.id === o.id ? null : o)}
                  >
                    {t('admin.contacts')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing && <ContactsEditor key={editing.id} org={editing} onClose={() => setEditing(null)} />}
      {me.capabilities.includes('admin.organizations') && (
        <form className="inline-form" onSubmit={(e) => void create(e)} aria-labelledby="new-org">
          <h2 id="new-org">{t('admin.newOrganization')}</h2>
          <Field id="org-name" label={t('admin.name')} problem={form.problem} path="name">
            <input id="org-name" value={name} onChange={(e) => setName(e.target.value)} required />
          </Field>
          <Field id="org-kind" label={t('admin.kind')} problem={form.problem} path="kind">
            <select id="org-kind" value={kind} onChange={(e) => setKind(e.target.value as OrganizationKind)}>
              {organizationKinds.map((k) => (
                <option key={k} value={k}>
                  {t(`orgKind.${k}`)}
                </option>
              ))}
            </select>
          </Field>
          {kind === 'government' && (
            <fieldset>
              <legend>{t('admin.mandates')}</legend>
              {mandates.map((m) => (
                <label key={m} className="check">
                  <input
                    type="checkbox"
                    checked={orgMandates.includes(m)}
                    onChange={() =>
                      setOrgMandates(
                        orgMandates.includes(m) ? orgMandates.filter((x) => x !== m) : [...orgMandates, m],
                      )
                    }
                  />{' '}
                  {t(`mandate.${m}`)}
                </label>
              ))}
            </fieldset>
          )}
          {(kind === 'partner' || kind === 'investor') && (
            <label className="check">
              <input type="checkbox" checked={sme} onChange={(e) => setSme(e.target.checked)} />{' '}
              {t('console.smeYes')}
            </label>
          )}
          <button type="submit" className="button-primary" disabled={form.busy}>
            {form.busy ? t('admin.saving') : t('admin.create')}
          </button>
          <Status problem={form.problem} done={form.done} />
        </form>
      )}
    </>
  );
}

interface ContactDraft {
  kind: ContactKind;
  name: string;
  firm: string;
  title: string;
  phone: string;
  email: string;
  hours: string;
  languages: ('ko' | 'en')[];
  notes: string;
}

/** The editor's text inputs, in screen order (the languages follow): the field, its label and the input type. */
const contactTextFields: readonly [
  Exclude<keyof ContactDraft, 'kind' | 'languages'>,
  string,
  'text' | 'tel' | 'email',
][] = [
  ['name', 'admin.contactName', 'text'],
  ['title', 'admin.contactTitle', 'text'],
  ['firm', 'admin.contactFirm', 'text'],
  ['phone', 'admin.contactPhone', 'tel'],
  ['email', 'admin.contactEmail', 'email'],
  ['hours', 'admin.contactHours', 'text'],
  ['notes', 'admin.contactNotes', 'text'],
];

const blankContact = (kind: ContactKind): ContactDraft => ({
  kind,
  name: '',
  firm: '',
  title: '',
  phone: '',
  email: '',
  hours: kind === 'emergency' ? '24/7' : '',
  languages: ['ko', 'en'],
  notes: '',
});

/**
 * An organization's counsel and emergency contacts, edited as one list and saved whole (PUT): printed on the
 * site roster's contact sheet. Field errors from the server appear next to the field they name.
 */
function ContactsEditor({ org, onClose }: { org: Organization; onClose: () => void }) {
  const { t, lang } = useI18n();
  const [drafts, setDrafts] = useState<ContactDraft[] | null>(null);
  const [updatedAt, setUpdatedAt] = useState<string | null>(null);
  const [loadProblem, setLoadProblem] = useState<ApiProblem | null>(null);
  const form = useSubmit();
  const heading = useRef<HTMLHeadingElement | null>(null);

  const adopt = (data: OrganizationContacts) => {
    setUpdatedAt(data.updatedAt);
    setDrafts(
      data.items.map((c) => ({
        kind: c.kind,
        name: c.name,
        firm: c.firm ?? '',
        title: c.title ?? '',
        phone: c.phone,
        email: c.email ?? '',
        hours: c.hours ?? '',
        languages: c.languages,
        notes: c.notes ?? '',
      })),
    );
  };
  useEffect(() => {
    api<OrganizationContacts>('GET', `/api/organizations/${org.id}/contacts`)
      .then(adopt)
      .catch((error: unknown) => {
        if (error instanceof ApiProblem) setLoadProblem(error);
      });
    heading.current?.focus();
  }, [org.id]);

  const change = (i: number, patch: Partial<ContactDraft>) =>
    setDrafts((list) => list!.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  const save = (e: FormEvent) =>
    form.run(e, async () => {
      adopt(
        await api<OrganizationContacts>('PUT', `/api/organizations/${org.id}/contacts`, {
          items: drafts!.map((d) => ({ ...d, email: d.email || null })),
        }),
      );
      return t('admin.contactsSaved');
    });

  return (
    <form
      className="contacts-editor"
      onSubmit={(e) => void save(e)}
      aria-labelledby="contacts-title"
      noValidate
    >
      <h2 id="contacts-title" tabIndex={-1} ref={heading}>
        {t('admin.editContacts', { name: org.name })}
      </h2>
      <p className="muted">{t('admin.contactsIntro')}</p>
      {updatedAt && (
        <p className="muted">{t('admin.contactsUpdated', { when: formatDateTime(updatedAt, lang) })}</p>
      )}
      {loadProblem && (
        <p className="error" role="alert">
          {loadProblem.text(lang)}
        </p>
      )}
      {drafts?.length === 0 && <p>{t('admin.contactsNone')}</p>}
      {drafts?.map((d, i) => {
        const p = `items[${i}]`;
        const fid = (f: string) => `contact-${i}-${f}`;
        return (
          <fieldset key={i} className="contact-fieldset">
            <legend>
              {t('admin.contactNumber', { n: i + 1 })}:{' '}
              {d.kind === 'counsel' ? t('admin.contactKindCounsel') : t('admin.contactKindEmergency')}
            </legend>
            <Field id={fid('kind')} label={t('admin.contactKind')} problem={form.problem} path={`${p}.kind`}>
              <select
                id={fid('kind')}
                value={d.kind}
                onChange={(e) => change(i, { kind: e.target.value as ContactKind })}
              >
                <option value="counsel">{t('admin.contactKindCounsel')}</option>
                <option value="emergency">{t('admin.contactKindEmergency')}</option>
              </select>
            </Field>
            {contactTextFields.map(([field, label, type]) => (
              <Field
                key={field}
                id={fid(field)}
                label={t(label)}
                problem={form.problem}
                path={`${p}.${field}`}
              >
                <input
                  id={fid(field)}
                  type={type}
                  autoComplete="off"
                  value={d[field]}
                  onChange={(e) => change(i, { [field]: e.target.value })}
                />
              </Field>
            ))}
            <fieldset className="contact-languages">
              <legend>{t('admin.contactLanguages')}</legend>
              {(['ko', 'en'] as const).map((l) => (
                <label key={l}>
                  <input
                    type="checkbox"
                    checked={d.languages.includes(l)}
                    onChange={(e) =>
                      change(i, {
                        languages: e.target.checked
                          ? [...d.languages, l]
                          : d.languages.filter((x) => x !== l),
                      })
                    }
                  />{' '}
                  {l === 'ko' ? '한국어' : 'English'}
                </label>
              ))}
            </fieldset>
            <button
              type="button"
              className="button-secondary"
              onClick={() => setDrafts((list) => list!.filter((_, j) => j !== i))}
            >
              {t('admin.removeContact', { n: i + 1 })}
            </button>
          </fieldset>
        );
      })}
      {drafts && (
        <div className="button-row">
          <button
            type="button"
            className="button-secondary"
            onClick={() => setDrafts([...drafts, blankContact('counsel')])}
          >
            {t('admin.addCounsel')}
          </button>
          <button
            type="button"
            className="button-secondary"
            onClick={() => setDrafts([...drafts, blankContact('emergency')])}
          >
            {t('admin.addEmergency')}
          </button>
          <button type="submit" className="button-primary" disabled={form.busy}>
            {form.busy ? t('admin.saving') : t('admin.saveContacts')}
          </button>
          <button type="button" className="button-secondary" onClick={onClose}>
            {t('admin.close')}
          </button>
        </div>
      )}
      <Status problem={form.problem} done={form.done} />
    </form>
  );
}

function PartnerLinks() {
  const { t, lang } = useI18n();
  const { items, reload } = useList<PartnerLink>('/api/partner-links');
  const orgs = useList<Organization>('/api/organizations').items ?? [];
  const [investorId, setInvestorId] = useState('');
  const [partnerId, setPartnerId] = useState('');
  const form = useSubmit();
  const create = (e: FormEvent) =>
    form.run(e, async () => {
      await api('POST', '/api/partner-links', { investorId, partnerId });
      await reload();
      return t('admin.linkCreated');
    });
  const remove = (link: PartnerLink) =>
    form.run(null, async () => {
      await api('DELETE', `/api/partner-links/${link.id}`);
      await reload();
      return t('admin.linkRemoved');
    });
  return (
    <>
      <table>
        <caption>{t('admin.partnerLinks')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.investor')}</th>
            <th scope="col">{t('admin.partner')}</th>
            <th scope="col">{t('admin.created')}</th>
            <th scope="col">{t('admin.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {items?.length === 0 && <Empty colSpan={4} />}
          {items?.map((l) => (
            <tr key={l.id}>
              <td>{l.investorName}</td>
              <td>{l.partnerName}</td>
              <td>{formatDateTime(l.createdAt, lang)}</td>
              <td>
                <button
                  type="button"
                  className="button-link"
                  aria-label={t('admin.removeLink', { investor: l.investorName, partner: l.partnerName })}
                  onClick={() => void remove(l)}
                >
                  {t('admin.remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="inline-form" onSubmit={(e) => void create(e)} aria-labelledby="new-link">
        <h2 id="new-link">{t('admin.newLink')}</h2>
        <Field id="link-investor" label={t('admin.investor')} problem={form.problem} path="investorId">
          <select
            id="link-investor"
            value={investorId}
            onChange={(e) => setInvestorId(e.target.value)}
            required
          >
            <option value="">{t('admin.select')}</option>
            {orgs
              .filter((o) => o.kind === 'investor')
              .map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
          </select>
        </Field>
        <Field id="link-partner" label={t('admin.partner')} problem={form.problem} path="partnerId">
          <select id="link-partner" value={partnerId} onChange={(e) => setPartnerId(e.target.value)} required>
            <option value="">{t('admin.select')}</option>
            {orgs
              .filter((o) => o.kind === 'partner')
              .map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
          </select>
        </Field>
        <button type="submit" className="button-primary" disabled={form.busy}>
          {form.busy ? t('admin.saving') : t('admin.create')}
        </button>
        <Status problem={form.problem} done={form.done} />
      </form>
    </>
  );
}

const assignable = (me: Me): Role[] =>
  me.user.role === 'platform_admin'
    ? ['admin', 'staff', 'viewer', 'worker', 'platform_admin']
    : ['admin', 'staff', 'viewer', 'worker'];

function Users({ me }: { me: Me }) {
  const { t } = useI18n();
  const { items, reload } = useList<User>('/api/users');
  const orgs = useList<Organization>('/api/organizations').items ?? [];
  const [draft, setDraft] = useState({
    email: '',
    displayName: '',
    role: 'staff' as Role,
    organizationId: me.organization?.id ?? '',
    password: '',
  });
  const [resetFor, setResetFor] = useState<User | null>(null);
  const [newPassword, setNewPassword] = useState('');
  const form = useSubmit();
  const resetForm = useSubmit();
  const create = (e: FormEvent) =>
    form.run(e, async () => {
      const body = {
        ...draft,
        organizationId: draft.role === 'platform_admin' ? null : draft.organizationId || null,
      };
      const user = await api<User>('POST', '/api/users', body);
      setDraft({ ...draft, email: '', displayName: '', password: '' });
      await reload();
      return t('admin.userCreated', { email: user.email });
    });
  const reset = (e: FormEvent) =>
    resetForm.run(e, async () => {
      await api('POST', `/api/users/${resetFor!.id}/password`, { password: newPassword });
      setNewPassword('');
      setResetFor(null);
      return t('admin.passwordReset');
    });
  return (
    <>
      <table>
        <caption>{t('admin.users')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.email')}</th>
            <th scope="col">{t('admin.displayName')}</th>
            <th scope="col">{t('admin.role')}</th>
            <th scope="col">{t('admin.organization')}</th>
            <th scope="col">{t('admin.status')}</th>
            <th scope="col">{t('admin.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {items?.length === 0 && <Empty colSpan={6} />}
          {items?.map((u) => (
            <tr key={u.id}>
              <td>{u.email}</td>
              <td>{u.displayName}</td>
              <td>{t(`role.${u.role}`)}</td>
              <td>{u.organizationName ?? '—'}</td>
              <td>{u.disabled ? t('admin.disabled') : t('admin.active')}</td>
              <td>
                <button
                  type="button"
                  className="button-link"
                  onClick={() => setResetFor(u)}
                  aria-label={`${t('admin.resetPassword')}: ${u.email}`}
                >
                  {t('admin.resetPassword')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Status problem={resetForm.problem} done={resetForm.done} />
      {resetFor && (
        <form className="inline-form" onSubmit={(e) => void reset(e)} aria-labelledby="reset-title">
          <h2 id="reset-title">{t('admin.resetPasswordFor', { email: resetFor.email })}</h2>
          <Field
            id="reset-password"
            label={t('admin.initialPassword')}
            problem={resetForm.problem}
            path="password"
          >
            <input
              id="reset-password"
              type="password"
              autoComplete="new-password"
              value={newPassword}
              onChange={(e) => setNewPassword(e.target.value)}
              required
            />
          </Field>
          <button type="submit" className="button-primary" disabled={resetForm.busy}>
            {t('admin.resetPassword')}
          </button>
          <button type="button" className="button-secondary" onClick={() => setResetFor(null)}>
            {t('admin.cancel')}
          </button>
        </form>
      )}
      <form className="inline-form" onSubmit={(e) => void create(e)} aria-labelledby="new-user">
        <h2 id="new-user">{t('admin.newUser')}</h2>
        <Field id="user-email" label={t('admin.email')} problem={form.problem} path="email">
          <input
            id="user-email"
            type="email"
            value={draft.email}
            onChange={(e) => setDraft({ ...draft, email: e.target.value })}
            required
          />
        </Field>
        <Field id="user-name" label={t('admin.displayName')} problem={form.problem} path="displayName">
          <input
            id="user-name"
            value={draft.displayName}
            onChange={(e) => setDraft({ ...draft, displayName: e.target.value })}
            required
          />
        </Field>
        <Field id="user-role" label={t('admin.role')} problem={form.problem} path="role">
          <select
            id="user-role"
            value={draft.role}
            onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })}
          >
            {assignable(me).map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </Field>
        {me.user.role === 'platform_admin' && draft.role !== 'platform_admin' && (
          <Field id="user-org" label={t('admin.organization')} problem={form.problem} path="organizationId">
            <select
              id="user-org"
              value={draft.organizationId}
              onChange={(e) => setDraft({ ...draft, organizationId: e.target.value })}
              required
            >
              <option value="">{t('admin.select')}</option>
              {orgs.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field id="user-password" label={t('admin.initialPassword')} problem={form.problem} path="password">
          <input
            id="user-password"
            type="password"
            autoComplete="new-password"
            value={draft.password}
            onChange={(e) => setDraft({ ...draft, password: e.target.value })}
            required
          />
        </Field>
        <button type="submit" className="button-primary" disabled={form.busy}>
          {form.busy ? t('admin.saving') : t('admin.create')}
        </button>
        <Status problem={form.problem} done={form.done} />
      </form>
    </>
  );
}

function Tokens() {
  const { t, lang } = useI18n();
  const { items, reload } = useList<Token>('/api/tokens');
  const [name, setName] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const form = useSubmit();
  const create = (e: FormEvent) =>
    form.run(e, async () => {
      const created = await api<{ token: string }>('POST', '/api/tokens', { name });
      setSecret(created.token);
      setCopied(false);
      setName('');
      await reload();
      return t('admin.tokenCreated');
    });
  const revoke = (token: Token) =>
    form.run(null, async () => {
      await api('DELETE', `/api/tokens/${token.id}`);
      setSecret(null);
      await reload();
      return t('admin.tokenRevoked');
    });
  return (
    <>
      <table>
        <caption>{t('admin.tokens')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.name')}</th>
            <th scope="col">{t('admin.owner')}</th>
            <th scope="col">{t('admin.prefix')}</th>
            <th scope="col">{t('admin.created')}</th>
            <th scope="col">{t('admin.lastUsed')}</th>
            <th scope="col">{t('admin.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {items?.length === 0 && <Empty colSpan={6} />}
          {items?.map((tk) => (
            <tr key={tk.id}>
              <td>{tk.name}</td>
              <td>{tk.userEmail}</td>
              <td>
                <code>{tk.prefix}…</code>
              </td>
              <td>{formatDateTime(tk.createdAt, lang)}</td>
              <td>{tk.lastUsedAt ? formatDateTime(tk.lastUsedAt, lang) : t('admin.never')}</td>
              <td>
                {tk.revokedAt ? (
                  t('admin.revoked')
                ) : (
                  <button
                    type="button"
                    className="button-link"
                    aria-label={t('admin.revokeToken', { name: tk.name })}
                    onClick={() => void revoke(tk)}
                  >
                    {t('admin.revoke')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="inline-form" onSubmit={(e) => void create(e)} aria-labelledby="new-token">
        <h2 id="new-token">{t('admin.newToken')}</h2>
        <Field id="token-name" label={t('admin.tokenName')} problem={form.problem} path="name">
          <input id="token-name" value={name} onChange={(e) => setName(e.target.value)} required />
        </Field>
        <button type="submit" className="button-primary" disabled={form.busy}>
          {form.busy ? t('admin.saving') : t('admin.create')}
        </button>
        <Status problem={form.problem} done={form.done} />
        {secret && (
          <div className="secret" data-testid="new-token">
            <code>{secret}</code>
            <button
              type="button"
              className="button-secondary"
              onClick={() => {
                void navigator.clipboard?.writeText(secret).then(() => setCopied(true));
              }}
            >
              {copied ? t('admin.copied') : t('admin.copy')}
            </button>
          </div>
        )}
      </form>
    </>
  );
}

function AuditLog() {
  const { t, lang } = useI18n();
  const [items, setItems] = useState<AuditEvent[]>([]);
  const [next, setNext] = useState<number | null | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const load = useCallback(async (before?: number) => {
    setBusy(true);
    try {
      const page = await api<{ items: AuditEvent[]; nextBefore: number | null }>(
        'GET',
        `/api/audit-events?limit=50${before ? `&before=${before}` : ''}`,
      );
      setItems((current) => (before ? [...current, ...page.items] : page.items));
      setNext(page.nextBefore);
    } finally {
      setBusy(false);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <>
      <table>
        <caption>{t('admin.audit')}</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('admin.when')}</th>
            <th scope="col">{t('admin.who')}</th>
            <th scope="col">{t('admin.what')}</th>
            <th scope="col">{t('admin.target')}</th>
            <th scope="col">{t('admin.hash')}</th>
          </tr>
        </thead>
        <tbody>
          {next !== undefined && items.length === 0 && <Empty colSpan={6} />}
          {items.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td>
              <td>{formatDateTime(e.occurredAt, lang)}</td>
              <td>{e.actorLabel}</td>
              <td>
                {e.actionLabel[lang]} <code>{e.action}</code>
              </td>
              <td>
                {e.targetType}
                {e.targetId ? ` ${e.targetId.slice(0, 8)}` : ''}
              </td>
              <td>
                <code title={e.hash}>{e.hash.slice(0, 12)}…</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {next && (
        <button type="button" className="button-secondary" disabled={busy} onClick={() => void load(next)}>
          {busy ? t('app.loading') : t('admin.more')}
        </button>
      )}
    </>
  );
}
