import { useCallback, useEffect, useState } from 'react';
import type { Attestation } from '../../contract/attestations.js';
import { api, ApiProblem, asProblem } from '../api.js';
import { LoadProblem } from '../components/feedback.js';
import { formatDateTime, useI18n } from '../i18n/i18n.js';

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The attestations a case relies on (issue 18): each text in the reader's language with its citation, its
 * signature (name, title, time) or none, and a signature made void by a later change of the facts, saying which.
 * The person responsible signs by typing their name and title; the server checks that the text signed is the text
 * shown (its SHA-256, computed here from what is on screen).
 */
export function Attestations({ caseId, canWrite }: { caseId: string; canWrite: boolean }) {
  const { t, lang } = useI18n();
  const [items, setItems] = useState<Attestation[] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [status, setStatus] = useState('');
  const load = useCallback(() => {
    api<Attestation[]>('GET', `/api/cases/${caseId}/attestations`).then(setItems, (e: unknown) =>
      setProblem(asProblem(e)),
    );
  }, [caseId]);
  useEffect(load, [load]);
  if (!items || items.length === 0) return problem ? <LoadProblem problem={problem} /> : null;

  return (
    <section aria-labelledby="case-attestations" className="case-consular" data-testid="case-attestations">
      <h2 id="case-attestations">{t('attest.title')}</h2>
      <p className="help">{t('attest.intro')}</p>
      {items.map((a) => {
        const s = a.signature;
        return (
          <article key={a.kind} className="attestation" data-testid={`attestation-${a.kind}`}>
            <blockquote lang={lang}>{a.text[lang]}</blockquote>
            <p className="help">{a.citation}</p>
            {s && s.valid && (
              <p className="notice" data-testid="attestation-signed">
                {t('attest.signed', { name: s.name, title: s.title, at: formatDateTime(s.signedAt, lang) })}
              </p>
            )}
            {s && !s.valid && (
              <p className="notice notice-error" data-testid="attestation-void">
                {t('attest.void', {
                  name: s.name,
                  at: formatDateTime(s.signedAt, lang),
                  facts: s.changed.map((f) => t(`attest.fact.${f.replace(/\./g, '_')}`)).join(', '),
                })}
              </p>
            )}
            {!s && <p>{t('attest.unsigned')}</p>}
            {canWrite && (!s || !s.valid) && (
              <form
                className="inline-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  const data = new FormData(e.currentTarget);
                  setProblem(null);
                  setStatus('');
                  void (async () => {
                    try {
                      const textHash = await sha256Hex(`${a.text.en}\n${a.text.ko}`);
                      setItems(
                        await api<Attestation[]>('POST', `/api/cases/${caseId}/attestations`, {
                          kind: a.kind,
                          name: String(data.get('name') ?? '').trim(),
                          title: String(data.get('title') ?? '').trim(),
                          textHash,
                        }),
                      );
                      setStatus(t('attest.done'));
                    } catch (error) {
                      setProblem(asProblem(error));
                    }
                  })();
                }}
              >
                <label className="field">
                  <span>{t('attest.name')}</span>
                  <input name="name" required minLength={2} maxLength={120} autoComplete="name" />
                </label>
                <label className="field">
                  <span>{t('attest.role')}</span>
                  <input
                    name="title"
                    required
                    minLength={2}
                    maxLength={120}
                    autoComplete="organization-title"
                  />
                </label>
                <label className="check">
                  <input type="checkbox" name="agree" required />
                  {t('attest.agree')}
                </label>
                <button type="submit" className="button-primary">
                  {t('attest.sign')}
                </button>
              </form>
            )}
          </article>
        );
      })}
      <p className="form-status" role="status">
        {status}
      </p>
      {problem && <LoadProblem problem={problem} />}
    </section>
  );
}
