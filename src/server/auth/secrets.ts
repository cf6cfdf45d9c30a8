import { createHash, randomBytes } from 'node:crypto';

/** Random secrets for sessions and API tokens; only their SHA-256 is stored. */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export const SESSION_COOKIE = 'korus_session';
export const CSRF_COOKIE = 'korus_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const TOKEN_PREFIX = 'korus_pat_';
export const SESSION_PREFIX = 'ks_';
