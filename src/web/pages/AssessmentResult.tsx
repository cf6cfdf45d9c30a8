import { useEffect, type ReactNode } from 'react';
import type { Me } from '../../contract/api.js';
import { OpenFromAssessment } from '../cases/OpenFromAssessment.js';
import {
  activityIds,
  type ActivityId,
  type ActivityStatus,
  type Reason,
  type AssessmentRequest,
  type AssessmentResponse,
  type CategoryResult,
  type Verdict,
} from '../../contract/assessment.js';
import type { RulesCatalog } from '../../contract/rules-catalog.js';
import { LoadProblem, Loading } from '../components/feedback.js';
import { useResource, useRulesCatalog } from '../data.js';
import { formatDateTime, hasMessage, useI18n, type Lang, type Translate } from '../i18n/i18n.js';
import { Link } from '../router.js';

/** What `POST /api/assessments` stored: exactly what the user was told, with the rules version. */
export interface StoredAssessment {
  id: string;
  createdAt: string;
  createdBy: string | { id?: string; displayName?: string; email?: string } | null;
  rulesVersion: string;
  request: AssessmentRequest;
  response: AssessmentResponse;
}

const verdictRank: Record<Verdict, number> = { eligible: 0, conditional: 1, ineligible: 2, unavailable: 3 };
/** A symbol beside each verdict and status: the meaning never rests on colour alone. */
export const verdictMark: Record<Verdict, string> = {
  eligible: '✓',
  conditional: '!',
  ineligible: '✕',
  unavailable: '–',
};
const statusMark: Record<ActivityStatus, string> = { permitted: '✓', conditional: '!', not_permitted: '✕' };

export function money(amount: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'ko' ? 'ko-KR' : 'en-US', {
    style: 'currency',
    currency: 'USD',
    maximumFractionDigits: 0,
  }).format(amount);
}

function creatorOf(stored: StoredAssessment): string | null {
  const by = stored.createdBy;
  if (!by) return null;
  return typeof by === 'string' ? by : (by.displayName ?? by.email ?? null);
}

/** Cards in order of usefulness: the recommendation, then eligible, conditional, ineligible, unavailable. */
function ordered(response: AssessmentResponse): CategoryResult[] {
  return response.results
    .map((result, index) => ({ result, index }))
    .sort(
      (a, b) =>
        Number(b.result.category === response.recommended) -
          Number(a.result.category === response.recommended) ||
        verdictRank[a.result.verdict] - verdictRank[b.result.verdict] ||
        a.index - b.index,
    )
    .map((x) => x.result);
}

export function VerdictBadge({ verdict }: { verdict: Verdict }) {
  const { t } = useI18n();
  return (
    <span className={`verdict verdict-${verdict}`}>
      <span aria-hidden="true" className="verdict-mark">
        {verdictMark[verdict]}
      </span>{' '}
      {t(`verdict.${verdict}`)}
    </span>
  );
}

function VerifyBadge() {
  const { t } = useI18n();
  return (
    <span className="badge badge-verify" title={t('result.verifyHelp')}>
      {t('result.verify')}
    </span>
  );
}

/** Printing shows everything: collapsed details open before the print dialog renders the page. */
function usePrintOpensDetails() {
  useEffect(() => {
    const open = () => document.querySelectorAll('details').forEach((d) => (d.open = true));
    window.addEventListener('beforeprint', open);
    return () => window.removeEventListener('beforeprint', open);
  }, []);
}

