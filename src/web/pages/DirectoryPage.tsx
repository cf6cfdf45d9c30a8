import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { Me } from '../../contract/api.js';
import type { Directory } from '../../contract/settlement.js';
import { directoryKinds } from '../../contract/settlement.js';
import { api, asProblem, type ApiProblem } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { FormProblem } from './pipeline-form.js';
import { DirectoryList } from '../settlement/DirectoryList.js';

interface SiteRow {
  id: string;
  name: string;
  state: string;
  city: string;
  organizationName: string | null;
  entries: number;
}

/**
 * Keeping the directory near each site (issue 19): the investor that owns the site and government organizations
 * add dated, bilingual entries (marked fictional where they are) and remove stale ones; others read.
 */
export function DirectoryPage({ me }: { me: Me }) {
  const { t } = useI18n();
  const [sites, setSites] = useState<SiteRow[]>([]);
  const [siteId, setSiteId] = useState<string>('');
  const [directory, setDirectory] = useState<Directory | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const canWrite = me.capabilities.includes('directory.write');
  useEffect(() => {
    api<{ items: SiteRow[] }>('GET', '/api/directory/sites').then(
      (r) => {
        setSites(r.items);
        if (r.items[0]) setSiteId(r.items[0].id);
      },
      (e: unknown) => setProblem(asProblem(e)),
    );
  }, []);
  const load = useCallback(() => {
    if (!siteId) return;
    api<Directory>('GET', `/api/sites/${siteId}/directory`).then(setDirectory, (e: unknown) =>
      setProblem(asProblem(e)),
    );
  }, [siteId]);
  useEffect(load, [load]);
  const remove = (id: string) => {
    api('DELETE', `/api/directory/${id}`).then(load, (e: unknown) => setProblem(asProblem(e)));
  };
  return (
    <section className="page directory-page">
      <h1>{t('directory.pageTitle')}</h1>
      <p className="help">{t('directory.pageIntro')}</p>
      <label className="field">
        <span>{t('directory.site')}</span>
        <select value={siteId} onChange={(e) => setSiteId(e.target.value)}>
          {sites.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} · {s.city}, {s.state}
              {s.organizationName ? ` · ${s.organizationName}` : ''} ({t('directory.count', { n: s.entries })}
              )
            </option>
          ))}
        </select>
      </label>
      {problem && <FormProblem problem={problem} shown={[]} />}
      {directory && <DirectoryList directory={directory} {...(canWrite ? { onRemove: remove } : {})} />}
      {canWrite && siteId && <EntryForm siteId={siteId} onAdded={load} />}
    </section>
  );
}

function EntryForm({ siteId, onAdded }: { siteId: string; onAdded: () => void }) {
  const { t } = useI18n();
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const d = new FormData(form);
    const s = (k: string) => String(d.get(k) ?? '').trim();
    const opt = (k: string) => (s(k) ? s(k) : undefined);
    const body = {
      kind: s('kind'),
      name: { en: s('nameEn'), ko: s('nameKo') },
      ...(s('descEn') || s('descKo') ? { description: { en: s('descEn'), ko: s('descKo') } } : {}),
      phone: opt('phone'),
      email: opt('email'),
      website: opt('website'),
      address: opt('address'),
      fictional: d.get('fictional') === 'on',
      verifiedOn: s('verifiedOn'),
    };
    setBusy(true);
    setProblem(null);
    api('POST', `/api/sites/${siteId}/directory`, body).then(
      () => {
        setBusy(false);
        form.reset();
        onAdded();
      },
      (error: unknown) => {
        setBusy(false);
        setProblem(asProblem(error));
      },
    );
  };
  const today = new Date().toISOString().slice(0, 10);
  return (
    <form className="directory-form" onSubmit={submit} aria-labelledby="directory-add">
      <h2 id="directory-add">{t('directory.add')}</h2>
      <label className="field">
        <span>{t('directory.kind')}</span>
        <select name="kind" defaultValue="association">
          {directoryKinds
            .filter((k) => k !== 'consulate')
            .map((k) => (
              <option key={k} value={k}>
                {t(`directoryKind.${k}`)}
              </option>
            ))}
        </select>
      </label>
      <label className="field">
        <span>{t('directory.nameKo')}</span>
        <input name="nameKo" required maxLength={300} />
      </label>
      <label className="field">
        <span>{t('directory.nameEn')}</span>
        <input name="nameEn" required maxLength={300} />
      </label>
      <label className="field">
        <span>{t('directory.descKo')}</span>
        <textarea name="descKo" maxLength={1000} />
      </label>
      <label className="field">
        <span>{t('directory.descEn')}</span>
        <textarea name="descEn" maxLength={1000} />
      </label>
      <label className="field">
        <span>{t('directory.phone')}</span>
        <input name="phone" maxLength={40} />
      </label>
      <label className="field">
        <span>{t('directory.email')}</span>
        <input name="email" type="email" maxLength={254} />
      </label>
      <label className="field">
        <span>{t('directory.website')}</span>
        <input name="website" placeholder="https://" maxLength={300} />
      </label>
      <label className="field">
        <span>{t('directory.address')}</span>
        <input name="address" maxLength={300} />
      </label>
      <label className="field">
        <span>{t('directory.verifiedOn')}</span>
        <input name="verifiedOn" type="date" required defaultValue={today} max={today} />
      </label>
      <label className="field-check">
        <input type="checkbox" name="fictional" /> {t('directory.markFictional')}
      </label>
      {problem && <FormProblem problem={problem} shown={[]} />}
      <button type="submit" className="button-primary" disabled={busy}>
        {busy ? t('app.loading') : t('directory.save')}
      </button>
    </form>
  );
}
