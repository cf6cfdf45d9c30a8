/**
 * The worker status card on the client (issue 6): the claims read from the JWS payload for display (never
 * trusted: the verify page asks the server), and the last token kept on the device so the card shows offline.
 */
export interface CardClaims {
  jti?: string;
  iat?: number;
  exp?: number;
  names?: { hangul?: string; romanized?: string };
  employer?: string;
  site?: string | null;
  project?: string | null;
  classOfAdmission?: string;
  classLabel?: { en: string; ko: string };
  admittedOn?: string;
  admitUntil?: string | null;
  permittedActivities?: string[];
  annotation?: { company?: string; facility?: string; project?: string } | null;
  notice?: { en: string; ko: string };
}

export const CARD_STORAGE_KEY = 'korus.card';

/** The fallback notice when a token carries none (the server always puts one in). */
export const NOT_GOVERNMENT = {
  en: 'Issued by the employer from its records and the I-94. Not a government document: CBP and the I-94 decide status.',
  ko: '고용주가 자사 기록과 I-94를 바탕으로 발급한 확인증입니다. 정부 문서가 아니며, 체류 자격은 CBP와 I-94가 정합니다.',
};

function base64UrlDecode(part: string): string {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** The claims of a compact JWS (header.payload.signature), or null when it is not one. Unverified. */
export function decodeCardClaims(token: string): CardClaims | null {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const claims = JSON.parse(base64UrlDecode(parts[1])) as unknown;
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? (claims as CardClaims) : null;
  } catch {
    return null;
  }
}

/** A token from a URL fragment or a pasted verify link (`…/verify#TOKEN`) or a bare token. */
export function tokenFrom(text: string): string {
  const trimmed = text.trim();
  const hash = trimmed.lastIndexOf('#');
  const fromHash = hash >= 0 ? trimmed.slice(hash + 1) : trimmed;
  const slash = fromHash.lastIndexOf('/card/');
  return safeDecode(slash >= 0 ? fromHash.slice(slash + 6) : fromHash).trim();
}

/** `decodeURIComponent` that gives the text back unchanged when it holds a broken escape. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function verifyUrl(origin: string, token: string): string {
  return `${origin}/verify#${token}`;
}

export function storedCard(): string | null {
  try {
    return localStorage.getItem(CARD_STORAGE_KEY);
  } catch {
    return null;
  }
}

export function storeCard(token: string): void {
  try {
    localStorage.setItem(CARD_STORAGE_KEY, token);
  } catch {
    // Private browsing: the card still shows, it just is not kept.
  }
}

/** The employer's counsel and emergency contacts, kept beside the card so they show offline too. */
export interface KeptContacts {
  organizationName: string;
  items: {
    kind: 'counsel' | 'emergency';
    name: string;
    firm: string | null;
    phone: string;
    hours: string | null;
  }[];
}

const CONTACTS_STORAGE_KEY = 'korus.card.contacts';

export function storedContacts(): KeptContacts | null {
  try {
    const text = localStorage.getItem(CONTACTS_STORAGE_KEY);
    return text ? (JSON.parse(text) as KeptContacts) : null;
  } catch {
    return null;
  }
}

export function storeContacts(contacts: KeptContacts): void {
  try {
    localStorage.setItem(CONTACTS_STORAGE_KEY, JSON.stringify(contacts));
  } catch {
    // Private browsing: shown now, not kept.
  }
}
