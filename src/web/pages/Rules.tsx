import { useId, useState } from 'react';
import type { CatalogParameter, ParameterUnit, ParameterValue } from '../../contract/rules-catalog.js';
import { LoadProblem, Loading } from '../components/feedback.js';
import { useRulesCatalog } from '../data.js';
import { useI18n, type Lang, type Translate } from '../i18n/i18n.js';
import { todayUtc } from '../assessment/wizard.js';
import { Citation, money } from './AssessmentResult.js';

/** Folders of `rules/parameters/` are named after the authority that owns the law. */
const authorities = ['congress', 'dhs', 'dos', 'policy', 'korus', 'pending'];

/** A pending change's status text in the reader's language (its value: `{ affects, en, ko }`). */
function pendingText(value: ParameterValue, lang: Lang): string | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const text = (value as Record<string, ParameterValue>)[lang];
  return typeof text === 'string' ? text : null;
}

/** `day` plus `days`, as YYYY-MM-DD (UTC). */
function plusDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function formatParameterValue(value: ParameterValue, unit: ParameterUnit, t: Translate, lang: Lang) {
  if (value === null) return t('rules.notInForce');
  if (typeof value === 'number') {
    switch (unit) {
      case 'usd':
        return money(value, lang);
      case 'day':
        return t('result.days', { n: value });
      case 'month':
        return t('rules.months', { n: value });
      case 'year':
        return t('rules.years', { n: value });
      case 'percent':
        return t('wizard.percentValue', { n: value });
      default:
        return new Intl.NumberFormat(lang === 'ko' ? 'ko-KR' : 'en-US').format(value);
    }
  }
  if (typeof value === 'boolean') return value ? t('wizard.yes') : t('wizard.no');
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The value in force on `day`: the last one whose effective date is on or before it. */
export function inForceIndex(parameter: CatalogParameter, day: string): number {
  let found = -1;
  parameter.values.forEach((v, i) => {
    if (v.effective <= day && (found < 0 || v.effective >= parameter.values[found]!.effective)) found = i;
  });
  return found;
}

export function RulesPage() {
  const { t, lang } = useI18n();
  const catalog = useRulesCatalog();
  const [filter, setFilter] = useState('');
  const filterId = useId();
  if (catalog.problem) return <LoadProblem problem={catalog.problem} />;
  if (!catalog.data) return <Loading />;
  const { categories, activities, parameters, rulesVersion } = catalog.data;
  const today = todayUtc();
  const needle = filter.trim().toLowerCase();
  const shown = parameters.filter(
    (p) =>
      !needle ||
      p.id.toLowerCase().includes(needle) ||
      p.label.en.toLowerCase().includes(needle) ||
      p.label.ko.includes(needle),
  );
  const groups = authorities
    .map((a) => ({ authority: a, items: shown.filter((p) => p.id.split('/')[0] === a) }))
    .concat([{ authority: 'other', items: shown.filter((p) => !authorities.includes(p.id.split('/')[0]!)) }])
    .filter((g) => g.items.length > 0);
  const verifyCount = parameters.filter((p) => p.values.some((v) => v.status === 'verify')).length;
  const pending = parameters.filter((p) => p.id.startsWith('pending/') && inForceIndex(p, today) >= 0);
  // The review cycle: what is overdue today or due within 30 days, parameters and rules alike.
  const horizon = plusDays(today, 30);
  const reviewItems = [
    ...parameters.map((p) => ({ id: p.id, label: p.label, reviewed: p.reviewed, reviewBy: p.reviewBy })),
    ...categories.flatMap((c) =>
      c.requirements.map((r) => ({ id: r.id, label: r.summary, reviewed: r.reviewed, reviewBy: r.reviewBy })),
    ),
  ]
    .filter((i, index, all) => i.reviewBy <= horizon && all.findIndex((j) => j.id === i.id) === index)
    .sort((a, b) => (a.reviewBy < b.reviewBy ? -1 : 1));
  const overdue = reviewItems.filter((i) => i.reviewBy < today);

  return (
    <section aria-labelledby="rules-title" className="page rules">
      <h1 id="rules-title">{t('rules.title')}</h1>
      <p className="lead">{t('rules.intro')}</p>
      <dl className="facts">
        <div>
          <dt>{t('result.rulesVersion')}</dt>
          <dd>
            <code>{rulesVersion}</code>
          </dd>
        </div>
        <div>
          <dt>{t('rules.parameterCount')}</dt>
          <dd>{parameters.length}</dd>
        </div>
        <div>
          <dt>{t('rules.verifyCount')}</dt>
          <dd>{verifyCount}</dd>
        </div>
      </dl>
      <nav aria-label={t('rules.sections')} className="toc">
        <ul>
          <li>
            <a href="#rules-categories">{t('rules.categories')}</a>
          </li>
          <li>
            <a href="#rules-activities">{t('rules.activities')}</a>
          </li>
          <li>
            <a href="#rules-parameters">{t('rules.parameters')}</a>
          </li>
          <li>
            <a href="#rules-pending">{t('rules.pending')}</a>
          </li>
          <li>
            <a href="#rules-review">{t('rules.review')}</a>
          </li>
        </ul>
      </nav>

      <h2 id="rules-pending">{t('rules.pending')}</h2>
      <p className="muted">{t('rules.pendingIntro')}</p>
      {pending.length === 0 ? (
        <p>{t('rules.noPending')}</p>
      ) : (
        <ul className="pending-changes">
          {pending.map((p) => {
            const entry = p.values[inForceIndex(p, today)]!;
            return (
              <li key={p.id}>
                <strong>{p.label[lang]}</strong>{' '}
                <span className="badge badge-verify" title={t('result.verifyHelp')}>
                  {t('result.verify')}
                </span>
                <p>{pendingText(entry.value, lang)}</p>
                <Sources references={entry.reference} />
              </li>
            );
          })}
        </ul>
      )}

      <h2 id="rules-review">{t('rules.review')}</h2>
      <p className="muted">{t('rules.reviewIntro')}</p>
      <p role="status">
        {t('rules.reviewCounts', { overdue: overdue.length, due: reviewItems.length - overdue.length })}
      </p>
      {reviewItems.length > 0 && (
        <ul className="review-due">
          {reviewItems.map((i) => (
            <li key={i.id}>
              <span className={`badge ${i.reviewBy < today ? 'badge-verify' : 'badge-muted'}`}>
                {i.reviewBy < today ? t('rules.overdue') : t('rules.due')}
              </span>{' '}
              {i.label[lang]} <code className="muted">{i.id}</code> ·{' '}
              {t('rules.reviewed', { date: i.reviewed, by: i.reviewBy })}
            </li>
          ))}
        </ul>
      )}

      <h2 id="rules-categories">{t('rules.categories')}</h2>
      {categories.map((c) => (
        <details key={c.id} className="rule-category">
          <summary>
            <span className="rule-category-name">{c.name[lang]}</span>
            {!c.openToKoreanNationals && (
              <span className="badge badge-muted">{t('rules.notOpenToKoreans')}</span>
            )}
            {c.proposed && <span className="badge badge-muted">{t('rules.proposed')}</span>}
            <span className="rule-category-summary">{c.summary[lang]}</span>
          </summary>
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">
                {t('rules.requirementsOf', { name: c.name[lang] })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('rules.requirement')}</th>
                  <th scope="col">{t('rules.citation')}</th>
                  <th scope="col">{t('rules.kind')}</th>
                  <th scope="col">{t('rules.reviewedColumn')}</th>
                </tr>
              </thead>
              <tbody>
                {c.requirements.map((r) => (
                  <tr key={r.id}>
                    <td>
                      {r.summary[lang]}
                      <br />
                      <code className="muted">{r.id}</code>
                    </td>
                    <td>
                      <Citation citation={r.citation} href={r.sourceUrl} />
                    </td>
                    <td>
                      {r.attestation ? (
                        <span className="badge badge-judgement">{t('wizard.judgement')}</span>
                      ) : (
                        t('rules.checked')
                      )}
                    </td>
                    <td>{r.reviewed}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ))}

      <h2 id="rules-activities">{t('rules.activities')}</h2>
      <dl className="activity-list">
        {activities.map((a) => (
          <div key={a.id}>
            <dt>{a.label[lang]}</dt>
            <dd>
              {a.help[lang]} <code className="muted">{a.id}</code>
            </dd>
          </div>
        ))}
      </dl>

      <h2 id="rules-parameters">{t('rules.parameters')}</h2>
      <p className="muted">{t('rules.parametersIntro', { today })}</p>
      <div className="question filter">
        <label htmlFor={filterId}>{t('rules.filter')}</label>
        <input
          id={filterId}
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          aria-describedby={`${filterId}-count`}
        />
        <span id={`${filterId}-count`} className="muted" aria-live="polite">
          {t('rules.shown', { n: shown.length, total: parameters.length })}
        </span>
      </div>
      {groups.map((g) => (
        <section key={g.authority} aria-labelledby={`authority-${g.authority}`}>
          <h3 id={`authority-${g.authority}`} className="authority">
            {t(`rules.authority.${g.authority}`)}
          </h3>
          {g.items.map((p) => (
            <ParameterCard key={p.id} parameter={p} today={today} />
          ))}
        </section>
      ))}
    </section>
  );
}

/** A value's sources, each opening in a new tab. */
function Sources({ references }: { references: readonly { title: string; href: string }[] }) {
  return (
    <ul className="sources">
      {references.map((r) => (
        <li key={r.href + r.title}>
          <a href={r.href} target="_blank" rel="noreferrer noopener">
            {r.title}
          </a>
        </li>
      ))}
    </ul>
  );
}

function ParameterCard({ parameter: p, today }: { parameter: CatalogParameter; today: string }) {
  const { t, lang } = useI18n();
  const current = inForceIndex(p, today);
  const titleId = `param-${p.id.replace(/[^a-z0-9]+/gi, '-')}`;
  const verify = p.values.some((v) => v.status === 'verify');
  return (
    <article className="parameter" aria-labelledby={titleId}>
      <header className="parameter-head">
        <h4 id={titleId}>{p.label[lang]}</h4>
        {verify && (
          <span className="badge badge-verify" title={t('result.verifyHelp')}>
            {t('result.verify')}
          </span>
        )}
      </header>
      <p className="muted">
        <code>{p.id}</code> · {t(`unit.${p.unit}`)} ·{' '}
        {t('rules.reviewed', { date: p.reviewed, by: p.reviewBy })}
      </p>
      <p lang="en" className="parameter-description">
        {p.description}
      </p>
      <div className="table-scroll">
        <table className="values">
          <caption className="visually-hidden">{t('rules.valuesOf', { name: p.label[lang] })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('rules.effective')}</th>
              <th scope="col">{t('rules.value')}</th>
              <th scope="col">{t('rules.sources')}</th>
            </tr>
          </thead>
          <tbody>
            {p.values.map((v, i) => {
              const status = p.id.startsWith('pending/') ? pendingText(v.value, lang) : null;
              const text = status ?? formatParameterValue(v.value, p.unit, t, lang);
              const structured = status === null && v.value !== null && typeof v.value === 'object';
              return (
                <tr key={`${v.effective}-${i}`} className={i === current ? 'in-force' : undefined}>
                  <td>
                    {v.effective}
                    {i === current && <span className="badge badge-current">{t('rules.inForce')}</span>}
                  </td>
                  <td>
                    {structured ? <code className="json">{text}</code> : <strong>{text}</strong>}{' '}
                    {v.status === 'verify' && (
                      <span className="badge badge-verify" title={t('result.verifyHelp')}>
                        {t('result.verify')}
                      </span>
                    )}
                    {v.note && (
                      <p lang="en" className="help">
                        {v.note}
                      </p>
                    )}
                  </td>
                  <td>
                    <Sources references={v.reference} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </article>
  );
}
