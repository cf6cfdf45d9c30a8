import { isIsoDate, type IsoDate } from './iso-date.js';

const months = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

function monthOf(name: string): number {
  const m = months.findIndex((full) => full.startsWith(name.toLowerCase()) && name.length >= 3);
  return m + 1;
}

/**
 * A date as US forms and people write it (ISO, MM/DD/YYYY, "Month D, YYYY", "D Month YYYY", "YYYY Month D",
 * months spelled out or abbreviated), as ISO 8601; undefined if it is not a real date. Used for I-94 records and
 * USCIS notices.
 */
export function writtenDate(text: string): IsoDate | undefined {
  const t = text.trim().replace(/\s+/g, ' ');
  let y: number, m: number, d: number;
  let match;
  if ((match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t)))
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{4}) ([A-Za-z]+)\.? (\d{1,2})$/.exec(t)))
    [y, m, d] = [Number(match[1]), monthOf(match[2]!), Number(match[3])];
  else if ((match = /^([A-Za-z]+)\.? (\d{1,2}),? (\d{4})$/.exec(t)))
    [y, m, d] = [Number(match[3]), monthOf(match[1]!), Number(match[2])];
  else if ((match = /^(\d{1,2}) ([A-Za-z]+)\.? (\d{4})$/.exec(t)))
    [y, m, d] = [Number(match[3]), monthOf(match[2]!), Number(match[1])];
  else if ((match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t)))
    [y, m, d] = [Number(match[3]), Number(match[1]), Number(match[2])];
  else return undefined;
  const iso = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return m >= 1 && isIsoDate(iso) ? iso : undefined;
}