export function AssessmentResult({ id, me }: { id: string; me?: Me }) {
  const { t, lang } = useI18n();
  usePrintOpensDetails();
  const stored = useResource<StoredAssessment>(`/api/assessments/${encodeURIComponent(id)}`);
  const catalog = useRulesCatalog();
  if (stored.problem) return <LoadProblem problem={stored.problem} />;
  if (!stored.data) return <Loading />;
  const { request, response } = stored.data;
  const results = ordered(response);
  const categoryName = (result: CategoryResult) =>
    result.name?.[lang] ??
    catalog.data?.categories.find((c) => c.id === result.category)?.name[lang] ??
    result.category;
  const recommended = results.find((r) => r.category === response.recommended);
  const creator = creatorOf(stored.data);
  return (
    <article aria-labelledby="result-title" className="page result">
      <p className="breadcrumb no-print">
        <Link href="/assessments">{t('assessments.title')}</Link>
      </p>
      <div className="page-head">
        <h1 id="result-title">{t('result.title')}</h1>
        <div className="page-actions no-print">
          <button type="button" className="button-secondary" onClick={() => window.print()}>
            {t('result.print')}
          </button>
          <Link href="/assessments/new" className="button-primary">
            {t('assessments.new')}
          </Link>
        </div>
      </div>
      <dl className="facts">
        <div>
          <dt>{t('result.asOf')}</dt>
          <dd>{response.asOf}</dd>
        </div>
        <div>
          <dt>{t('result.created')}</dt>
          <dd>
            {formatDateTime(stored.data.createdAt, lang)}
            {creator ? ` · ${creator}` : ''}
          </dd>
        </div>
        <div>
          <dt>{t('result.rulesVersion')}</dt>
          <dd>
            <code>{response.rulesVersion}</code>
          </dd>
        </div>
        {request.scenario?.e4Enacted && (
          <div>
            <dt>{t('result.scenario')}</dt>
            <dd>{t('result.e4Scenario')}</dd>
          </div>
        )}
      </dl>

      <section className="recommendation" aria-labelledby="recommendation-title">
        <h2 id="recommendation-title">{t('result.recommended')}</h2>
        {recommended ? (
          <p className="recommendation-text">
            <a href={`#result-${recommended.category}`}>{categoryName(recommended)}</a>{' '}
            <VerdictBadge verdict={recommended.verdict} />
          </p>
        ) : (
          <p className="recommendation-text">{t('result.noRecommendation')}</p>
        )}
        <RequestSummary request={request} catalog={catalog.data} />
      </section>

      <aside className="notice notice-warning disclaimer" aria-label={t('result.disclaimerLabel')}>
        <p>{response.disclaimer[lang]}</p>
      </aside>

      <h2 id="overview-title">{t('result.overview')}</h2>
      {/* Focusable so that keyboard users can scroll it on narrow screens. */}
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="overview-title">
        <table aria-labelledby="overview-title" className="overview">
          <thead>
            <tr>
              <th scope="col">{t('result.category')}</th>
              <th scope="col">{t('result.verdict')}</th>
              <th scope="col">{t('result.maxStay')}</th>
              <th scope="col">{t('result.leadTypical')}</th>
              <th scope="col">{t('result.feesTotal')}</th>
            </tr>
          </thead>
          <tbody>
            {results.map((r) => (
              <tr key={r.category}>
                <th scope="row">
                  <a href={`#result-${r.category}`}>{categoryName(r)}</a>
                </th>
                <td>
                  <VerdictBadge verdict={r.verdict} />
                </td>
                <td>{r.maxStayDays === null ? '—' : t('result.days', { n: r.maxStayDays })}</td>
                <td>{r.leadTimeDays ? t('result.days', { n: r.leadTimeDays.typical }) : '—'}</td>
                <td>
                  {r.feesUsd.length
                    ? money(
                        r.feesUsd.reduce((sum, f) => sum + f.amount, 0),
                        lang,
                      )
                    : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{t('result.details')}</h2>
      <ol className="result-cards">
        {results.map((r) => (
          <li key={r.category}>
            <ResultCard
              result={r}
              name={categoryName(r)}
              recommended={r.category === response.recommended}
              catalog={catalog.data}
              open={
                me?.capabilities.includes('pipeline.write') &&
                (r.verdict === 'eligible' || r.verdict === 'conditional') ? (
                  <OpenFromAssessment
                    assessmentId={id}
                    category={r.category}
                    categoryName={categoryName(r)}
                  />
                ) : null
              }
            />
          </li>
        ))}
      </ol>
      <aside className="notice notice-warning disclaimer print-only" aria-hidden="true">
        <p>{response.disclaimer[lang]}</p>
      </aside>
    </article>
  );
}

function RequestSummary({ request, catalog }: { request: AssessmentRequest; catalog: RulesCatalog | null }) {
  const { t, lang } = useI18n();
  const label = (id: string) => catalog?.activities.find((a) => a.id === id)?.label[lang] ?? id;
  const { worker, employer, assignment } = request;
  return (
    <dl className="facts facts-compact">
      <div>
        <dt>{t('result.worker')}</dt>
        <dd>
          {t(`workerRole.${worker.role}`)} · {t(`education.${worker.education}`)} ·{' '}
          {t('wizard.yearsValue', { n: worker.yearsSpecializedExperience })}
        </dd>
      </div>
      <div>
        <dt>{t('result.period')}</dt>
        <dd>
          {assignment.startDate} – {assignment.endDate}
        </dd>
      </div>
      <div>
        <dt>{t('wizard.q.payer.label')}</dt>
        <dd>{t(`payer.${assignment.payer}`)}</dd>
      </div>
      <div>
        <dt>{t('wizard.q.relationship.label')}</dt>
        <dd>
          {t(`relationship.${employer.relationship}`)} ·{' '}
          {t('wizard.percentValue', { n: employer.koreanOwnershipPercent })}
        </dd>
      </div>
      <div className="facts-wide">
        <dt>{t('wizard.q.activities.label')}</dt>
        <dd>{assignment.activities.map(label).join(', ')}</dd>
      </div>
    </dl>
  );
}

function leadTimeText(r: CategoryResult, t: Translate): string {
  const lead = r.leadTimeDays;
  if (!lead) return '—';
  return t('result.leadTimeRange', { min: lead.min, typical: lead.typical, max: lead.max });
}

function ResultCard({
  result: r,
  name,
  recommended,
  catalog,
  open: openCase,
}: {
  result: CategoryResult;
  name: string;
  recommended: boolean;
  catalog: RulesCatalog | null;
  /** "Open a case" for this category (eligible or conditional, and the reader can open cases). */
  open?: ReactNode;
}) {
  const { t, lang } = useI18n();
  const meta = catalog?.categories.find((c) => c.id === r.category);
  const activityLabel = (id: string) => catalog?.activities.find((a) => a.id === id)?.label[lang] ?? id;
  const activities = (Object.entries(r.activities) as [ActivityId, ActivityStatus][]).sort(
    ([a], [b]) => activityIds.indexOf(a) - activityIds.indexOf(b),
  );
  const titleId = `result-${r.category}-title`;
  const provisions = r.provisions?.length ? r.provisions : r.provision ? [r.provision] : [];
  // Where the category fits, every reason is its justification; where it does not, what failed comes first.
  const open = r.verdict === 'eligible' || r.verdict === 'conditional';
  return (
    <section
      id={`result-${r.category}`}
      className={`result-card verdict-border-${r.verdict}`}
      aria-labelledby={titleId}
    >
      <header className="result-card-head">
        <h3 id={titleId}>{name}</h3>
        <VerdictBadge verdict={r.verdict} />
        {recommended && <span className="badge badge-recommended">{t('result.recommendedBadge')}</span>}
        {r.verify && <VerifyBadge />}
        {meta && !meta.openToKoreanNationals && (
          <span className="badge badge-muted">{t('rules.notOpenToKoreans')}</span>
        )}
        {meta?.proposed && <span className="badge badge-muted">{t('rules.proposed')}</span>}
      </header>
      {meta && <p className="muted">{meta.summary[lang]}</p>}
      {openCase && <div className="no-print open-case-slot">{openCase}</div>}
      <dl className="facts facts-compact">
        {provisions.length > 0 && (
          <div>
            <dt>{t('result.provision')}</dt>
            <dd>
              {provisions.map((p) => (hasMessage(`provision.${p}`) ? t(`provision.${p}`) : p)).join(' · ')}
            </dd>
          </div>
        )}
        <div>
          <dt>{t('result.maxStay')}</dt>
          <dd>
            {r.maxStayDays === null ? '—' : t('result.days', { n: r.maxStayDays })}
            {r.admitUntil ? ` (${t('result.admitUntil', { date: r.admitUntil })})` : ''}
          </dd>
        </div>
        <div>
          <dt>{t('result.leadTime')}</dt>
          <dd>
            {leadTimeText(r, t)} {r.leadTimeDays?.verify && <VerifyBadge />}
            {r.leadTimeDays?.basis && <span className="help">{r.leadTimeDays.basis[lang]}</span>}
          </dd>
        </div>
        <div>
          <dt>{t('result.cap')}</dt>
          <dd>
            {r.cap
              ? t('result.capValue', { program: r.cap.program, fiscalYear: r.cap.fiscalYear }) +
                (r.cap.pool
                  ? ` · ${hasMessage(`capPool.${r.cap.pool}`) ? t(`capPool.${r.cap.pool}`) : r.cap.pool}`
                  : '')
              : t('result.noCap')}
          </dd>
        </div>
      </dl>

      {activities.length > 0 && (
        <table className="activity-table">
          <caption>{t('result.activities', { name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('result.activity')}</th>
              <th scope="col">{t('result.status')}</th>
            </tr>
          </thead>
          <tbody>
            {activities.map(([activity, status]) => (
              <tr key={activity}>
                <th scope="row">{activityLabel(activity)}</th>
                <td>
                  <span className={`status status-${status}`}>
                    <span aria-hidden="true">{statusMark[status]}</span> {t(`activityStatus.${status}`)}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {r.reasons.length > 0 && (
        <>
          <h4>{t('result.reasons')}</h4>
          {open ? (
            <ReasonList reasons={r.reasons} />
          ) : (
            <>
              <ReasonList reasons={r.reasons.filter((reason) => !reason.passed)} />
              {r.reasons.some((reason) => reason.passed) && (
                <details className="more-reasons">
                  <summary>
                    {t('result.metReasons', { n: r.reasons.filter((reason) => reason.passed).length })}
                  </summary>
                  <ReasonList reasons={r.reasons.filter((reason) => reason.passed)} />
                </details>
              )}
            </>
          )}
        </>
      )}

      {open ? (
        <CardDetails result={r} name={name} />
      ) : (
        <details className="more-reasons">
          <summary>{t('result.moreDetails', { name })}</summary>
          <CardDetails result={r} name={name} />
        </details>
      )}
    </section>
  );
}

/** Conditions, documents, fees and notes of a category: what it takes to use it. */
function CardDetails({ result: r, name }: { result: CategoryResult; name: string }) {
  const { t, lang } = useI18n();
  return (
    <>
      {r.attestations.length > 0 && (
        <>
          <h4>{t('result.attestations')}</h4>
          <p className="help">{t('result.attestationsHelp')}</p>
          <ul className="attestations">
            {r.attestations.map((a) => (
              <li key={a.rule}>
                {a.message[lang]} {a.citation && <Citation citation={a.citation} />}
              </li>
            ))}
          </ul>
        </>
      )}

      {r.documents.length > 0 && (
        <>
          <h4>{t('result.documents')}</h4>
          <ul className="documents">
            {r.documents.map((d) => (
              <li key={d.id}>{d.label[lang]}</li>
            ))}
          </ul>
        </>
      )}

      {r.feesUsd.length > 0 && (
        <>
          <h4>{t('result.fees')}</h4>
          <table className="fee-table">
            <caption className="visually-hidden">{t('result.feesOf', { name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('result.feeItem')}</th>
                <th scope="col" className="num">
                  {t('result.amount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {r.feesUsd.map((f) => (
                <tr key={f.item}>
                  <th scope="row">
                    {f.label?.[lang] ?? f.item} {f.verify && <VerifyBadge />}
                  </th>
                  <td className="num">{money(f.amount, lang)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('result.total')}</th>
                <td className="num">
                  {money(
                    r.feesUsd.reduce((sum, f) => sum + f.amount, 0),
                    lang,
                  )}
                </td>
              </tr>
            </tfoot>
          </table>
        </>
      )}

      {r.notes && r.notes.length > 0 && (
        <>
          <h4>{t('result.notes')}</h4>
          <ul className="notes">
            {r.notes.map((n) => (
              <li key={n.id}>
                {n.verify && <VerifyBadge />} {n.message[lang]}{' '}
                {n.citation && <Citation citation={n.citation} href={n.sourceUrl} />}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function ReasonList({ reasons }: { reasons: Reason[] }) {
  const { t, lang } = useI18n();
  return (
    <ul className="reasons">
      {reasons.map((reason) => (
        <li key={reason.rule} className={reason.passed ? 'reason-pass' : 'reason-fail'}>
          <span className="reason-mark" aria-hidden="true">
            {reason.passed ? '✓' : '✕'}
          </span>
          <span>
            <span className="visually-hidden">
              {reason.passed ? t('result.passed') : t('result.failed')}:{' '}
            </span>
            {reason.message[lang]} <Citation citation={reason.citation} href={reason.sourceUrl} />
            {reason.verify && <VerifyBadge />}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function Citation({ citation, href }: { citation: string; href?: string | undefined }) {
  return href ? (
    <a className="citation" href={href} target="_blank" rel="noreferrer noopener">
      {citation}
    </a>
  ) : (
    <cite className="citation">{citation}</cite>
  );
}
