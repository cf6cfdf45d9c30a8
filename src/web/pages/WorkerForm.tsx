import { useEffect, useRef, useState, type FormEvent } from 'react';
import { educationLevels, workerRoles } from '../../contract/assessment.js';
import { sexes, type Worker } from '../../contract/pipeline.js';
import { api, ApiProblem, asProblem } from '../api.js';
import { Loading, LoadProblem } from '../components/feedback.js';
import { useI18n } from '../i18n/i18n.js';
import { passportEnding, workerChanges, workerFormDefaults } from '../pipeline/worker-edit.js';
import { Link, navigate } from '../router.js';
import { Field, FormProblem, formValue, useRequest } from './pipeline-form.js';
import './pipeline.css';

const FORM = 'worker';

/** The fields the form shows, so field errors under other paths still reach the user in the summary. */
const shownFields = [
  'familyName',
  'givenName',
  'nameHangul',
  'birthDate',
  'sex',
  'nationality',
  'passportNumber',
  'passportExpiry',
  'education',
  'role',
  'employedSince',
  'phone',
  'email',
  'detainedOn',
  'emergencyContact',
  'emergencyContact.name',
  'emergencyContact.relationship',
  'emergencyContact.phone',
];

/** The request body from the form: empty optional fields are left out; the emergency contact only when given. */
export function workerBody(data: FormData): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const k of shownFields) {
    if (k.startsWith('emergencyContact')) continue;
    const v = formValue(data, k);
    if (v !== undefined) body[k] = v;
  }
  const contact = {
    name: formValue(data, 'emergencyContact.name'),
    relationship: formValue(data, 'emergencyContact.relationship'),
    phone: formValue(data, 'emergencyContact.phone'),
  };
  if (contact.name || contact.relationship || contact.phone) body.emergencyContact = contact;
  return body;
}

/**
 * `/workers/{id}/edit` (capability `pipeline.write`): loads the worker and shows the form in edit mode. Whether
 * this user may change this worker is the server's decision; a refusal (403, 404) shows as the server said it.
 */
export function WorkerEdit({ id }: { id: string }) {
  const [worker, setWorker] = useState<Worker | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  useEffect(() => {
    api<Worker>('GET', `/api/workers/${id}`).then(setWorker, (err: unknown) => setProblem(asProblem(err)));
  }, [id]);
  if (problem) return <LoadProblem problem={problem} />;
  if (!worker) return <Loading />;
  return <WorkerForm worker={worker} />;
}

/**
 * `/workers/new`: register a worker (capability `pipeline.write`), then go to the new worker's page. With a
 * `worker`, the same form edits that worker: pre-filled, the passport number left empty (kept unless one is
 * typed), only the changed fields sent with `PATCH /api/workers/{id}`, then back to the worker's page.
 */
