import { useCallback, useEffect, useRef, useState } from 'react';
import {
  answerProblems,
  questionLabel,
  questionnaireDefinitions,
  type Answers,
  type Questionnaire,
  type QuestionField,
} from '../../contract/questionnaire.js';
import { api, ApiProblem, asProblem } from '../api.js';
import { LoadProblem } from '../components/feedback.js';
import { formatDateTime, useI18n } from '../i18n/i18n.js';

type Row = Record<string, string | null>;
type Value = string | boolean | null | Row[];

/**
 * The worker's questionnaire on the phone (issue 18): one section at a time, saved as the worker goes (each field
 * when it is left, and on every step), each field checked for its kind at once and by the server; the items HR
 * returned shown with their comments next to the questions; submitted when every required question is answered.
 */
export function WorkerQuestionnaire({ caseId }: { caseId: string }) {
  const { t, lang } = useI18n();
  const [q, setQ] = useState<Questionnaire | null>(null);
  const [answers, setAnswers] = useState<Answers>({});
  const [step, setStep] = useState(0);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [status, setStatus] = useState('');
  const [none, setNone] = useState(false);
  const dirty = useRef(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    api<Questionnaire>('GET', `/api/workers/me/cases/${caseId}/questionnaire`).then(
      (loaded) => {
        setQ(loaded);
        setAnswers(loaded.answers);
      },
      (e: unknown) => {
        const p = asProblem(e);
        if (p.status === 404) setNone(true);
        else setProblem(p);
      },
    );
  }, [caseId]);

  // Changes are counted, and a save clears "unsaved" only if nothing changed while it was on its way: a field
  // typed into while the previous field's save is in flight is saved too.
  const edits = useRef(0);
  const latest = useRef<Answers>(answers);
  latest.current = answers;
  // Saves run one after the other, so an older answer set never lands after a newer one.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const saveNow = useCallback(
    async (next?: Answers): Promise<Questionnaire | null> => {
      if (!dirty.current) return q;
      const sentAt = edits.current;
      setProblem(null);
      try {
        const saved = await api<Questionnaire>('PUT', `/api/workers/me/cases/${caseId}/questionnaire`, {
          answers: next ?? latest.current,
        });
        if (edits.current === sentAt) dirty.current = false;
        setQ(saved);
        setStatus(t('questionnaire.savedAt', { at: formatDateTime(saved.updatedAt, lang) }));
        return saved;
      } catch (e) {
        setProblem(asProblem(e));
        return null;
      }
    },
    [caseId, lang, q, t],
  );
  const save = useCallback(
    (next?: Answers): Promise<Questionnaire | null> => {
      const run = queue.current.then(() => saveNow(next));
      queue.current = run.catch(() => undefined);
      return run;
    },
    [saveNow],
  );

  if (none) return null;
  if (!q) return problem ? <LoadProblem problem={problem} /> : null;
  const definition = questionnaireDefinitions[q.form];
  const editable = ['sent', 'in_progress', 'returned'].includes(q.status);
  const section = definition.sections[step]!;
  const local = answerProblems(q.form, answers);
  const errorOf = (path: string) =>
    local.find((p) => p.path === path)?.[lang] ?? problem?.fieldError(`answers.${path}`, lang);
  const returnedOf = (path: string) =>
    q.returned.find((r) => r.path === path || r.path.startsWith(`${path}.`));

  const set = (fieldId: string, value: Value) => {
    dirty.current = true;
    edits.current += 1;
    setAnswers((prev) => ({ ...prev, [section.id]: { ...(prev[section.id] ?? {}), [fieldId]: value } }));
  };
  const go = async (to: number) => {
    if (editable) await save();
    setStep(to);
    heading.current?.focus();
  };
  const submit = async () => {
    const saved = await save();
    if (!saved && dirty.current) return;
    try {
      const next = await api<Questionnaire>(
        'POST',
        `/api/workers/me/cases/${caseId}/questionnaire/submit`,
        {},
      );
      setQ(next);
      setStatus(t('questionnaire.submitted'));
    } catch (e) {
      setProblem(asProblem(e));
    }
  };

  const input = (
    field: QuestionField,
    value: unknown,
    path: string,
    onChange: (v: string | null) => void,
  ) => {
    const id = `q-${path.replace(/\./g, '-')}`;
    const error = errorOf(path);
    const common = {
      id,
      disabled: !editable,
      'aria-invalid': error ? true : undefined,
      'aria-describedby': error ? `${id}-error` : undefined,
      onBlur: () => void save(),
    };
    return (
      <label className="field" key={path}>
        <span>
          {field.label[lang]}
          {field.required ? ` (${t('questionnaire.required')})` : ''}
        </span>
        {field.kind === 'date' ? (
          <input
            type="date"
            value={typeof value === 'string' ? value : ''}
            onChange={(e) => onChange(e.target.value || null)}
            {...common}
          />
        ) : (field.max ?? 200) > 300 ? (
          <textarea
            rows={3}
            maxLength={field.max}
            value={typeof value === 'string' ? value : ''}
            onChange={(e) => onChange(e.target.value)}
            {...common}
          />
        ) : (
          <input
            maxLength={field.max ?? 200}
            value={typeof value === 'string' ? value : ''}
            onChange={(e) => onChange(e.target.value)}
            {...common}
          />
        )}
        {error && (
          <span id={`${id}-error`} className="field-error">
            {error}
          </span>
        )}
      </label>
    );
  };

  const values = answers[section.id] ?? {};
  return (
    <section
      aria-labelledby="worker-questionnaire"
      className="worker-questionnaire"
      data-testid="worker-questionnaire"
    >
      <h2 id="worker-questionnaire">{definition.title[lang]}</h2>
      <p>
        {t(`questionnaireStatus.${q.status}`)} ·{' '}
        {t('questionnaire.progress', { answered: q.progress.answered, total: q.progress.total })}
      </p>
      <progress
        max={q.progress.total}
        value={q.progress.answered}
        aria-label={t('questionnaire.progressLabel')}
      />
      {q.returned.length > 0 && (
        <div className="notice notice-warning" data-testid="questionnaire-returned">
          <p>{t('questionnaire.returnedIntro')}</p>
          <ul>
            {q.returned.map((r) => (
              <li key={r.path}>
                <strong>{questionLabel(q.form, r.path)[lang]}</strong>: {r.comment}
              </li>
            ))}
          </ul>
        </div>
      )}
      <nav aria-label={t('questionnaire.sections')} className="steps">
        <ol>
          {definition.sections.map((s, k) => (
            <li key={s.id}>
              <button
                type="button"
                className={k === step ? 'button-primary' : 'button-secondary'}
                aria-current={k === step ? 'step' : undefined}
                onClick={() => void go(k)}
              >
                {k + 1}. {s.title[lang]}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <fieldset className="questionnaire-section">
        <legend>
          <h3 ref={heading} tabIndex={-1}>
            {t('questionnaire.step', { n: step + 1, total: definition.sections.length })} ·{' '}
            {section.title[lang]}
          </h3>
        </legend>
        {section.fields.map((field) => {
          const path = `${section.id}.${field.id}`;
          const returned = returnedOf(path);
          const note = returned ? (
            <p className="notice notice-warning" key={`${path}-returned`}>
              {t('questionnaire.returnedComment', { comment: returned.comment })}
            </p>
          ) : null;
          const hint = field.hint ? (
            <p className="help" key={`${path}-hint`}>
              {field.hint[lang]}
            </p>
          ) : null;
          if (field.kind === 'yesno') {
            const v = values[field.id];
            return (
              <fieldset className="field yesno" key={path}>
                <legend>
                  {field.label[lang]}
                  {field.required ? ` (${t('questionnaire.required')})` : ''}
                </legend>
                {note}
                {[true, false].map((choice) => (
                  <label key={String(choice)} className="check">
                    <input
                      type="radio"
                      name={`q-${path}`}
                      checked={v === choice}
                      disabled={!editable}
                      onChange={() => {
                        set(field.id, choice);
                        void save({ ...answers, [section.id]: { ...values, [field.id]: choice } });
                      }}
                    />
                    {choice ? t('questionnaire.yes') : t('questionnaire.no')}
                  </label>
                ))}
              </fieldset>
            );
          }
          if (field.kind === 'list') {
            const rows = (Array.isArray(values[field.id]) ? values[field.id] : []) as Row[];
            const setRows = (next: Row[]) => set(field.id, next);
            return (
              <fieldset className="field list" key={path}>
                <legend>{field.label[lang]}</legend>
                {hint}
                {note}
                {rows.map((row, k) => (
                  <div className="list-row" key={k}>
                    <p className="help">{t('questionnaire.row', { n: k + 1 })}</p>
                    {(field.fields ?? []).map((sub) =>
                      input(sub, row[sub.id], `${path}.${k}.${sub.id}`, (v) =>
                        setRows(rows.map((r, j) => (j === k ? { ...r, [sub.id]: v } : r))),
                      ),
                    )}
                    {editable && (
                      <button
                        type="button"
                        className="button-secondary"
                        onClick={() => {
                          const next = rows.filter((_, j) => j !== k);
                          setRows(next);
                          void save({ ...answers, [section.id]: { ...values, [field.id]: next } });
                        }}
                      >
                        {t('questionnaire.removeRow', { n: k + 1 })}
                      </button>
                    )}
                  </div>
                ))}
                {editable && rows.length < 30 && (
                  <button type="button" className="button-secondary" onClick={() => setRows([...rows, {}])}>
                    {t('questionnaire.addRow', { what: field.label[lang] })}
                  </button>
                )}
              </fieldset>
            );
          }
          return [note, hint, input(field, values[field.id], path, (v) => set(field.id, v))];
        })}
      </fieldset>
      <div className="form-actions">
        {step > 0 && (
          <button type="button" className="button-secondary" onClick={() => void go(step - 1)}>
            {t('questionnaire.previous')}
          </button>
        )}
        {step < definition.sections.length - 1 && (
          <button type="button" className="button-primary" onClick={() => void go(step + 1)}>
            {t('questionnaire.next')}
          </button>
        )}
        {step === definition.sections.length - 1 && editable && (
          <button type="button" className="button-primary" onClick={() => void submit()}>
            {t('questionnaire.submit')}
          </button>
        )}
      </div>
      {editable && q.missing.length > 0 && (
        <p className="help" data-testid="questionnaire-missing">
          {t('questionnaire.missing', { n: q.missing.length })}{' '}
          {q.missing
            .slice(0, 5)
            .map((p) => questionLabel(q.form, p)[lang])
            .join(' · ')}
        </p>
      )}
      <p className="form-status" role="status">
        {status}
      </p>
      {problem && <LoadProblem problem={problem} />}
    </section>
  );
}
