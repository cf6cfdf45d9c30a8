import { fieldName } from '../fields.js';
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { CaseDetail } from '../../contract/pipeline.js';
import type { SlaState } from '../../contract/workflow.js';
import { api, ApiProblem, asProblem } from '../api.js';
import { useRulesCatalog } from '../data.js';
import { hasMessage, useI18n } from '../i18n/i18n.js';
import { slaMark, type Transition } from './model.js';

/** The service-level state as a symbol and a word, coloured: never colour alone. */
export function SlaBadge({ sla, daysLate }: { sla: SlaState; daysLate?: number }) {
  const { t } = useI18n();
  return (
    <span className={`sla sla-${sla}`}>
      <span aria-hidden="true" className="sla-mark">
        {slaMark[sla]}
      </span>{' '}
      {t(`cases.sla.${sla}`)}
      {daysLate !== undefined && daysLate > 0 && <> · {t('cases.daysLate', { n: daysLate })}</>}
    </span>
  );
}

/** Category name from the rules catalog (bilingual data), with the provision when there is one. */
export function useCategoryName(): (category: string, provision?: string | null) => string {
  const { t, lang } = useI18n();
  const catalog = useRulesCatalog();
  return (category, provision) => {
    const name = catalog.data?.categories.find((c) => c.id === category)?.name[lang] ?? category;
    return provision ? `${name} · ${provisionName(t, provision)}` : name;
  };
}

/** A provision's label; a provision newer than the catalogs shows its code. */
export function provisionName(t: (key: string) => string, provision: string): string {
  return hasMessage(`provision.${provision}`) ? t(`provision.${provision}`) : provision;
}

/** The case pages' name for `asProblem` (src/web/api.ts). */
export const caseProblem = asProblem;

