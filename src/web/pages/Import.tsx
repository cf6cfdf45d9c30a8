import { useCallback, useEffect, useState, type ChangeEvent, type DragEvent } from 'react';
import type { Me } from '../../contract/api.js';
import {
  importFields,
  type ImportError,
  type ImportPreview,
  type ImportRecord,
  type ImportResult,
  type ImportSheet,
} from '../../contract/imports.js';
import { api, ApiProblem } from '../api.js';
import { LoadProblem } from '../components/feedback.js';
import { formatDateTime, useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';

type Mapping = Record<string, string | null>;
type Step = 'upload' | 'mapping' | 'checked' | 'done';

function csrfToken(): string {
  return (
    document.cookie
      .split('; ')
      .find((c) => c.startsWith('korus_csrf='))
      ?.slice('korus_csrf='.length) ?? ''
  );
}

/** Uploads with XMLHttpRequest, the one browser API that reports upload progress. */
function uploadFile(
  file: File,
  lang: string,
  onProgress: (fraction: number) => void,
  mappingName?: string,
): Promise<ImportPreview> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const query = mappingName ? `?mappingName=${encodeURIComponent(mappingName)}` : '';
    xhr.open('POST', `/api/imports${query}`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('accept-language', lang);
    xhr.setRequestHeader('x-csrf-token', csrfToken());
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () =>
      reject(
        new ApiProblem(0, 'network', {
          en: 'The server could not be reached. Check your connection and try again.',
          ko: '서버에 연결할 수 없습니다. 연결을 확인한 뒤 다시 시도하세요.',
        }),
      );
    xhr.onload = () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(xhr.responseText) as Record<string, unknown>;
      } catch {
        /* not JSON */
      }
      if (xhr.status === 201) return resolve(body as unknown as ImportPreview);
      const detail = (body.detail as string | undefined) ?? `HTTP ${xhr.status}`;
      const errors = (body.errors as ApiProblem['errors'] | undefined) ?? [];
      const messages = (body.messages as { en: string; ko: string } | undefined) ??
        errors[0]?.messages ?? { en: detail, ko: detail };
      reject(new ApiProblem(xhr.status, String(body.code ?? 'error'), messages, errors));
    };
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
}

