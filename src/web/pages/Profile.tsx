import { useEffect, useState, type FormEvent } from 'react';
import {
  ownProfileFields,
  type CaseSummary,
  type UpdateWorker,
  type Worker,
} from '../../contract/pipeline.js';
import { api, ApiProblem, asProblem } from '../api.js';
import { Loading, LoadProblem, NotRecorded } from '../components/feedback.js';
import { hasMessage, useI18n } from '../i18n/i18n.js';
import { useCategoryName } from '../cases/parts.js';
import { Link } from '../router.js';
import { Field, FormProblem, formValue, useRequest } from './pipeline-form.js';
import './pipeline.css';

type Qualification = Worker['qualifications'][number];
const FORM = 'profile';

/**
 * `/me`: the signed-in worker's own record (`GET /api/workers/me`). What a worker may change is the server's
 * `ownProfileFields` (contacts, skills, qualifications); the identity, passport and employment fields stay with
 * the employer and are shown read-only. Below, the worker's own cases.
 */
export function ProfilePage() {
  const { t, lang } = useI18n();
  const categoryName = useCategoryName();
  const [worker, setWorker] = useState<Worker | null>(null);
  const [cases, setCases] = useState<CaseSummary[]>([]);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [savedAt, setSavedAt] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([
      api<Worker>('GET', '/api/workers/me'),
      api<{ total: number; items: CaseSummary[] }>('GET', '/api/workers/me/cases'),
    ]).then(
      ([w, c]) => {
        setWorker(w);
        setCases(c.items);
      },
      (e: unknown) => setProblem(asProblem(e)),
    );
  }, []);

  if (problem?.status === 404) {
    return (
      <section className="page profile">
        <h1>{t('profile.title')}</h1>
        <p className="notice">{t('profile.notLinked')}</p>
      </section>
    );
  }
  if (problem) return <LoadProblem problem={problem} />;
  if (!worker) return <Loading />;

  return (
    <section className="page profile">
      <h1>{t('profile.title')}</h1>
      <p className="help">{t('profile.intro')}</p>
      {/* A linked worker record (GET /api/workers/me answered): the way to the card kept on this device. */}
      <section className="profile-card-link" aria-labelledby="profile-card-title">
        <h2 id="profile-card-title">{t('profile.cardTitle')}</h2>
        <p className="help">{t('profile.cardHelp')}</p>
        <p className="page-actions">
          <Link href="/card" className="button-primary">
            {t('profile.cardLink')}
          </Link>
        </p>
      </section>
      <TrainingRecord />
      <h2>{t('profile.kept')}</h2>
      <dl className="worker-profile">
        <dt>{t('workerForm.nameHangul')}</dt>
        <dd lang="ko">{worker.nameHangul}</dd>
        <dt>{t('profile.romanized')}</dt>
        <dd>
          {worker.familyName} {worker.givenName}
        </dd>
        <dt>{t('workerForm.birthDate')}</dt>
        <dd>{worker.birthDate}</dd>
        <dt>{t('workerForm.sex')}</dt>
        <dd>{t(`workerForm.sexes.${worker.sex}`)}</dd>
        <dt>{t('workerForm.nationality')}</dt>
        <dd>
          {hasMessage(`country.${worker.nationality}`)
            ? t(`country.${worker.nationality}`)
            : worker.nationality}
        </dd>
        <dt>{t('workerForm.passportGroup')}</dt>
        <dd>
          {worker.passportMasked} ({t('workers.expires', { date: worker.passportExpiry })})
        </dd>
        <dt>{t('workers.organization')}</dt>
        <dd>{worker.organizationName}</dd>
        <dt>{t('workerForm.role')}</dt>
        <dd>{worker.role ? t(`workerRole.${worker.role}`) : <NotRecorded />}</dd>
        <dt>{t('workerForm.education')}</dt>
        <dd>{worker.education ? t(`education.${worker.education}`) : <NotRecorded />}</dd>
        <dt>{t('workerForm.employedSince')}</dt>
        <dd>{worker.employedSince ?? <NotRecorded />}</dd>
      </dl>

      <ProfileForm
        key={worker.updatedAt}
        worker={worker}
        saved={savedAt === worker.updatedAt}
        onSaved={(w) => {
          setWorker(w);
          setSavedAt(w.updatedAt);
        }}
      />

      <h2>{t('profile.cases')}</h2>
      {cases.length === 0 ? (
        <p className="muted">{t('workers.noCases')}</p>
      ) : (
        <ul>
          {cases.map((c) => (
            <li key={c.id}>
              {categoryName(c.category, c.provision)} · {c.projectName} · {c.stageTitle[lang]} (
              {t('profile.target', { date: c.targetDate })})
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The body of `PATCH /api/workers/me`: only the fields the server lets a worker change. */
export function profileBody(data: FormData, qualifications: Qualification[]): UpdateWorker {
  const contact = {
    name: formValue(data, 'emergencyContact.name'),
    relationship: formValue(data, 'emergencyContact.relationship'),
    phone: formValue(data, 'emergencyContact.phone'),
  };
  const body: Record<string, unknown> = {
    phone: formValue(data, 'phone') ?? null,
    email: formValue(data, 'email') ?? null,
    emergencyContact: contact.name || contact.relationship || contact.phone ? contact : null,
    skills: String(data.get('skills') ?? '')
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean),
    qualifications: qualifications
      .map((q) => Object.fromEntries(Object.entries(q).filter(([, v]) => typeof v === 'string' && v.trim())))
      .filter((q) => Object.keys(q).length > 0),
  };
  const allowed: readonly string[] = ownProfileFields;
  return Object.fromEntries(Object.entries(body).filter(([k]) => allowed.includes(k))) as UpdateWorker;
}

function ProfileForm({
  worker,
  saved,
  onSaved,
}: {
  worker: Worker;
  saved: boolean;
  onSaved: (w: Worker) => void;
}) {
  const { t } = useI18n();
  const [qualifications, setQualifications] = useState<Qualification[]>(worker.qualifications);
  const { busy, problem, run } = useRequest();

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const body = profileBody(new FormData(e.currentTarget), qualifications);
    run(
      () => api<Worker>('PATCH', '/api/workers/me', body),
      (w) => {
        onSaved(w);
      },
    );
  };
  const setQualification = (i: number, field: keyof Qualification, value: string) =>
    setQualifications((prev) => prev.map((q, j) => (j === i ? { ...q, [field]: value } : q)));

  const shown = [
    'phone',
    'email',
    'emergencyContact',
    'emergencyContact.name',
    'emergencyContact.relationship',
    'emergencyContact.phone',
    'skills',
    ...qualifications.flatMap((_, i) =>
      ['name', 'grade', 'issuer', 'number'].map((f) => `qualifications[${i}].${f}`),
    ),
  ];
  return (
    <form
      className="inline-form worker-form profile-form"
      onSubmit={submit}
      aria-labelledby="profile-form-title"
      noValidate
    >
      <h2 id="profile-form-title">{t('profile.editable')}</h2>
      <fieldset>
        <legend>{t('workerForm.contacts')}</legend>
        <Field form={FORM} name="phone" label={t('workerForm.phone')} problem={problem}>
          {(p) => <input {...p} type="tel" defaultValue={worker.phone ?? ''} />}
        </Field>
        <Field form={FORM} name="email" label={t('workerForm.email')} problem={problem}>
          {(p) => <input {...p} type="email" defaultValue={worker.email ?? ''} />}
        </Field>
        <Field
          form={FORM}
          name="emergencyContact.name"
          label={t('workerForm.emergencyName')}
          problem={problem}
        >
          {(p) => <input {...p} type="text" defaultValue={worker.emergencyContact?.name ?? ''} />}
        </Field>
        <Field
          form={FORM}
          name="emergencyContact.relationship"
          label={t('workerForm.emergencyRelationship')}
          problem={problem}
        >
          {(p) => <input {...p} type="text" defaultValue={worker.emergencyContact?.relationship ?? ''} />}
        </Field>
        <Field
          form={FORM}
          name="emergencyContact.phone"
          label={t('workerForm.emergencyPhone')}
          problem={problem}
        >
          {(p) => <input {...p} type="tel" defaultValue={worker.emergencyContact?.phone ?? ''} />}
        </Field>
      </fieldset>
      <fieldset>
        <legend>{t('profile.skillsGroup')}</legend>
        <Field form={FORM} name="skills" label={t('profile.skills')} problem={problem}>
          {(p) => <textarea {...p} rows={3} defaultValue={worker.skills.join('\n')} />}
        </Field>
      </fieldset>
      <fieldset>
        <legend>{t('profile.qualifications')}</legend>
        {qualifications.length === 0 && <p className="muted">{t('profile.noQualifications')}</p>}
        {qualifications.map((q, i) => (
          <div
            key={i}
            className="qualification"
            role="group"
            aria-label={t('profile.qualificationN', { n: i + 1 })}
          >
            {(['name', 'grade', 'issuer', 'number'] as const).map((f) => (
              <Field
                key={f}
                form={FORM}
                name={`qualifications[${i}].${f}`}
                label={t(`profile.qualification.${f}`)}
                problem={problem}
              >
                {(p) => (
                  <input
                    {...p}
                    type="text"
                    value={q[f] ?? ''}
                    onChange={(e) => setQualification(i, f, e.target.value)}
                  />
                )}
              </Field>
            ))}
            <button
              type="button"
              className="button-secondary"
              onClick={() => setQualifications((prev) => prev.filter((_, j) => j !== i))}
            >
              {t('profile.removeQualification', { n: i + 1 })}
            </button>
          </div>
        ))}
        <button
          type="button"
          className="button-secondary"
          onClick={() => setQualifications((prev) => [...prev, { name: '' }])}
        >
          {t('profile.addQualification')}
        </button>
      </fieldset>
      <FormProblem problem={problem} shown={shown} />
      {saved && (
        <p className="form-status success" role="status">
          {t('profile.saved')}
        </p>
      )}
      <button type="submit" className="button-primary" disabled={busy}>
        {t('profile.save')}
      </button>
    </form>
  );
}

interface Training {
  totals: { sessions: number; hours: number; trainees: number; traineeHours: number; certified: number; from: string | null; to: string | null }; // prettier-ignore
  sessions: { id: string; heldOn: string; topic: string; projectName: string; hours: number; trainees: number; certified: number }[]; // prettier-ignore
}

/**
 * The training the worker gave to US workers (issue 20, item 5): their mentorship on record, from the employer's
 * contribution ledger, with a PDF to keep for their career and a later petition.
 */
function TrainingRecord() {
  const { t } = useI18n();
  const [record, setRecord] = useState<Training | null>(null);
  useEffect(() => {
    api<Training>('GET', '/api/me/training').then(setRecord, () => setRecord(null));
  }, []);
  if (!record) return null;
  const x = record.totals;
  return (
    <section aria-labelledby="profile-training-title" className="card" data-testid="training-record">
      <h2 id="profile-training-title">{t('profile.training.title')}</h2>
      {x.sessions === 0 ? (
        <p className="muted">{t('profile.training.none')}</p>
      ) : (
        <>
          <p>
            {t('profile.training.summary', {
              sessions: x.sessions,
              hours: x.hours,
              trainees: x.trainees,
              certified: x.certified,
            })}{' '}
            {/* prettier-ignore */}
          </p>
          <ul>
            {record.sessions.slice(0, 5).map((s) => (
              <li key={s.id}>
                {s.heldOn} · {s.topic} ·{' '}
                {t('profile.training.line', { hours: s.hours, trainees: s.trainees })}
              </li>
            ))}
          </ul>
          <p className="page-actions">
            <a href="/api/me/training.pdf" download className="button-secondary">
              {t('profile.training.pdf')}
            </a>
          </p>
        </>
      )}
    </section>
  );
}