export function WorkerForm({
  worker,
  initial,
  returnTo,
}: { worker?: Worker; initial?: Record<string, string>; returnTo?: string } = {}) {
  const { t } = useI18n();
  const { busy, problem, run } = useRequest();
  const formRef = useRef<HTMLFormElement>(null);
  const defaults: Record<string, string> = worker
    ? workerFormDefaults(worker)
    : { nationality: 'KR', ...initial };
  const workerPage = worker ? `/workers/${worker.id}` : '/workers';

  // After a refusal, the first field the server named takes the focus (its message is tied to it).
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [problem]);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    let request: Promise<Worker>;
    if (worker) {
      const changes = workerChanges(worker, data);
      if (Object.keys(changes).length === 0) {
        navigate(workerPage);
        return;
      }
      request = api<Worker>('PATCH', `/api/workers/${worker.id}`, changes);
    } else {
      request = api<Worker>('POST', '/api/workers', workerBody(data));
    }
    run(
      () => request,
      (w) => {
        // Added from an assessment's "open a case": back to it, with the new worker chosen.
        if (returnTo && !worker) navigate(`${returnTo}${returnTo.includes('?') ? '&' : '?'}worker=${w.id}`);
        else navigate(`/workers/${w.id}`);
      },
    );
  };

  const text = (name: string, label: string, type = 'text', extra: Record<string, unknown> = {}) => (
    <Field form={FORM} name={name} label={label} problem={problem}>
      {(p) => <input {...p} type={type} defaultValue={defaults[name]} {...extra} />}
    </Field>
  );
  const select = (
    name: string,
    label: string,
    options: readonly string[],
    optionLabel: (o: string) => string,
  ) => (
    <Field form={FORM} name={name} label={label} problem={problem}>
      {(p) => (
        <select {...p} defaultValue={defaults[name]}>
          {options.map((o) => (
            <option key={o} value={o}>
              {optionLabel(o)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  const passportHintId = `${FORM}-passportNumber-hint`;

  return (
    <section className={worker ? 'page worker-edit' : 'page worker-new'}>
      <p>
        <Link href={workerPage}>{worker ? t('workerForm.backToWorker') : t('workers.back')}</Link>
      </p>
      <h1 id="worker-form-title">{worker ? t('workerForm.editTitle') : t('workerForm.title')}</h1>
      {worker && (
        <p className="worker-edit-name">
          <span lang="ko">{worker.nameHangul}</span> · {worker.familyName} {worker.givenName} ·{' '}
          {worker.organizationName}
        </p>
      )}
      <p className="help">{worker ? t('workerForm.editIntro') : t('workerForm.intro')}</p>
      <form
        ref={formRef}
        className="inline-form worker-form"
        onSubmit={submit}
        aria-labelledby="worker-form-title"
        noValidate
      >
        <fieldset>
          <legend>{t('workerForm.identity')}</legend>
          {text('nameHangul', t('workerForm.nameHangul'), 'text', { lang: 'ko', required: true })}
          {text('familyName', t('workerForm.familyName'), 'text', {
            required: true,
            autoCapitalize: 'characters',
          })}
          {text('givenName', t('workerForm.givenName'), 'text', {
            required: true,
            autoCapitalize: 'characters',
          })}
          {text('birthDate', t('workerForm.birthDate'), 'date', { required: true })}
          {select('sex', t('workerForm.sex'), sexes, (s) => t(`workerForm.sexes.${s}`))}
          {text('nationality', t('workerForm.nationality'), 'text', {
            maxLength: 2,
            required: true,
          })}
        </fieldset>
        <fieldset>
          <legend>{t('workerForm.passportGroup')}</legend>
          {worker ? (
            <Field form={FORM} name="passportNumber" label={t('workerForm.passportNumber')} problem={problem}>
              {(p) => (
                <>
                  <input
                    {...p}
                    type="text"
                    autoComplete="off"
                    defaultValue=""
                    aria-describedby={[passportHintId, p['aria-describedby']].filter(Boolean).join(' ')}
                  />
                  <span id={passportHintId} className="help field-hint">
                    {t('workerForm.passportKeep', { ending: passportEnding(worker) })}
                  </span>
                </>
              )}
            </Field>
          ) : (
            text('passportNumber', t('workerForm.passportNumber'), 'text', {
              required: true,
              autoComplete: 'off',
            })
          )}
          {text('passportExpiry', t('workerForm.passportExpiry'), 'date', { required: true })}
        </fieldset>
        <fieldset>
          <legend>{t('workerForm.employment')}</legend>
          {select('education', t('workerForm.education'), educationLevels, (x) => t(`education.${x}`))}
          {select('role', t('workerForm.role'), workerRoles, (r) => t(`workerRole.${r}`))}
          {text('employedSince', t('workerForm.employedSince'), 'date', { required: true })}
        </fieldset>
        <fieldset>
          <legend>{t('workerForm.travelHistory')}</legend>
          <p className="help">{t('workerForm.detainedHelp')}</p>
          {text('detainedOn', t('workerForm.detainedOn'), 'date')}
        </fieldset>
        <fieldset>
          <legend>{t('workerForm.contacts')}</legend>
          {text('phone', t('workerForm.phone'), 'tel')}
          {text('email', t('workerForm.email'), 'email')}
          {text('emergencyContact.name', t('workerForm.emergencyName'))}
          {text('emergencyContact.relationship', t('workerForm.emergencyRelationship'))}
          {text('emergencyContact.phone', t('workerForm.emergencyPhone'), 'tel')}
        </fieldset>
        <FormProblem problem={problem} shown={shownFields} />
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={busy}>
            {worker ? t('workerForm.save') : t('workerForm.submit')}
          </button>
          {worker && (
            <Link href={workerPage} className="button-secondary">
              {t('workerForm.cancel')}
            </Link>
          )}
        </div>
      </form>
    </section>
  );
}

/**
 * `/workers/new?assessment={id}&category={category}`: a worker added while opening a case from an assessment.
 * The facts the assessment already holds (birth date, role, education, employed since) fill the form, and
 * saving returns to the assessment with the new worker chosen for the case.
 */
export function WorkerFormFromAssessment({
  assessmentId,
  category,
}: {
  assessmentId: string;
  category: string;
}) {
  const [initial, setInitial] = useState<Record<string, string> | null>(null);
  useEffect(() => {
    api<{ request: { worker: Record<string, unknown> } }>(
      'GET',
      `/api/assessments/${encodeURIComponent(assessmentId)}`,
    ).then(
      (a) => {
        const w = a.request.worker;
        const facts: Record<string, string> = {};
        for (const key of ['birthDate', 'role', 'education', 'employedSince'])
          if (typeof w[key] === 'string') facts[key] = w[key];
        setInitial(facts);
      },
      () => setInitial({}),
    );
  }, [assessmentId]);
  if (!initial) return <Loading />;
  return (
    <WorkerForm
      initial={initial}
      returnTo={`/assessments/${encodeURIComponent(assessmentId)}?category=${encodeURIComponent(category)}`}
    />
  );
}
