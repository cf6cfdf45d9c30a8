import { useState } from 'react';
import type { CaseDetail } from '../../contract/pipeline.js';
import { uscisStatuses, type UscisStatusValue } from '../../contract/uscis.js';
import { api, asProblem } from '../api.js';
import { LoadProblem } from '../components/feedback.js';
import { useI18n } from '../i18n/i18n.js';
import { useCaseWrite } from './parts.js';

interface ParsedNotice {
  receiptNumber: string | null;
  serviceCenter: string | null;
  status: UscisStatusValue | null;
  formType: string | null;
  receivedDate: string | null;
  noticeDate: string | null;
  responseDue: string | null;
  responseDueComputed: boolean;
  validFrom: string | null;
  validTo: string | null;
  missing: string[];
}

/**
 * A petition case at USCIS (issue 18): the receipt number, the status history as USCIS states it, the open
 * request for evidence or notice of intent to deny with its deadline, and two ways to record: paste the text of
 * an I-797 (read by the server, shown field by field, recorded only when confirmed) or enter a status by hand.
 */
export function UscisSection({
  detail: c,
  canWrite,
  onSaved,
}: {
  detail: CaseDetail;
  canWrite: boolean;
  onSaved: (next: CaseDetail) => void;
}) {
  const { t, lang } = useI18n();
  const u = c.uscis!;
  const { problem, setProblem, busy, setBusy, saved, send } = useCaseWrite(onSaved);
  const [noticeText, setNoticeText] = useState('');
  const [parsed, setParsed] = useState<ParsedNotice | null>(null);
  const [manualStatus, setManualStatus] = useState<UscisStatusValue>('received');
  const today = new Date().toISOString().slice(0, 10);

  const record = (body: Record<string, unknown>) =>
    send('POST', `/api/cases/${c.id}/uscis/status`, body, t('uscis.saved'), () => {
      setParsed(null);
      setNoticeText('');
    });
  const read = () => {
    setBusy(true);
    setProblem(null);
    api<ParsedNotice>('POST', '/api/uscis/notices/parse', { text: noticeText }).then(
      (p) => {
        setBusy(false);
        setParsed(p);
      },
      (e: unknown) => {
        setBusy(false);
        setProblem(asProblem(e));
      },
    );
  };
  const fromNotice = (p: ParsedNotice) => ({
    status: p.status,
    on: p.noticeDate ?? p.receivedDate,
    source: 'notice',
    ...(p.receiptNumber ? { receiptNumber: p.receiptNumber } : {}),
    ...(p.responseDue ? { responseDue: p.responseDue } : {}),
    ...(p.status === 'approved' && p.validFrom ? { validFrom: p.validFrom } : {}),
    ...(p.status === 'approved' && p.validTo ? { validTo: p.validTo } : {}),
  });

  return (
    <section aria-labelledby="case-uscis" className="case-consular" data-testid="case-uscis">
      <h2 id="case-uscis">{t('uscis.title')}</h2>
      <dl className="facts">
        <div>
          <dt>{t('uscis.receipt')}</dt>
          <dd data-testid="uscis-receipt">
            {u.receiptNumber ?? (u.receiptLast4 ? `•••••••••${u.receiptLast4}` : '—')}
            {u.serviceCenter ? ` · ${u.serviceCenter.name[lang]}` : ''}
          </dd>
        </div>
        <div>
          <dt>{t('uscis.status')}</dt>
          <dd data-testid="uscis-status">
            {u.status ? t(`uscisStatus.${u.status}`) : t('uscis.noStatus')}
            {u.statusOn ? ` · ${u.statusOn}` : ''}
          </dd>
        </div>
        {u.formType && (
          <div>
            <dt>{t('uscis.form')}</dt>
            <dd>{u.formType}</dd>
          </div>
        )}
        {(u.validFrom || u.validTo) && (
          <div>
            <dt>{t('uscis.validity')}</dt>
            <dd>
              {u.validFrom ?? '—'} – {u.validTo ?? '—'}
            </dd>
          </div>
        )}
      </dl>
      {u.pending && (
        <p
          className={`notice ${u.pending.daysLeft <= 7 ? 'notice-error' : 'notice-warning'}`}
          data-testid="uscis-pending"
        >
          {t('uscis.pending', {
            notice: t(`uscisStatus.${u.pending.notice}`),
            date: u.pending.responseDue,
            days: u.pending.daysLeft,
          })}
        </p>
      )}
      {u.history.length > 0 && (
        <ol className="timeline" data-testid="uscis-history">
          {u.history.map((h, k) => (
            <li key={k}>
              <strong>{t(`uscisStatus.${h.status}`)}</strong> · {h.on}
              {h.responseDue ? ` · ${t('uscis.dueOn', { date: h.responseDue })}` : ''} · {h.by}
              {h.source === 'notice' ? ` · ${t('uscis.fromNotice')}` : ''}
              {h.note ? ` · ${h.note}` : ''}
            </li>
          ))}
        </ol>
      )}
      <p className="form-status" role="status">
        {saved}
      </p>
      {problem && <LoadProblem problem={problem} />}
      {canWrite && c.status === 'open' && (
        <div className="consular-forms">
          <div>
            <label className="field">
              <span>{t('uscis.pasteNotice')}</span>
              <textarea
                name="notice"
                rows={6}
                value={noticeText}
                maxLength={20_000}
                onChange={(e) => setNoticeText(e.target.value)}
                aria-describedby={`notice-hint-${c.id}`}
              />
              <span id={`notice-hint-${c.id}`} className="help">
                {t('uscis.pasteHint')}
              </span>
            </label>
            <button
              type="button"
              className="button-secondary"
              disabled={busy || !noticeText.trim()}
              onClick={read}
            >
              {t('uscis.read')}
            </button>
            {parsed && (
              <div className="notice" data-testid="uscis-parsed">
                <dl className="facts">
                  <div>
                    <dt>{t('uscis.receipt')}</dt>
                    <dd>{parsed.receiptNumber ?? t('uscis.notFound')}</dd>
                  </div>
                  <div>
                    <dt>{t('uscis.noticeType')}</dt>
                    <dd>{parsed.status ? t(`uscisStatus.${parsed.status}`) : t('uscis.notFound')}</dd>
                  </div>
                  <div>
                    <dt>{t('uscis.noticeDate')}</dt>
                    <dd>{parsed.noticeDate ?? parsed.receivedDate ?? t('uscis.notFound')}</dd>
                  </div>
                  {parsed.formType && (
                    <div>
                      <dt>{t('uscis.form')}</dt>
                      <dd>{parsed.formType}</dd>
                    </div>
                  )}
                  {parsed.responseDue && (
                    <div>
                      <dt>{t('uscis.responseDue')}</dt>
                      <dd>
                        {parsed.responseDue}
                        {parsed.responseDueComputed ? ` · ${t('uscis.dueComputed')}` : ''}
                      </dd>
                    </div>
                  )}
                  {(parsed.validFrom || parsed.validTo) && (
                    <div>
                      <dt>{t('uscis.validity')}</dt>
                      <dd>
                        {parsed.validFrom ?? '—'} – {parsed.validTo ?? '—'}
                      </dd>
                    </div>
                  )}
                </dl>
                {parsed.status && (parsed.noticeDate || parsed.receivedDate) ? (
                  <button
                    type="button"
                    className="button-primary"
                    disabled={busy}
                    onClick={() => record(fromNotice(parsed))}
                  >
                    {t('uscis.recordNotice')}
                  </button>
                ) : (
                  <p>{t('uscis.incomplete')}</p>
                )}
              </div>
            )}
          </div>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const data = new FormData(e.currentTarget);
              const text = (name: string) => String(data.get(name) ?? '').trim();
              record({
                status: manualStatus,
                on: text('on'),
                source: 'manual',
                ...(text('receipt') ? { receiptNumber: text('receipt') } : {}),
                ...(text('due') ? { responseDue: text('due') } : {}),
                ...(text('note') ? { note: text('note') } : {}),
              });
            }}
          >
            <label className="field">
              <span>{t('uscis.status')}</span>
              <select
                name="status"
                value={manualStatus}
                onChange={(e) => setManualStatus(e.target.value as UscisStatusValue)}
              >
                {uscisStatuses.map((s) => (
                  <option key={s} value={s}>
                    {t(`uscisStatus.${s}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t('uscis.noticeDate')}</span>
              <input type="date" name="on" defaultValue={today} max={today} required />
            </label>
            {(manualStatus === 'rfe' || manualStatus === 'noid') && (
              <label className="field">
                <span>{t('uscis.responseDue')}</span>
                <input type="date" name="due" min={today} aria-describedby={`due-hint-${c.id}`} />
                <span id={`due-hint-${c.id}`} className="help">
                  {t('uscis.dueHint')}
                </span>
              </label>
            )}
            {!u.receiptNumber && (
              <label className="field">
                <span>{t('uscis.receipt')}</span>
                <input name="receipt" maxLength={20} aria-describedby={`receipt-hint-${c.id}`} />
                <span id={`receipt-hint-${c.id}`} className="help">
                  {t('uscis.receiptHint')}
                </span>
              </label>
            )}
            <label className="field">
              <span>{t('uscis.note')}</span>
              <input name="note" maxLength={500} />
            </label>
            <button type="submit" className="button-secondary" disabled={busy}>
              {t('uscis.record')}
            </button>
          </form>
        </div>
      )}
    </section>
  );
}
