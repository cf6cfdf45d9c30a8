import type { UscisStatusValue as UscisStatus } from '../../contract/uscis.js';
import { addDays, writtenDate, type IsoDate } from '../dates/index.js';

/**
 * USCIS receipt numbers and the text of a Form I-797 notice (issue 18, item 3). Pure: no clock, no I/O.
 *
 * A receipt number is three letters (the office that took the filing) and ten digits, as USCIS's Case Status
 * Online asks for it ("three letters and 10 numbers", https://egov.uscis.gov/). Notices print it as
 * "Receipt Number WAC2612345678"; people type it with spaces or dashes, which are dropped.
 *
 * The notice parser reads what people paste from an I-797 (receipt I-797C, approval I-797/I-797A/B, request
 * for evidence I-797E, intent to deny, transfer, biometrics appointment): the receipt number, the notice type,
 * the received and notice dates, the form, an approval's validity and a request's response deadline. It is a
 * reader of labelled fields, not an oracle: every field found is shown to the person before anything is
 * recorded, and what it did not find is listed.
 */

export type { UscisStatus };

export const RECEIPT_NUMBER = /^[A-Z]{3}\d{10}$/;

/** Offices whose three letters start receipt numbers (USCIS service centers and the online filing system). */
export const serviceCenters: Record<string, { en: string; ko: string }> = {
  EAC: { en: 'Vermont Service Center', ko: '버몬트 서비스 센터' },
  WAC: { en: 'California Service Center', ko: '캘리포니아 서비스 센터' },
  LIN: { en: 'Nebraska Service Center', ko: '네브래스카 서비스 센터' },
  SRC: { en: 'Texas Service Center', ko: '텍사스 서비스 센터' },
  NBC: { en: 'National Benefits Center', ko: '국가 혜택 센터(NBC)' },
  MSC: { en: 'National Benefits Center (Missouri)', ko: '국가 혜택 센터(미주리)' },
  IOE: { en: 'USCIS online filing (ELIS)', ko: 'USCIS 온라인 접수(ELIS)' },
  YSC: { en: 'Potomac Service Center', ko: '포토맥 서비스 센터' },
};

/** The receipt number without spaces or dashes, in capitals; null when it is not three letters and ten digits. */
export function normalizeReceiptNumber(input: string): string | null {
  const compact = input.replace(/[\s-]/g, '').toUpperCase();
  return RECEIPT_NUMBER.test(compact) ? compact : null;
}

/**
 * Days USCIS gives to answer, counted from the notice date, when a notice is read without a stated deadline:
 * at most 12 weeks for an RFE and 30 days for a NOID (8 CFR 103.2(b)(8)(iv)), plus 3 days for a mailed notice
 * (8 CFR 103.8(b)). The notice's own date prevails; a computed date is marked as such.
 */
export const DEFAULT_RESPONSE_DAYS: Record<'rfe' | 'noid', number> = { rfe: 84 + 3, noid: 30 + 3 };

export interface ParsedNotice {
  receiptNumber: string | null;
  serviceCenter: string | null;
  status: UscisStatus | null;
  formType: string | null;
  receivedDate: IsoDate | null;
  noticeDate: IsoDate | null;
  /** The response deadline of an RFE or a NOID. */
  responseDue: IsoDate | null;
  /** True when `responseDue` was computed from the notice date (no deadline printed). */
  responseDueComputed: boolean;
  validFrom: IsoDate | null;
  validTo: IsoDate | null;
  /** Fields the text did not give (by name), for the person to fill in. */
  missing: string[];
}

const DATE = String.raw`(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}|(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2},?\s+\d{4})`;

/** A date as notices print it (MM/DD/YYYY, "Month D, YYYY" or ISO) to YYYY-MM-DD; null when not a real day. */
export function noticeDate(text: string): IsoDate | null {
  return writtenDate(text) ?? null;
}

function field(text: string, label: string): IsoDate | null {
  // The value follows the label on its line, or (the notice's table layout) starts the next line.
  const match = new RegExp(`${label}[^0-9]{0,120}?${DATE}`, 'i').exec(text);
  return match ? noticeDate(match[1]!.replace(/\s+/g, ' ')) : null;
}