/** `/imports`: upload a roster, map its columns, check it (dry run), commit; the history below. */
export function ImportPage({ me }: { me: Me }) {
  const { t, lang } = useI18n();
  const canWrite = me.capabilities.includes('pipeline.write');
  const [step, setStep] = useState<Step>('upload');
  const [progress, setProgress] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mappings, setMappings] = useState<Record<string, Mapping>>({});
  const [saved, setSaved] = useState<{ name: string }[]>([]);
  const [mappingName, setMappingName] = useState('');
  const [saveAs, setSaveAs] = useState('');
  const [result, setResult] = useState<ImportResult | null>(null);
  const [history, setHistory] = useState<ImportRecord[]>([]);
  const [dragging, setDragging] = useState(false);

  const loadHistory = useCallback(() => {
    api<{ items: ImportRecord[] }>('GET', '/api/imports').then(
      (r) => setHistory(r.items),
      () => undefined,
    );
    api<{ items: { name: string }[] }>('GET', '/api/import-mappings').then(
      (r) => setSaved(r.items),
      () => undefined,
    );
  }, []);
  useEffect(loadHistory, [loadHistory]);

  const start = async (file: File) => {
    setProblem(null);
    setResult(null);
    setBusy(true);
    setProgress(0);
    try {
      const p = await uploadFile(file, lang, setProgress, mappingName || undefined);
      setPreview(p);
      setMappings(Object.fromEntries(p.sheets.map((s) => [s.name, { ...s.mapping }])));
      setStep('mapping');
    } catch (e) {
      setProblem(e instanceof ApiProblem ? e : null);
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  const run = async (commit: boolean) => {
    if (!preview) return;
    setBusy(true);
    setProblem(null);
    try {
      const body = { mappings, ...(saveAs.trim() ? { saveMappingAs: saveAs.trim() } : {}) };
      const r = await api<ImportResult>(
        'POST',
        `/api/imports/${preview.id}/${commit ? 'commit' : 'dry-run'}`,
        body,
      );
      setResult(r);
      setStep(commit ? 'done' : 'checked');
      loadHistory();
    } catch (e) {
      if (e instanceof ApiProblem) setProblem(e);
    } finally {
      setBusy(false);
    }
  };

  const reset = () => {
    setStep('upload');
    setPreview(null);
    setResult(null);
    setProblem(null);
  };

  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (file) void start(file);
    e.target.value = '';
  };
  const onDrop = (e: DragEvent<HTMLElement>) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) void start(file);
  };

  return (
    <section aria-labelledby="import-title" className="import-page">
      <h1 id="import-title">{t('import.title')}</h1>
      <p className="muted">{t('import.intro')}</p>
      <ol className="steps" aria-label={t('import.stepsLabel')}>
        {(['upload', 'mapping', 'checked', 'done'] as const).map((s) => (
          <li key={s} aria-current={s === step ? 'step' : undefined} className={s === step ? 'current' : ''}>
            {t(`import.step.${s}`)}
          </li>
        ))}
      </ol>
      {problem && <LoadProblem problem={problem} />}

      {step === 'upload' && canWrite && (
        <div
          className={`dropzone${dragging ? ' dragging' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <label htmlFor="import-file" className="button">
            {t('import.choose')}
          </label>
          <input
            id="import-file"
            type="file"
            accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={onFile}
            disabled={busy}
            className="visually-hidden"
          />
          <p>{t('import.dropHint')}</p>
          {saved.length > 0 && (
            <p>
              <label>
                {t('import.useSaved')}{' '}
                <select value={mappingName} onChange={(e) => setMappingName(e.target.value)}>
                  <option value="">{t('import.suggested')}</option>
                  {saved.map((m) => (
                    <option key={m.name} value={m.name}>
                      {m.name}
                    </option>
                  ))}
                </select>
              </label>
            </p>
          )}
          {progress !== null && (
            <p>
              <label>
                {t('import.uploading')}{' '}
                <progress max={1} value={progress} aria-label={t('import.uploading')} />{' '}
                {Math.round(progress * 100)}%
              </label>
            </p>
          )}
        </div>
      )}

      {preview && step !== 'upload' && (
        <div className="import-file">
          <p>
            <strong>{preview.fileName}</strong> · {preview.format.toUpperCase()}
            {preview.encoding ? ` · ${preview.encoding.toUpperCase()}` : ''} ·{' '}
            <code title="SHA-256">{preview.fileDigest.slice(0, 12)}…</code>
          </p>
          {preview.sameFileImports.length > 0 && (
            <p className="notice notice-warning" role="status">
              {t('import.sameFile', {
                count: preview.sameFileImports.length,
                date: formatDateTime(preview.sameFileImports[0]!.createdAt, lang),
              })}
            </p>
          )}
        </div>
      )}

      {preview &&
        step === 'mapping' &&
        preview.sheets.map((sheet) => (
          <SheetMapping
            key={sheet.name}
            sheet={sheet}
            mapping={mappings[sheet.name] ?? {}}
            onChange={(m) => setMappings((prev) => ({ ...prev, [sheet.name]: m }))}
          />
        ))}

      {preview && (step === 'mapping' || step === 'checked') && (
        <div className="actions">
          <label>
            {t('import.saveAs')}{' '}
            <input value={saveAs} onChange={(e) => setSaveAs(e.target.value)} maxLength={80} />
          </label>
          <button type="button" className="button-secondary" onClick={() => void run(false)} disabled={busy}>
            {t('import.check')}
          </button>
          {step === 'checked' && (
            <button
              type="button"
              className="button-primary"
              onClick={() => void run(true)}
              disabled={busy || !result || result.errorCount > 0 || result.valid === 0}
            >
              {t('import.commit', { count: result?.valid ?? 0 })}
            </button>
          )}
          <button type="button" className="button-link" onClick={reset} disabled={busy}>
            {t('import.cancel')}
          </button>
          {busy && (
            <span role="status" className="loading">
              <span className="spinner" aria-hidden="true" /> {t('import.working')}
            </span>
          )}
        </div>
      )}

      {result && <ResultView result={result} />}
      {step === 'done' && (
        <p>
          <Link href="/workers">{t('import.toWorkers')}</Link> ·{' '}
          <button type="button" className="button-link" onClick={reset}>
            {t('import.another')}
          </button>
        </p>
      )}

      <h2>{t('import.history')}</h2>
      {history.length === 0 ? (
        <p className="muted">{t('import.noHistory')}</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('import.when')}</th>
              <th scope="col">{t('import.file')}</th>
              <th scope="col">{t('import.who')}</th>
              <th scope="col">{t('import.statusLabel')}</th>
              <th scope="col">{t('import.rows')}</th>
              <th scope="col">{t('import.imported')}</th>
              <th scope="col">{t('import.errors')}</th>
              <th scope="col">SHA-256</th>
            </tr>
          </thead>
          <tbody>
            {history.map((h) => (
              <tr key={h.id}>
                <td>{formatDateTime(h.createdAt, lang)}</td>
                <td>{h.fileName}</td>
                <td>{h.createdBy}</td>
                <td>{t(`import.status.${h.status}`)}</td>
                <td>{h.rows ?? '–'}</td>
                <td>{h.imported ?? '–'}</td>
                <td>{h.errors ?? '–'}</td>
                <td>
                  <code>{h.fileDigest.slice(0, 12)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function SheetMapping({
  sheet,
  mapping,
  onChange,
}: {
  sheet: ImportSheet;
  mapping: Mapping;
  onChange: (m: Mapping) => void;
}) {
  const { t, lang } = useI18n();
  const headers = sheet.headers.filter(Boolean);
  return (
    <section className="sheet-mapping" aria-label={t('import.sheetLabel', { name: sheet.name })}>
      <h2>
        {sheet.name}{' '}
        <span className="badge">{sheet.kind ? t(`import.kind.${sheet.kind}`) : t('import.kind.none')}</span>
      </h2>
      <p className="muted">{t('import.sheetSummary', { row: sheet.headerRow, rows: sheet.rows })}</p>
      {sheet.missing.length > 0 && (
        <p className="notice notice-warning" role="status">
          {t('import.missing')}{' '}
          {sheet.missing.map((group) => group.map((f) => t(`import.field.${f}`)).join(' / ')).join(', ')}
        </p>
      )}
      {sheet.problems.map((p, i) => (
        <p key={i} className="notice notice-warning">
          {p.message[lang]}
        </p>
      ))}
      <table className="data mapping">
        <thead>
          <tr>
            <th scope="col">{t('import.column')}</th>
            <th scope="col">{t('import.fieldLabel')}</th>
            <th scope="col">{t('import.sample')}</th>
          </tr>
        </thead>
        <tbody>
          {headers.map((h) => {
            const index = sheet.headers.indexOf(h);
            return (
              <tr key={h}>
                <th scope="row">{h}</th>
                <td>
                  <select
                    aria-label={t('import.fieldFor', { column: h })}
                    value={mapping[h] ?? ''}
                    onChange={(e) => onChange({ ...mapping, [h]: e.target.value || null })}
                  >
                    <option value="">{t('import.ignore')}</option>
                    {importFields.map((f) => (
                      <option key={f} value={f}>
                        {t(`import.field.${f}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="sample">
                  {sheet.sample
                    .map((r) => r[index] ?? '')
                    .filter(Boolean)
                    .slice(0, 3)
                    .join(' · ')}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function ResultView({ result }: { result: ImportResult }) {
  const { t, lang } = useI18n();
  const c = result.counts;
  return (
    <section className="import-result" aria-labelledby="import-result-title" aria-live="polite">
      <h2 id="import-result-title">{result.dryRun ? t('import.dryRunTitle') : t('import.doneTitle')}</h2>
      <ul className="import-counts">
        <li>{t('import.countRows', { count: result.rows })}</li>
        <li>{t('import.countValid', { count: result.valid })}</li>
        <li className={result.errorCount ? 'bad' : ''}>
          {t('import.countErrors', { count: result.errorCount })}
        </li>
        <li>{t('import.countWorkers', { created: c.workers.created, existing: c.workers.existing })}</li>
        <li>
          {t('import.countDependents', { created: c.dependents.created, existing: c.dependents.existing })}
        </li>
        <li>
          {t('import.countAssignments', { created: c.assignments.created, existing: c.assignments.existing })}
        </li>
        {!result.dryRun && <li className="good">{t('import.countImported', { count: result.imported })}</li>}
      </ul>
      {result.errors.length > 0 && (
        <table className="data import-errors">
          <caption>{t('import.errorsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('import.sheet')}</th>
              <th scope="col">{t('import.row')}</th>
              <th scope="col">{t('import.column')}</th>
              <th scope="col">{t('import.value')}</th>
              <th scope="col">{t('import.message')}</th>
            </tr>
          </thead>
          <tbody>
            {result.errors.map((e: ImportError, i) => (
              <tr key={i} className="row-error">
                <td>{e.sheet}</td>
                <td>{e.row}</td>
                <td>{e.column}</td>
                <td>
                  <code>{e.value}</code>
                </td>
                <td>{e.message[lang]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result.dryRun && result.outcomes.length > 0 && (
        <details>
          <summary>{t('import.outcomes')}</summary>
          <ul className="import-outcomes">
            {result.outcomes.map((o) => (
              <li key={`${o.sheet}-${o.row}`} className={`outcome-${o.outcome}`}>
                {o.sheet} {t('import.row')} {o.row}: {o.label} — {t(`import.outcome.${o.outcome}`)}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
