import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { ActivityId, BilingualText } from '../../contract/assessment.js';
import type { RulesCatalog } from '../../contract/rules-catalog.js';
import { api, ApiProblem } from '../api.js';
import {
  emptyAnswers,
  nationalities,
  questionForPath,
  questionsOf,
  stepProblems,
  toRequest,
  todayUtc,
  visibleSteps,
  type Answers,
  type Question,
  type QuestionId,
  type StepId,
} from '../assessment/wizard.js';
import { LoadProblem, Loading } from '../components/feedback.js';
import { useRulesCatalog } from '../data.js';
import { hasMessage, useI18n, type Lang, type Translate } from '../i18n/i18n.js';
import { Link, navigate } from '../router.js';

/** A field's problem: a catalog message key (checked here) or the server's bilingual message. */
type FieldMessage = { key: string } | { messages: BilingualText };
/** Keyed by question id, `asOf` (review step), or the server's path when no question matches it. */
type FieldMessages = Partial<Record<string, FieldMessage>>;

const DRAFT_KEY = 'korus.assessment-draft';

/** Activities grouped the way a site manager thinks of them; ids and labels come from the rules catalog. */
const activityGroups: { id: string; activities: ActivityId[] }[] = [
  { id: 'business', activities: ['meetings', 'negotiation', 'conference', 'site_visit'] },
  {
    id: 'equipment',
    activities: [
      'equipment_installation',
      'equipment_servicing',
      'equipment_supervision',
      'train_us_workers',
      'receive_training',
    ],
  },
  {
    id: 'construction',
    activities: ['construction_work', 'construction_supervision', 'production_work', 'skilled_trade_work'],
  },
  {
    id: 'professional',
    activities: ['engineering_work', 'managing_us_operations', 'supervising_us_staff', 'administrative_work'],
  },
];

function restoreDraft(): { answers: Answers; step: StepId } | null {
  try {
    const text = sessionStorage.getItem(DRAFT_KEY);
    return text ? (JSON.parse(text) as { answers: Answers; step: StepId }) : null;
  } catch {
    return null;
  }
}

function messageText(message: FieldMessage | undefined, t: Translate, lang: Lang): string | undefined {
  if (!message) return undefined;
  return 'key' in message ? t(message.key) : message.messages[lang];
}

