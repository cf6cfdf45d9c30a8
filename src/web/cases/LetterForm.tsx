import { useEffect, useState, type FormEvent } from 'react';
import type { CaseDetail } from '../../contract/pipeline.js';
import type { ApiProblem } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { caseProblem, describedBy, Field, ProblemNotice } from './parts.js';
import { postForPdf } from './transport.js';

type Kind = CaseDetail['letters'][number];
const SENDER_KEY = 'korus.letterSender';

interface Sender {
  name: string;
  title: string;
  address: string;
  phone: string;
  email: string;
}
const emptySender: Sender = { name: '', title: '', address: '', phone: '', email: '' };

function storedSender(): Sender {
  try {
    const raw = localStorage.getItem(SENDER_KEY);
    return raw ? { ...emptySender, ...(JSON.parse(raw) as Partial<Sender>) } : emptySender;
  } catch {
    return emptySender;
  }
}

/**
 * Support and invitation letters (`POST /api/cases/{id}/letters`): the server builds the letter from the case;
 * the form brings who signs and how to reach them (remembered in this browser), and for the installer and
 * trainer provisions the equipment and the contract clause. The PDF downloads; field errors come back with their
 * path (`signatory.name`, `equipment.clause`) and appear next to their field.
 */
export function LetterForm({ detail }: { detail: CaseDetail }) {
  const { t, lang } = useI18n();
  const [kind, setKind] = useState<Kind>(detail.letters[0] ?? 'support');
  const [language, setLanguage] = useState<'en' | 'ko'>(lang);
  const [sender, setSender] = useState<Sender>(storedSender);
  const [purpose, setPurpose] = useState('');
  const [equipment, setEquipment] = useState({
    description: '',
    seller: '',
    buyer: '',
    contractReference: '',
    contractDate: '',
    clause: '',
  });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [download, setDownload] = useState<{ url: string; filename: string } | null>(null);
  const needsEquipment =
    kind === 'support' && (detail.provision === 'installer' || detail.provision === 'trainer');

  useEffect(
    () => () => {
      if (download) URL.revokeObjectURL(download.url);
    },
    [download],
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    localStorage.setItem(SENDER_KEY, JSON.stringify(sender));
    const trimmed = Object.fromEntries(Object.entries(equipment).filter(([, v]) => v.trim() !== ''));
    try {
      const { blob, filename } = await postForPdf(
        `/api/cases/${detail.id}/letters`,
        {
          kind,
          language,
          signatory: { name: sender.name, title: sender.title },
          contact: { address: sender.address, phone: sender.phone, email: sender.email },
          ...(kind === 'invitation' && purpose.trim() ? { purpose: purpose.trim() } : {}),
          ...(needsEquipment ? { equipment: trimmed } : {}),
        },
        lang,
      );
      const url = URL.createObjectURL(blob);
      setDownload({ url, filename });
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      document.body.append(a);
      a.click();
      a.remove();
    } catch (error) {
      setProblem(caseProblem(error));
    } finally {
      setBusy(false);
    }
  };

  const err = (path: string) => problem?.fieldError(path, lang);
  const text = (
    id: string,
    path: string,
    label: string,
    value: string,
    onChange: (v: string) => void,
    opts: { type?: string; required?: boolean; multiline?: boolean } = {},
  ) => {
    const error = err(path);
    const common = {
      id,
      value,
      required: opts.required ?? true,
      'aria-invalid': error ? true : undefined,
      'aria-describedby': describedBy(id, false, !!error),
    };
    return (
      <Field id={id} label={label} error={error}>
        {opts.multiline ? (
          <textarea {...common} rows={3} onChange={(e) => onChange(e.target.value)} />
        ) : (
          <input {...common} type={opts.type ?? 'text'} onChange={(e) => onChange(e.target.value)} />
        )}
      </Field>
    );
  };
  const shown = [
    'signatory.name',
    'signatory.title',
    'contact.address',
    'contact.phone',
    'contact.email',
    'purpose',
    ...Object.keys(equipment).map((k) => `equipment.${k}`),
  ];

  return (
    <section aria-labelledby="case-letters">
      <h2 id="case-letters">{t('cases.letters.title')}</h2>
      <p className="help">{t('cases.letters.intro')}</p>
      <form className="letter-form" onSubmit={(e) => void submit(e)} noValidate>
        <fieldset className="choices choices-inline">
          <legend>{t('cases.letters.kind')}</legend>
          {detail.letters.map((k) => (
            <label key={k} className="check">
              <input type="radio" name="letter-kind" checked={kind === k} onChange={() => setKind(k)} />{' '}
              {t(`cases.letters.${k}`)}
            </label>
          ))}
        </fieldset>
        <fieldset className="choices choices-inline">
          <legend>{t('cases.letters.language')}</legend>
          {(['en', 'ko'] as const).map((l) => (
            <label key={l} className="check">
              <input
                type="radio"
                name="letter-lang"
                checked={language === l}
                onChange={() => setLanguage(l)}
              />{' '}
              {t(`lang.${l}`)}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('cases.letters.signatory')}</legend>
          <div className="inline-form">
            {text('letter-name', 'signatory.name', t('cases.letters.name'), sender.name, (v) =>
              setSender({ ...sender, name: v }),
            )}
            {text('letter-title', 'signatory.title', t('cases.letters.jobTitle'), sender.title, (v) =>
              setSender({ ...sender, title: v }),
            )}
            {text('letter-address', 'contact.address', t('cases.letters.address'), sender.address, (v) =>
              setSender({ ...sender, address: v }),
            )}
            {text(
              'letter-phone',
              'contact.phone',
              t('cases.letters.phone'),
              sender.phone,
              (v) => setSender({ ...sender, phone: v }),
              { type: 'tel' },
            )}
            {text(
              'letter-email',
              'contact.email',
              t('cases.letters.email'),
              sender.email,
              (v) => setSender({ ...sender, email: v }),
              { type: 'email' },
            )}
          </div>
        </fieldset>
        {kind === 'invitation' &&
          text('letter-purpose', 'purpose', t('cases.letters.purpose'), purpose, setPurpose, {
            required: false,
            multiline: true,
          })}
        {needsEquipment && (
          <fieldset>
            <legend>{t('cases.letters.equipment')}</legend>
            <div className="inline-form">
              {(['description', 'seller', 'buyer', 'contractReference'] as const).map((k) =>
                text(`letter-eq-${k}`, `equipment.${k}`, t(`cases.letters.eq.${k}`), equipment[k], (v) =>
                  setEquipment({ ...equipment, [k]: v }),
                ),
              )}
              {text(
                'letter-eq-contractDate',
                'equipment.contractDate',
                t('cases.letters.eq.contractDate'),
                equipment.contractDate,
                (v) => setEquipment({ ...equipment, contractDate: v }),
                { type: 'date' },
              )}
            </div>
            {text(
              'letter-eq-clause',
              'equipment.clause',
              t('cases.letters.eq.clause'),
              equipment.clause,
              (v) => setEquipment({ ...equipment, clause: v }),
              { multiline: true },
            )}
          </fieldset>
        )}
        {problem && <ProblemNotice problem={problem} shown={shown} />}
        <button type="submit" className="button-primary" disabled={busy}>
          {busy ? t('cases.letters.making') : t('cases.letters.make')}
        </button>
        <p className="form-status" role="status">
          {download && (
            <a href={download.url} download={download.filename}>
              {t('cases.letters.download', { file: download.filename })}
            </a>
          )}
        </p>
      </form>
    </section>
  );
}