const TYPES: readonly [RegExp, UscisStatus][] = [
  [/intent\s+to\s+deny|\bNOID\b/i, 'noid'],
  [/request\s+for\s+(?:additional\s+)?evidence|I-797E\b/i, 'rfe'],
  [/approval\s+notice|\bapproved\b/i, 'approved'],
  [/denial\s+notice|\bdenied\b/i, 'denied'],
  [/transfer\s+notice|\btransferred\b/i, 'transferred'],
  [/biometrics?\s+appointment|ASC\s+appointment/i, 'biometrics'],
  [/receipt\s+notice|I-797C\b/i, 'received'],
];

function typeOf(text: string): UscisStatus | null {
  // The "Notice Type:" line says it best; the body is read only when there is none.
  const line = /Notice\s+Type\s*[:\-]?\s*([^\n]{1,80})/i.exec(text)?.[1];
  for (const scope of line ? [line, text] : [text])
    for (const [pattern, status] of TYPES) if (pattern.test(scope)) return status;
  return null;
}

/** The form filed (I-129, I-140, …): after "Case Type", else the first form number that is not the notice's own. */
function formOf(text: string): string | null {
  const labelled = /(?:Case|Form)\s+Type\s*[:\-]?\s*I-?(\d{3}[A-Z]?)\b/i.exec(text)?.[1];
  if (labelled) return `I-${labelled.toUpperCase()}`;
  for (const m of text.matchAll(/\bI-?(\d{3})([A-Z]?)\b/g))
    if (m[1] !== '797' && !m[1]!.startsWith('94')) return `I-${m[1]}${m[2]}`;
  return null;
}

/** Reads the fields of a pasted I-797 notice. Never throws; a huge text is read only in its first 20,000 characters. */
export function parseI797(input: string): ParsedNotice {
  const text = input.slice(0, 20_000).replace(/\r\n?/g, '\n');
  const labelled =
    /Receipt\s*(?:Number|No\.?|#)\s*[:\-]?\s*([A-Za-z]{3}[ \t-]?(?:\d[ \t-]?){9}\d)/i.exec(text)?.[1] ??
    /\b([A-Z]{3}\d{10})\b/.exec(text)?.[1] ??
    null;
  const receiptNumber = labelled ? normalizeReceiptNumber(labelled) : null;
  const status = typeOf(text);
  const formType = formOf(text);
  const receivedDate = field(text, String.raw`Received\s+Date`);
  const noticeOn = field(text, String.raw`Notice\s+Date`);
  const valid = new RegExp(`Valid\\s+from\\s*[:\\-]?\\s*${DATE}\\s*(?:to|through|-)\\s*${DATE}`, 'i').exec(
    text,
  );
  const validFrom = valid ? noticeDate(valid[1]!) : null;
  const validTo = valid ? noticeDate(valid[2]!) : null;
  let responseDue: IsoDate | null = null;
  let responseDueComputed = false;
  if (status === 'rfe' || status === 'noid') {
    const due = new RegExp(
      `(?:received|respon[sd]e?|submit(?:ted)?|reply)[^.]{0,160}?\\bby\\s*(?:[:\\-]\\s*)?${DATE}`,
      'i',
    ).exec(text);
    responseDue = due ? noticeDate(due[1]!.replace(/\s+/g, ' ')) : null;
    if (!responseDue && noticeOn) {
      responseDue = addDays(noticeOn, DEFAULT_RESPONSE_DAYS[status]);
      responseDueComputed = true;
    }
  }
  const found: Record<string, unknown> = { receiptNumber, status, noticeDate: noticeOn ?? receivedDate };
  if (status === 'rfe' || status === 'noid') found.responseDue = responseDue;
  return {
    receiptNumber,
    serviceCenter:
      receiptNumber && serviceCenters[receiptNumber.slice(0, 3)] ? receiptNumber.slice(0, 3) : null,
    status,
    formType,
    receivedDate,
    noticeDate: noticeOn,
    responseDue,
    responseDueComputed,
    validFrom,
    validTo,
    missing: Object.entries(found)
      .filter(([, v]) => v === null)
      .map(([k]) => k),
  };
}
