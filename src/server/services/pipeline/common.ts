import type { FieldError } from '../../../contract/errors.js';
import type { FieldCipher } from '../../crypto/field-encryption.js';
import { normalizeIdentifier } from '../../crypto/field-encryption.js';
import type { Rules } from '../../../core/rules/index.js';
import type { QuotaLedger } from '../quota.js';

/** What the pipeline services need besides the database and the actor. */
export interface PipelineDeps {
  cipher: FieldCipher;
  rules: Rules;
  uploadsDir: string;
  /** The clock (tests move it). */
  now?: () => Date;
  /** The quota ledger, for workflows that reserve a number (the E-4's quota stage); made on first use. */
  quota?: () => QuotaLedger;
}

export const nowOf = (deps: Pick<PipelineDeps, 'now'>): Date => (deps.now ? deps.now() : new Date());

export function fieldError(path: string, en: string, ko: string, code = 'invalid'): FieldError {
  return { path, code, message: en, messages: { en, ko } };
}

export const PASSPORT_CONTEXT = 'worker.passportNumber';
export const PASSPORT_HASH_PURPOSE = 'worker.passport';

export function passportHash(cipher: FieldCipher, passportNumber: string): string {
  return cipher.keyedHash(normalizeIdentifier(passportNumber), PASSPORT_HASH_PURPOSE);
}

export function maskPassport(last4: string): string {
  return `•••••${last4}`;
}

/** Whole days from one UTC instant to another (floor), for lead times. */
export function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / 86_400_000);
}
