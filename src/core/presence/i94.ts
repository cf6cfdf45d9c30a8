import type { BilingualText } from '../../contract/assessment.js';
import { writtenDate, type IsoDate } from '../dates/index.js';
import { admissionClass } from './stay.js';

/**
 * Reads the text a person copies from the CBP I-94 website ("Get Most Recent I-94",
 * https://i94.cbp.dhs.gov): label and value pairs such as `Admission I-94 Record Number: 123456789A1`,
 * `Most Recent Date of Entry: 2026 March 02`, `Class of Admission: WB`, `Admit Until Date: 2026 May 30` (or
 * `D/S`), with the traveller's name, birth date and passport number. Labels may be followed by a colon or stand
 * on their own line with the value on the next; dates come as `2026 March 02`, `March 02, 2026`, `03/02/2026` or
 * ISO. Anything missing or unreadable is reported by field, in English and Korean; nothing is guessed.
 */
export interface I94Record {
  i94Number: string;
  admittedOn: IsoDate;
  classOfAdmission: string;
  admitUntil: IsoDate | null;
  durationOfStatus: boolean;
  familyName: string | null;
  givenName: string | null;
  birthDate: IsoDate | null;
  passportNumber: string | null;
  port: string | null;
}

export interface I94ParseIssue {
  field: string;
  message: BilingualText;
}

export class I94ParseError extends Error {
  constructor(readonly issues: I94ParseIssue[]) {
    super(`unreadable I-94 text: ${issues.map((i) => `${i.field}: ${i.message.en}`).join('; ')}`);
    this.name = 'I94ParseError';
  }
}

const labels: Record<keyof Omit<I94Record, 'durationOfStatus'>, RegExp> = {
  i94Number: /^(admission\s+)?(i-?94\s+)?record\s+number$|^i-?94\s+number$/,
  admittedOn: /^(most\s+recent\s+)?date\s+of\s+entry$|^entry\s+date$|^admission\s+date$/,
  classOfAdmission: /^class\s+of\s+admission$|^class$/,
  admitUntil: /^admit\s+until(\s+date)?$/,
  familyName: /^(last\/surname|last\s+name|surname|family\s+name)$/,
  givenName: /^(first\s+\(given\)\s+name|first\s+name|given\s+name)$/,
  birthDate: /^(birth\s+date|date\s+of\s+birth)$/,
  passportNumber: /^(passport\s+number|document\s+number)$/,
  port: /^port\s+of\s+entry$/,
};

/** A date as the I-94 site or a person writes it, as ISO 8601; undefined if it is not a real date. */
export const i94Date = writtenDate;

/** Parses pasted I-94 text; throws I94ParseError naming every missing or unreadable field. */
export function parseI94Text(text: string): I94Record {
  if (text.length > 20_000)
    throw new I94ParseError([
      {
        field: 'text',
        message: {
          en: 'is too long for an I-94 record (20,000 characters at most)',
          ko: 'I-94 기록으로 보기에는 너무 깁니다(최대 20,000자)',
        },
      },
    ]);
  const lines = text
    .replace(/\r/g, '')
    .split('\n')
    .map((l) => l.replace(/\u00a0/g, ' ').trim())
    .filter((l) => l !== '');
  const found: Partial<Record<keyof typeof labels, string>> = {};
  const normal = (label: string) =>
    label
      .toLowerCase()
      .replace(/[:：]\s*$/, '')
      .replace(/\s+/g, ' ')
      .trim();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.search(/[:：]/);
    const [label, value] = colon > 0 ? [line.slice(0, colon), line.slice(colon + 1).trim()] : [line, ''];
    for (const [field, pattern] of Object.entries(labels) as [keyof typeof labels, RegExp][]) {
      if (found[field] !== undefined || !pattern.test(normal(label))) continue;
      const v = value !== '' ? value : (lines[i + 1] ?? '');
      if (v !== '') found[field] = v;
    }
  }
  const issues: I94ParseIssue[] = [];
  const need = (field: string, en: string, ko: string) => issues.push({ field, message: { en, ko } });
  const i94 = found.i94Number?.replace(/\s+/g, '').toUpperCase();
  if (!i94) need('i94Number', 'the I-94 record number is missing', 'I-94 기록 번호가 없습니다');
  else if (!/^[0-9A-Z]{11}$/.test(i94))
    need(
      'i94Number',
      `"${found.i94Number}" is not an 11-character I-94 number`,
      `"${found.i94Number}"은(는) 11자리 I-94 번호가 아닙니다`,
    );
  const admittedOn = found.admittedOn ? i94Date(found.admittedOn) : undefined;
  if (!found.admittedOn) need('admittedOn', 'the date of entry is missing', '입국일이 없습니다');
  else if (!admittedOn)
    need('admittedOn', `"${found.admittedOn}" is not a date`, `"${found.admittedOn}"은(는) 날짜가 아닙니다`);
  const cls = found.classOfAdmission ? admissionClass(found.classOfAdmission) : undefined;
  if (!found.classOfAdmission)
    need('classOfAdmission', 'the class of admission is missing', '입국 자격이 없습니다');
  else if (!cls)
    need(
      'classOfAdmission',
      `"${found.classOfAdmission}" is not a class of admission we know`,
      `"${found.classOfAdmission}"은(는) 알 수 없는 입국 자격입니다`,
    );
  const ds = found.admitUntil !== undefined && /^d\s*\/\s*s$/i.test(found.admitUntil.trim());
  const admitUntil = found.admitUntil && !ds ? i94Date(found.admitUntil) : undefined;
  if (!found.admitUntil)
    need('admitUntil', 'the admit-until date (or D/S) is missing', '체류 허가 기한(또는 D/S)이 없습니다');
  else if (!ds && !admitUntil)
    need(
      'admitUntil',
      `"${found.admitUntil}" is neither a date nor D/S`,
      `"${found.admitUntil}"은(는) 날짜도 D/S도 아닙니다`,
    );
  const birthDate = found.birthDate ? i94Date(found.birthDate) : undefined;
  if (found.birthDate && !birthDate)
    need('birthDate', `"${found.birthDate}" is not a date`, `"${found.birthDate}"은(는) 날짜가 아닙니다`);
  if (admittedOn && admitUntil && admitUntil < admittedOn)
    need('admitUntil', 'is before the date of entry', '입국일보다 앞섭니다');
  if (issues.length) throw new I94ParseError(issues);
  return {
    i94Number: i94!,
    admittedOn: admittedOn!,
    classOfAdmission: cls!.code,
    admitUntil: admitUntil ?? null,
    durationOfStatus: ds,
    familyName: found.familyName?.toUpperCase() ?? null,
    givenName: found.givenName?.toUpperCase() ?? null,
    birthDate: birthDate ?? null,
    passportNumber: found.passportNumber?.replace(/\s+/g, '').toUpperCase() ?? null,
    port: found.port?.toUpperCase() ?? null,
  };
}
