import { useState, type FormEvent } from 'react';
import { educationLevels, workerRoles } from '../../contract/assessment.js';
import { sexes, type Worker } from '../../contract/pipeline.js';
import { api, ApiProblem } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, navigate } from '../router.js';
import { Field, FormProblem, formValue } from './pipeline-form.js';
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

/** `/workers/new`: register a worker (capability `pipeline.write`), then go to the new worker's page. */
export function WorkerForm() {
  const { t } = useI18n();
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const body = workerBody(new FormData(e.currentTarget));
    setBusy(true);
    setProblem(null);
    api<Worker>('POST', '/api/workers', body).then(
      (w) => {
        setBusy(false);
        navigate(`/workers/${w.id}`);
      },
      (err: unknown) => {
        setBusy(false);
        setProblem(
          err instanceof ApiProblem
            ? err
            : new ApiProblem(0, 'unexpected', { en: String(err), ko: String(err) }),
        );
      },
    );
  };

  const text = (name: string, label: string, type = 'text', extra: Record<string, unknown> = {}) => (
    <Field form={FORM} name={name} label={label} problem={problem}>
      {(p) => <input {...p} type={type} {...extra} />}
    </Field>
  );

  return (
    <section className="page worker-new">
      <p>
        <Link href="/workers">{t('workers.back')}</Link>
      </p>
      <h1 id="worker-form-title">{t('workerForm.title')}</h1>
      <p className="help">{t('workerForm.intro')}</p>
      <form
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
          <Field form={FORM} name="sex" label={t('workerForm.sex')} problem={problem}>
            {(p) => (
              <select {...p}>
                {sexes.map((s) => (
                  <option key={s} value={s}>
                    {t(`workerForm.sexes.${s}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {text('nationality', t('workerForm.nationality'), 'text', {
            defaultValue: 'KR',
            maxLength: 2,
            required: true,
          })}
        </fieldset>
        <fieldset>
          <legend>{t('workerForm.passportGroup')}</legend>
          {text('passportNumber', t('workerForm.passportNumber'), 'text', {
            required: true,
            autoComplete: 'off',
          })}
          {text('passportExpiry', t('workerForm.passportExpiry'), 'date', { required: true })}
        </fieldset>
        <fieldset>
          <legend>{t('workerForm.employment')}</legend>
          <Field form={FORM} name="education" label={t('workerForm.education')} problem={problem}>
            {(p) => (
              <select {...p}>
                {educationLevels.map((x) => (
                  <option key={x} value={x}>
                    {t(`education.${x}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field form={FORM} name="role" label={t('workerForm.role')} problem={problem}>
            {(p) => (
              <select {...p}>
                {workerRoles.map((r) => (
                  <option key={r} value={r}>
                    {t(`workerRole.${r}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {text('employedSince', t('workerForm.employedSince'), 'date', { required: true })}
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
        <button type="submit" className="button-primary" disabled={busy}>
          {t('workerForm.submit')}
        </button>
      </form>
    </section>
  );
}