export function AssessmentWizard() {
  const { t, lang } = useI18n();
  const catalog = useRulesCatalog();
  const draft = useMemo(restoreDraft, []);
  const [answers, setAnswers] = useState<Answers>(() => ({ ...emptyAnswers(todayUtc()), ...draft?.answers }));
  const [step, setStep] = useState<StepId>(draft?.step ?? 'assignment');
  const [reached, setReached] = useState<number>(() => visibleSteps(answers).indexOf(step));
  const [messages, setMessages] = useState<FieldMessages>({});
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const summary = useRef<HTMLDivElement>(null);
  const firstRender = useRef(true);

  const stepList = visibleSteps(answers);
  const index = Math.max(0, stepList.indexOf(step));

  useEffect(() => {
    sessionStorage.setItem(DRAFT_KEY, JSON.stringify({ answers, step }));
  }, [answers, step]);

  useEffect(() => {
    // Moving between steps puts the reader at the new step's heading (not on the first render).
    if (firstRender.current) firstRender.current = false;
    else heading.current?.focus();
  }, [step]);

  const set = <K extends keyof Answers>(id: K, value: Answers[K]) => {
    setAnswers((current) => ({ ...current, [id]: value }));
    setMessages((current) => {
      if (!(id in current)) return current;
      const next = { ...current };
      delete next[id as QuestionId];
      return next;
    });
  };

  const goTo = (next: StepId) => {
    setStep(next);
    setReached((r) => Math.max(r, stepList.indexOf(next)));
    setMessages({});
    setProblem(null);
    window.scrollTo(0, 0);
  };

  const showProblems = (found: FieldMessages) => {
    setMessages(found);
    requestAnimationFrame(() => summary.current?.focus());
  };

  const next = (event: FormEvent) => {
    event.preventDefault();
    if (step === 'review') return void submit();
    const found = stepProblems(step, answers);
    if (Object.keys(found).length > 0)
      return showProblems(Object.fromEntries(Object.entries(found).map(([id, key]) => [id, { key }])));
    goTo(stepList[index + 1]!);
  };

  const submit = async () => {
    for (const s of stepList) {
      const found = stepProblems(s, answers);
      if (Object.keys(found).length > 0) {
        setStep(s);
        return showProblems(Object.fromEntries(Object.entries(found).map(([id, key]) => [id, { key }])));
      }
    }
    setBusy(true);
    setProblem(null);
    try {
      const created = await api<{ id: string }>('POST', '/api/assessments', toRequest(answers));
      sessionStorage.removeItem(DRAFT_KEY);
      navigate(`/assessments/${created.id}`);
    } catch (error) {
      const failure =
        error instanceof ApiProblem
          ? error
          : new ApiProblem(0, 'unexpected', { en: t('error.unexpected'), ko: t('error.unexpected') });
      setProblem(failure);
      const found: FieldMessages = {};
      let first: StepId | undefined;
      for (const e of failure.errors) {
        const q = questionForPath(e.path);
        const key = q?.id ?? e.path;
        const where: StepId = q?.step ?? 'review';
        found[key] ??= { messages: e.messages };
        if (!first || stepList.indexOf(where) < stepList.indexOf(first)) first = where;
      }
      if (first) setStep(first);
      showProblems(found);
    } finally {
      setBusy(false);
    }
  };

  const restart = () => {
    sessionStorage.removeItem(DRAFT_KEY);
    setAnswers(emptyAnswers(todayUtc()));
    setReached(0);
    goTo('assignment');
  };

  if (catalog.problem) return <LoadProblem problem={catalog.problem} />;
  if (!catalog.data) return <Loading />;

  const fieldMessages = Object.entries(messages) as [string, FieldMessage][];
  const fieldLabel = (id: string) =>
    id === 'asOf' ? t('wizard.asOf') : hasMessage(`wizard.q.${id}.label`) ? t(`wizard.q.${id}.label`) : id;
  return (
    <section aria-labelledby="wizard-title" className="page wizard">
      <p className="breadcrumb">
        <Link href="/assessments">{t('assessments.title')}</Link>
      </p>
      <h1 id="wizard-title">{t('wizard.title')}</h1>
      <p className="lead">{t('wizard.intro')}</p>
      <nav aria-label={t('wizard.progress')}>
        <ol className="stepper">
          {stepList.map((s, i) => (
            <li key={s} className={i < index ? 'done' : i === index ? 'current' : undefined}>
              {i <= reached && i !== index ? (
                <button type="button" className="button-link" onClick={() => goTo(s)}>
                  <span className="step-number" aria-hidden="true">
                    {i + 1}
                  </span>
                  {t(`wizard.step.${s}`)}
                </button>
              ) : (
                <span aria-current={i === index ? 'step' : undefined}>
                  <span className="step-number" aria-hidden="true">
                    {i + 1}
                  </span>
                  {t(`wizard.step.${s}`)}
                </span>
              )}
            </li>
          ))}
        </ol>
      </nav>
      <form className="wizard-form" onSubmit={next} noValidate>
        <h2 ref={heading} tabIndex={-1} className="step-title">
          {t('wizard.stepOf', { n: index + 1, total: stepList.length, name: t(`wizard.step.${step}`) })}
        </h2>
        <p className="muted">{t(`wizard.stepIntro.${step}`)}</p>
        <div ref={summary} tabIndex={-1} aria-live="assertive" className="error-summary-slot">
          {(fieldMessages.length > 0 || problem) && (
            <div className="notice notice-error" role="alert">
              <p>
                <strong>
                  {problem && fieldMessages.length === 0 ? problem.text(lang) : t('error.fieldErrors')}
                </strong>
              </p>
              {fieldMessages.length > 0 && (
                <ul>
                  {fieldMessages.map(([id, m]) => (
                    <li key={id}>
                      <a href={`#q-${id}`}>
                        {fieldLabel(id)}: {messageText(m, t, lang)}
                      </a>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </div>
        {step === 'review' ? (
          <Review
            answers={answers}
            catalog={catalog.data}
            set={set}
            goTo={goTo}
            stepList={stepList}
            asOfMessage={messageText(messages.asOf, t, lang)}
          />
        ) : (
          questionsOf(step, answers).map((q) => (
            <QuestionField
              key={q.id}
              question={q}
              answers={answers}
              set={set}
              catalog={catalog.data!}
              message={messageText(messages[q.id], t, lang)}
            />
          ))
        )}
        <div className="wizard-actions">
          {index > 0 && (
            <button type="button" className="button-secondary" onClick={() => goTo(stepList[index - 1]!)}>
              {t('wizard.back')}
            </button>
          )}
          <button type="submit" className="button-primary" disabled={busy} aria-busy={busy}>
            {step === 'review' ? (busy ? t('wizard.assessing') : t('wizard.submit')) : t('wizard.next')}
          </button>
          <button type="button" className="button-link wizard-restart" onClick={restart}>
            {t('wizard.restart')}
          </button>
        </div>
        {busy && (
          <p role="status" className="muted">
            <span className="spinner" aria-hidden="true" /> {t('wizard.assessing')}
          </p>
        )}
      </form>
    </section>
  );
}

function Label({ question }: { question: Question }) {
  const { t } = useI18n();
  return (
    <>
      {t(`wizard.q.${question.id}.label`)}
      {question.judgement && <span className="badge badge-judgement">{t('wizard.judgement')}</span>}
    </>
  );
}

function QuestionField({
  question,
  answers,
  set,
  catalog,
  message,
}: {
  question: Question;
  answers: Answers;
  set: <K extends keyof Answers>(id: K, value: Answers[K]) => void;
  catalog: RulesCatalog;
  message: string | undefined;
}) {
  const { t, lang } = useI18n();
  const id = `q-${question.id}`;
  const helpId = question.help ? `${id}-help` : undefined;
  const errorId = message ? `${id}-error` : undefined;
  const describedBy = [helpId, errorId].filter(Boolean).join(' ') || undefined;
  const value = answers[question.id];
  const help = question.help && (
    <p id={helpId} className="help">
      {t(`wizard.q.${question.id}.help`)}
      {question.judgement && <> {t('wizard.judgementHelp')}</>}
    </p>
  );
  const error = message && (
    <p id={errorId} className="field-error">
      {message}
    </p>
  );
  const kind = question.kind;
  const invalid = message ? true : undefined;

  if (kind.type === 'activities') {
    const labels = new Map(catalog.activities.map((a) => [a.id, a]));
    return (
      <fieldset className="question" aria-describedby={errorId} id={id} tabIndex={-1}>
        <legend>
          <Label question={question} />
        </legend>
        <p className="help">{t('wizard.q.activities.help')}</p>
        {error}
        <div className="activity-groups">
          {activityGroups.map((group) => (
            <div key={group.id} className="activity-group" role="group" aria-labelledby={`ag-${group.id}`}>
              <h3 id={`ag-${group.id}`}>{t(`wizard.activityGroup.${group.id}`)}</h3>
              {group.activities.map((activity) => {
                const entry = labels.get(activity);
                const checked = answers.activities.includes(activity);
                return (
                  <div key={activity} className="check">
                    <input
                      type="checkbox"
                      id={`activity-${activity}`}
                      checked={checked}
                      aria-describedby={`activity-${activity}-help`}
                      onChange={() =>
                        set(
                          'activities',
                          checked
                            ? answers.activities.filter((a) => a !== activity)
                            : [...answers.activities, activity],
                        )
                      }
                    />
                    <div>
                      <label htmlFor={`activity-${activity}`}>{entry?.label[lang] ?? activity}</label>
                      <span id={`activity-${activity}-help`} className="help">
                        {entry?.help[lang]}
                      </span>
                    </div>
                  </div>
                );
              })}
            </div>
          ))}
        </div>
      </fieldset>
    );
  }

  if (kind.type === 'yesno' || kind.type === 'radio') {
    const options = kind.type === 'yesno' ? ['yes', 'no'] : kind.options;
    const current = kind.type === 'yesno' ? (value === true ? 'yes' : value === false ? 'no' : '') : value;
    return (
      <fieldset className="question" aria-describedby={describedBy} aria-invalid={invalid}>
        <legend>
          <Label question={question} />
        </legend>
        {help}
        {error}
        <div className={kind.type === 'yesno' ? 'choices choices-inline' : 'choices'}>
          {options.map((option, i) => (
            <div key={option} className="check">
              <input
                type="radio"
                name={id}
                id={i === 0 ? id : `${id}-${option}`}
                value={option}
                checked={current === option}
                onChange={() =>
                  set(question.id, (kind.type === 'yesno' ? option === 'yes' : option) as Answers[QuestionId])
                }
              />
              <label htmlFor={i === 0 ? id : `${id}-${option}`}>
                {kind.type === 'yesno' ? t(`wizard.${option}`) : t(`${kind.optionKey}.${option}`)}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
    );
  }

  let control: ReactNode;
  const common = {
    id,
    'aria-describedby': describedBy,
    'aria-invalid': invalid,
    required: true,
  };
  if (kind.type === 'select' || kind.type === 'country') {
    const names = new Intl.DisplayNames([lang], { type: 'region' });
    const options =
      kind.type === 'country'
        ? [...nationalities].map((code) => ({ value: code, label: `${names.of(code) ?? code} (${code})` }))
        : kind.options.map((o) => ({ value: o, label: t(`${kind.optionKey}.${o}`) }));
    control = (
      <select
        {...common}
        value={String(value)}
        onChange={(e) => set(question.id, e.target.value as Answers[QuestionId])}
      >
        {kind.type !== 'country' && <option value="">{t('admin.select')}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else {
    control = (
      <input
        {...common}
        type={kind.type}
        {...(kind.type === 'number'
          ? { min: kind.min, max: kind.max, step: kind.step, inputMode: 'decimal' as const }
          : {})}
        value={String(value)}
        onChange={(e) => set(question.id, e.target.value as Answers[QuestionId])}
      />
    );
  }
  return (
    <div className="question">
      <label htmlFor={id}>
        <Label question={question} />
      </label>
      {help}
      {error}
      <div className="control">
        {control}
        {kind.type === 'number' && (
          <span className="unit" aria-hidden="true">
            {t(kind.max === 100 ? 'wizard.unit.percent' : 'wizard.unit.years')}
          </span>
        )}
      </div>
    </div>
  );
}

function Review({
  answers,
  catalog,
  set,
  goTo,
  stepList,
  asOfMessage,
}: {
  answers: Answers;
  catalog: RulesCatalog;
  set: <K extends keyof Answers>(id: K, value: Answers[K]) => void;
  goTo: (step: StepId) => void;
  stepList: StepId[];
  asOfMessage: string | undefined;
}) {
  const { t, lang } = useI18n();
  const labels = new Map(catalog.activities.map((a) => [a.id, a.label[lang]]));
  const names = new Intl.DisplayNames([lang], { type: 'region' });
  const shown = (q: Question): string => {
    const value = answers[q.id];
    const kind = q.kind;
    if (kind.type === 'activities') return answers.activities.map((a) => labels.get(a) ?? a).join(', ');
    if (kind.type === 'yesno')
      return value === true ? t('wizard.yes') : value === false ? t('wizard.no') : '—';
    if (kind.type === 'select' || kind.type === 'radio') return value ? t(`${kind.optionKey}.${value}`) : '—';
    if (kind.type === 'country') return names.of(String(value)) ?? String(value);
    if (kind.type === 'number')
      return t(kind.max === 100 ? 'wizard.percentValue' : 'wizard.yearsValue', { n: Number(value) });
    return String(value || '—');
  };
  return (
    <>
      {stepList
        .filter((s) => s !== 'review')
        .map((s) => (
          <section key={s} className="review-step" aria-labelledby={`review-${s}`}>
            <div className="review-head">
              <h3 id={`review-${s}`}>{t(`wizard.step.${s}`)}</h3>
              <button
                type="button"
                className="button-link"
                onClick={() => goTo(s)}
                aria-label={t('wizard.changeStep', { name: t(`wizard.step.${s}`) })}
              >
                {t('wizard.change')}
              </button>
            </div>
            <dl className="review-list">
              {questionsOf(s, answers).map((q) => (
                <div key={q.id}>
                  <dt>
                    {t(`wizard.q.${q.id}.label`)}
                    {q.judgement && <span className="badge badge-judgement">{t('wizard.judgement')}</span>}
                  </dt>
                  <dd>{shown(q)}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      <div className="question">
        <label htmlFor="q-asOf">{t('wizard.asOf')}</label>
        <p id="q-asOf-help" className="help">
          {t('wizard.asOfHelp', { earliest: catalog.earliestAsOf ?? '2024-01-01' })}
        </p>
        {asOfMessage && (
          <p id="q-asOf-error" className="field-error">
            {asOfMessage}
          </p>
        )}
        <div className="control">
          <input
            id="q-asOf"
            type="date"
            aria-describedby={asOfMessage ? 'q-asOf-help q-asOf-error' : 'q-asOf-help'}
            aria-invalid={asOfMessage ? true : undefined}
            min={catalog.earliestAsOf}
            value={answers.asOf}
            onChange={(e) => set('asOf', e.target.value)}
          />
        </div>
      </div>
      <div className="question check">
        <input
          type="checkbox"
          id="q-e4Enacted"
          aria-describedby="q-e4Enacted-help"
          checked={answers.e4Enacted}
          onChange={(e) => set('e4Enacted', e.target.checked)}
        />
        <div>
          <label htmlFor="q-e4Enacted">{t('wizard.e4Enacted')}</label>
          <span id="q-e4Enacted-help" className="help">
            {t('wizard.e4EnactedHelp')}
          </span>
        </div>
      </div>
    </>
  );
}
