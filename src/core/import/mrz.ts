import { parse } from 'mrz';

/**
 * The machine-readable zone of a passport (ICAO Doc 9303 part 4, TD3: two lines of 44 characters), as pasted
 * into a sheet: check digits verified (document number, birth date, expiry, composite), dates made ISO.
 * Two-digit years: a birth year later than this year's last two digits is in the 1900s; expiry years are 20xx.
 */
export type MrzResult =
  | {
      ok: true;
      passportNumber: string;
      birthDate: string;
      expiryDate: string;
      sex: 'M' | 'F' | 'X';
      familyName: string;
      givenName: string;
      nationality: string;
    }
  | { ok: false; error: { en: string; ko: string } };

const ISO3_TO_2: Record<string, string> = {
  KOR: 'KR',
  USA: 'US',
  JPN: 'JP',
  CHN: 'CN',
  VNM: 'VN',
  PRK: 'KP',
};

function yymmdd(value: string, kind: 'birth' | 'expiry', thisYear: number): string {
  const yy = Number(value.slice(0, 2));
  const century = kind === 'expiry' ? 2000 : yy > thisYear % 100 ? 1900 : 2000;
  return `${century + yy}-${value.slice(2, 4)}-${value.slice(4, 6)}`;
}

export function parseTd3(line1: string, line2: string, thisYear = 2026): MrzResult {
  const clean = (l: string) => l.trim().toUpperCase().replace(/\s+/g, '');
  const l1 = clean(line1);
  const l2 = clean(line2);
  if (l1.length !== 44 || l2.length !== 44 || !/^[A-Z0-9<]+$/.test(l1 + l2))
    return {
      ok: false,
      error: {
        en: `A passport MRZ has two lines of 44 characters (A–Z, 0–9, <); got ${l1.length} and ${l2.length}.`,
        ko: `여권 MRZ는 44자(A–Z, 0–9, <)로 된 두 줄입니다. 입력: ${l1.length}자, ${l2.length}자.`,
      },
    };
  let result: ReturnType<typeof parse>;
  try {
    result = parse([l1, l2]);
  } catch (error) {
    return {
      ok: false,
      error: { en: `Not a passport MRZ: ${(error as Error).message}`, ko: '여권 MRZ가 아닙니다.' },
    };
  }
  const bad = result.details.filter((d) => !d.valid);
  if (bad.length) {
    const checks = bad.filter((d) => /CheckDigit$/.test(d.field ?? ''));
    const names = (checks.length ? checks : bad).map((d) => d.label).join(', ');
    return {
      ok: false,
      error: {
        en: `The MRZ does not check out (${names}): a character was misread or mistyped.`,
        ko: `MRZ 검증에 실패했습니다(${names}): 잘못 읽거나 입력한 글자가 있습니다.`,
      },
    };
  }
  const f = result.fields;
  const nationality = String(f.nationality ?? '');
  return {
    ok: true,
    passportNumber: String(f.documentNumber ?? ''),
    birthDate: yymmdd(String(f.birthDate), 'birth', thisYear),
    expiryDate: yymmdd(String(f.expirationDate), 'expiry', thisYear),
    sex: f.sex === 'male' ? 'M' : f.sex === 'female' ? 'F' : 'X',
    familyName: String(f.lastName ?? ''),
    givenName: String(f.firstName ?? ''),
    nationality: ISO3_TO_2[nationality] ?? nationality.slice(0, 2),
  };
}

/** The check digit of ICAO 9303 (weights 7, 3, 1): for building test data and sample sheets. */
export function mrzCheckDigit(value: string): string {
  const weights = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    const v = c === '<' ? 0 : /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55;
    sum += v * weights[i % 3]!;
  }
  return String(sum % 10);
}

/** A TD3 MRZ for the given facts (tests, demo sheets). */
export function buildTd3(p: {
  familyName: string;
  givenName: string;
  passportNumber: string;
  nationality3: string;
  birthDate: string;
  sex: 'M' | 'F';
  expiryDate: string;
}): [string, string] {
  const fill = (s: string, n: number) => (s + '<'.repeat(n)).slice(0, n);
  const line1 = fill(
    `P<${p.nationality3}${p.familyName.replace(/ /g, '<')}<<${p.givenName.replace(/ /g, '<')}`,
    44,
  );
  const num = fill(p.passportNumber, 9);
  const birth = p.birthDate.slice(2).replace(/-/g, '');
  const expiry = p.expiryDate.slice(2).replace(/-/g, '');
  const personal = '<'.repeat(14);
  const part = `${num}${mrzCheckDigit(num)}${p.nationality3}${birth}${mrzCheckDigit(birth)}${p.sex}${expiry}${mrzCheckDigit(expiry)}${personal}${mrzCheckDigit(personal)}`;
  const composite = `${num}${mrzCheckDigit(num)}${birth}${mrzCheckDigit(birth)}${expiry}${mrzCheckDigit(expiry)}${personal}${mrzCheckDigit(personal)}`;
  return [line1, `${part}${mrzCheckDigit(composite)}`];
}