/** A problem with every field error it carries, each named by its field path. */
export function ProblemNotice({ problem, shown = [] }: { problem: ApiProblem; shown?: string[] }) {
  const { lang } = useI18n();
  const others = problem.errors.filter((e) => !shown.includes(e.path));
  return (
    <div className="notice notice-error" role="alert">
      <p>{problem.text(lang)}</p>
      {others.length > 0 && (
        <ul>
          {others.map((e) => (
            <li key={`${e.path}:${e.message}`}>
              {e.path ? <strong>{fieldName(e.path, lang)}</strong> : null}
              {e.path ? ': ' : ''}
              {e.messages[lang]}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {children}
      {error && (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

/** `aria-describedby` for a field with an optional hint and error. */
export function describedBy(id: string, hint: boolean, error: boolean): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/**
 * Moving a case: the target stage (when several are offered), a comment, and the override reason when the move
 * needs one (skipping stages: administrators only). A modal `<dialog>`: focus stays inside, Escape cancels.
 */
export function TransitionDialog({
  caseId,
  workerName,
  transitions,
  initial,
  canOverride,
  onDone,
  onClose,
}: {
  caseId: string;
  workerName: string;
  transitions: Transition[];
  initial?: string;
  canOverride: boolean;
  onDone: (detail: CaseDetail) => void;
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const base = useId();
  const [to, setTo] = useState(initial ?? transitions[0]?.to ?? '');
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState('');
  // Admitted means present: the entry, pasted from the I-94 website or typed.
  const [entryMode, setEntryMode] = useState<'paste' | 'fields' | 'existing'>('paste');
  const [i94Text, setI94Text] = useState('');
  const [entry, setEntry] = useState({ admittedOn: '', classOfAdmission: '', admitUntil: '', port: '' });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const move = transitions.find((m) => m.to === to);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  // A refusal: the first field it names takes the focus (its message is tied to it), else the summary shows.
  useEffect(() => {
    if (!problem) return;
    const dialog = ref.current;
    const target =
      dialog?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      dialog?.querySelector<HTMLElement>('[role="alert"]');
    target?.focus();
    target?.scrollIntoView({ block: 'center' });
  }, [problem]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!move) return;
    setBusy(true);
    setProblem(null);
    try {
      const admitting = move.to === 'admitted';
      const detail = await api<CaseDetail>('POST', `/api/cases/${caseId}/transitions`, {
        to: move.to,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
        ...(move.needsOverride ? { overrideReason: reason.trim() } : {}),
        ...(admitting && entryMode === 'paste' ? { entry: { i94Text } } : {}),
        ...(admitting && entryMode === 'fields'
          ? {
              entry: Object.fromEntries(
                Object.entries({ ...entry, classOfAdmission: entry.classOfAdmission.toUpperCase() }).filter(
                  ([, v]) => v.trim() !== '',
                ),
              ),
            }
          : {}),
      });
      onDone(detail);
    } catch (error) {
      setProblem(caseProblem(error));
    } finally {
      setBusy(false);
    }
  };
  const err = (path: string) => problem?.fieldError(path, lang);
  // Pasted I-94 text: whatever the server read from it and refused belongs under the text box, by its name.
  const entryPaths = [
    'entry.i94Number',
    'entry.admittedOn',
    'entry.classOfAdmission',
    'entry.admitUntil',
    'entry.port',
  ];
  const pastedErrors = (problem?.errors ?? []).filter(
    (e) => e.path === 'entry' || e.path.startsWith('entry.i94Text') || entryPaths.includes(e.path),
  );
  const pasteError = pastedErrors
    .map((e) =>
      e.path === 'entry' || e.path === 'entry.i94Text'
        ? e.messages[lang]
        : `${fieldName(e.path, lang)}: ${e.messages[lang]}`,
    )
    .join(' · ');
  const ids = { to: `${base}-to`, comment: `${base}-comment`, reason: `${base}-reason` };

  return (
    <dialog
      ref={ref}
      className="case-dialog"
      aria-labelledby={`${base}-title`}
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        <h2 id={`${base}-title`}>{t('cases.move.title', { name: workerName })}</h2>
        {transitions.length > 1 ? (
          <Field id={ids.to} label={t('cases.move.to')} error={err('to')}>
            <select
              id={ids.to}
              value={to}
              onChange={(e) => setTo(e.target.value)}
              aria-invalid={err('to') ? true : undefined}
              aria-describedby={describedBy(ids.to, false, !!err('to'))}
            >
              {transitions.map((m) => (
                <option key={m.to} value={m.to}>
                  {m.title[lang]} ({t(`cases.kind.${m.kind}`)})
                </option>
              ))}
            </select>
          </Field>
        ) : (
          <p>
            {t('cases.move.toFixed', { stage: move?.title[lang] ?? to })}
            {err('to') && (
              <span className="field-error" role="alert">
                {' '}
                {err('to')}
              </span>
            )}
          </p>
        )}
        {move?.needsOverride && (
          <>
            <p className="notice notice-warning">
              {canOverride ? t('cases.move.overrideNeeded') : t('cases.move.overrideForbidden')}
            </p>
            <Field
              id={ids.reason}
              label={t('cases.move.overrideReason')}
              hint={t('cases.move.overrideHint')}
              error={err('overrideReason')}
            >
              <textarea
                id={ids.reason}
                required
                rows={3}
                maxLength={2000}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                aria-invalid={err('overrideReason') ? true : undefined}
                aria-describedby={describedBy(ids.reason, true, !!err('overrideReason'))}
              />
            </Field>
          </>
        )}
        {move?.to === 'admitted' && (
          <fieldset className="entry-fields">
            <legend>{t('cases.admit.title')}</legend>
            <p className="help">{t('cases.admit.intro')}</p>
            <div className="segmented" role="radiogroup" aria-label={t('cases.admit.how')}>
              {(['paste', 'fields', 'existing'] as const).map((mode) => (
                <label key={mode}>
                  <input
                    type="radio"
                    name={`${base}-entry-mode`}
                    checked={entryMode === mode}
                    onChange={() => setEntryMode(mode)}
                  />{' '}
                  {t(`cases.admit.mode.${mode}`)}
                </label>
              ))}
            </div>
            {entryMode === 'paste' && (
              <Field
                id={`${base}-i94`}
                label={t('cases.admit.paste')}
                hint={t('cases.admit.pasteHint')}
                error={pasteError || undefined}
              >
                <textarea
                  id={`${base}-i94`}
                  rows={6}
                  value={i94Text}
                  onChange={(e) => setI94Text(e.target.value)}
                  aria-invalid={pasteError ? true : undefined}
                  aria-describedby={describedBy(`${base}-i94`, true, !!pasteError)}
                />
              </Field>
            )}
            {entryMode === 'fields' &&
              (
                [
                  ['admittedOn', 'date'],
                  ['classOfAdmission', 'text'],
                  ['admitUntil', 'date'],
                  ['port', 'text'],
                ] as const
              ).map(([name, type]) => (
                <Field
                  key={name}
                  id={`${base}-${name}`}
                  label={t(`cases.admit.${name}`)}
                  error={err(`entry.${name}`)}
                >
                  <input
                    id={`${base}-${name}`}
                    type={type}
                    value={entry[name]}
                    onChange={(e) => setEntry({ ...entry, [name]: e.target.value })}
                    aria-invalid={err(`entry.${name}`) ? true : undefined}
                    aria-describedby={describedBy(`${base}-${name}`, false, !!err(`entry.${name}`))}
                  />
                </Field>
              ))}
            {entryMode === 'existing' && <p className="help">{t('cases.admit.existingHint')}</p>}
          </fieldset>
        )}
        <Field id={ids.comment} label={t('cases.move.comment')} error={err('comment')}>
          <textarea
            id={ids.comment}
            rows={3}
            maxLength={4000}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            aria-invalid={err('comment') ? true : undefined}
            aria-describedby={describedBy(ids.comment, false, !!err('comment'))}
          />
        </Field>
        {problem && (
          <ProblemNotice
            problem={problem}
            shown={[
              'to',
              'overrideReason',
              'comment',
              ...(move?.to === 'admitted'
                ? entryMode === 'paste'
                  ? pastedErrors.map((e) => e.path)
                  : entryMode === 'fields'
                    ? [
                        'entry',
                        'entry.admittedOn',
                        'entry.classOfAdmission',
                        'entry.admitUntil',
                        'entry.port',
                      ]
                    : []
                : []),
            ]}
          />
        )}
        <div className="dialog-actions">
          <button type="submit" className="button-primary" disabled={busy || !move}>
            {busy ? t('cases.move.moving') : t('cases.move.confirm')}
          </button>
          <button type="button" className="button-secondary" onClick={onClose}>
            {t('cases.move.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/**
 * A write on a case's side panel (CEAC, USCIS): busy while it runs, the server's problem shown, a status line on
 * success, and the case as the server returns it handed to `onSaved`.
 */
export function useCaseWrite(onSaved: (next: CaseDetail) => void) {
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState('');
  const send = (method: string, url: string, body: unknown, message: string, after?: () => void) => {
    setBusy(true);
    setProblem(null);
    setSaved('');
    api<CaseDetail>(method, url, body).then(
      (next) => {
        setBusy(false);
        setSaved(message);
        after?.();
        onSaved(next);
      },
      (e: unknown) => {
        setBusy(false);
        setProblem(asProblem(e));
      },
    );
  };
  return { problem, setProblem, busy, setBusy, saved, send };
}
