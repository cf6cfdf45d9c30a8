import { fieldName } from '../fields.js';
import { useState, type ReactNode } from 'react';
import { asProblem, type ApiProblem } from '../api.js';
import { useI18n } from '../i18n/i18n.js';

/** What a form control needs to be labelled and to point at its error message. */
export interface ControlProps {
  id: string;
  name: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/**
 * A labelled form field whose error comes from the problem+json `errors[].path` (the message in the current
 * language) and shows under the control, linked to it by `aria-describedby`.
 */
export function Field({
  form,
  name,
  label,
  problem,
  children,
  className = 'field',
}: {
  form: string;
  name: string;
  label: string;
  problem: ApiProblem | null;
  children: (props: ControlProps) => ReactNode;
  className?: string;
}) {
  const { lang } = useI18n();
  const id = `${form}-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const error = problem?.fieldError(name, lang);
  return (
    <div className={className}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        name,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': error ? `${id}-error` : undefined,
      })}
      {error && (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

/**
 * The problem's message, and the field errors no field of the form shows (paths not in `shown`), so nothing
 * the server said is lost.
 */
export function FormProblem({ problem, shown }: { problem: ApiProblem | null; shown: readonly string[] }) {
  const { lang, t } = useI18n();
  if (!problem) return null;
  const others = problem.errors.filter((e) => !shown.includes(e.path));
  return (
    <div className="form-status notice notice-error" role="alert">
      <p>
        {problem.code === 'request.invalid' && problem.errors.length
          ? t('error.fieldErrors')
          : problem.text(lang)}
      </p>
      {others.length > 0 && (
        <ul>
          {others.map((e, i) => (
            <li key={i}>
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

/** The string value of a form field, trimmed; undefined when empty. */
export function formValue(data: FormData, name: string): string | undefined {
  const v = String(data.get(name) ?? '').trim();
  return v === '' ? undefined : v;
}

/** A whole number of US dollars in the language's format. */
export function formatUsd(value: number, lang: 'en' | 'ko'): string {
  return new Intl.NumberFormat(lang === 'ko' ? 'ko-KR' : 'en-US', {
    style: 'currency',
    currency: 'USD',
    maximumFractionDigits: 0,
  }).format(value);
}

/**
 * A form's request: `busy` while it runs, `problem` when it failed (cleared when the next one starts). `run`
 * starts the request and hands its result to `onDone`.
 */
export function useRequest() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const run = <T,>(request: () => Promise<T>, onDone: (value: T) => void) => {
    setBusy(true);
    setProblem(null);
    request().then(
      (value) => {
        setBusy(false);
        onDone(value);
      },
      (err: unknown) => {
        setBusy(false);
        setProblem(asProblem(err));
      },
    );
  };
  return { busy, problem, setProblem, run };
}
