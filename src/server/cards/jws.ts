import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Worker status cards are JWS compact tokens (RFC 7515) signed with Ed25519 (`alg: EdDSA`, RFC 8037), the key
 * named by `kid`. The public keys are published as a JWK set at `/.well-known/korus-keys.json`, so anyone can
 * check a card offline (`korus card verify TOKEN --keys FILE`). Keys rotate: a new key signs new cards, older
 * public keys stay published until the cards they signed have expired.
 */
export interface CardClaims {
  iss: string;
  sub: string;
  jti: string;
  iat: number;
  exp: number;
  [claim: string]: unknown;
}

export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  use: 'sig';
  alg: 'EdDSA';
}

export interface CardKeyRing {
  currentKeyId: string;
  privateKey: KeyObject;
  /** Every key still published, the current one included. */
  publicKeys: PublicJwk[];
}

interface KeyFile {
  version: 1;
  current: string;
  keys: { kid: string; privatePkcs8: string; createdAt: string }[];
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function kidOf(jwk: { x: string }): string {
  return `ed25519-${jwk.x.slice(0, 12)}`;
}

function publicJwkOf(privateKey: KeyObject): PublicJwk {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' }) as { x: string };
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: kidOf(jwk), use: 'sig', alg: 'EdDSA' };
}

function newKeyEntry() {
  const { privateKey } = generateKeyPairSync('ed25519');
  return {
    kid: publicJwkOf(privateKey).kid,
    privatePkcs8: (privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer).toString('base64'),
    createdAt: new Date().toISOString(),
  };
}

function ringOf(file: KeyFile): CardKeyRing {
  const keys = file.keys.map((k) =>
    createPrivateKey({ key: Buffer.from(k.privatePkcs8, 'base64'), format: 'der', type: 'pkcs8' }),
  );
  const current = file.keys.findIndex((k) => k.kid === file.current);
  if (current < 0) throw new Error(`card key file: current key ${file.current} is missing`);
  return { currentKeyId: file.current, privateKey: keys[current]!, publicKeys: keys.map(publicJwkOf) };
}

/** The card signing keys of a data directory (`card-keys.json`, mode 0600), made on first use. */
export function loadCardKeys(dataDir: string): CardKeyRing {
  const path = join(dataDir, 'card-keys.json');
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    const entry = newKeyEntry();
    const content: KeyFile = { version: 1, current: entry.kid, keys: [entry] };
    writeFileSync(path, JSON.stringify(content, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  }
  return ringOf(JSON.parse(readFileSync(path, 'utf8')) as KeyFile);
}

/**
 * Adds a new current key; the older ones stay to verify the cards they signed (`keep` most recent older keys,
 * enough to outlive the cards' short lifetime). Returns the new key id.
 */
export function rotateCardKeys(dataDir: string, keep = 3): string {
  loadCardKeys(dataDir);
  const path = join(dataDir, 'card-keys.json');
  const file = JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
  const entry = newKeyEntry();
  file.keys = [entry, ...file.keys].slice(0, keep + 1);
  file.current = entry.kid;
  writeFileSync(path, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  chmodSync(path, 0o600);
  return entry.kid;
}

/** An in-memory key ring (tests, benchmarks). */
export function ephemeralCardKeys(): CardKeyRing {
  const entry = newKeyEntry();
  return ringOf({ version: 1, current: entry.kid, keys: [entry] });
}

export function signCard(ring: CardKeyRing, claims: CardClaims): string {
  return signJws(ring, claims, 'JWT');
}

/** A JWS compact token over any JSON payload, signed with the ring's current key (cards, audit chain notes). */
export function signJws(ring: CardKeyRing, payload: unknown, typ = 'JOSE'): string {
  const header = b64url(JSON.stringify({ alg: 'EdDSA', typ, kid: ring.currentKeyId }));
  const body = b64url(JSON.stringify(payload));
  const signature = sign(null, Buffer.from(`${header}.${body}`), ring.privateKey);
  return `${header}.${body}.${b64url(signature)}`;
}

/** The payload of a JWS whose Ed25519 signature verifies against one of `keys`; undefined otherwise. */
export function verifiedJwsPayload(token: string, keys: readonly PublicJwk[]): unknown {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as {
      alg?: string;
      kid?: string;
    };
    const jwk = keys.find((k) => k.kid === header.kid);
    const signature = Buffer.from(parts[2]!, 'base64url');
    if (header.alg !== 'EdDSA' || !jwk || signature.length !== 64) return undefined;
    if (!verify(null, Buffer.from(`${parts[0]}.${parts[1]}`), keyObjectOf(jwk), signature)) return undefined;
    return JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export type CardCheck =
  | { valid: true; claims: CardClaims; kid: string }
  | {
      valid: false;
      reason: 'malformed' | 'unknown_key' | 'bad_signature' | 'expired' | 'not_yet_valid';
      claims: CardClaims | null;
    };

const cachedKeys = new WeakMap<PublicJwk, KeyObject>();
function keyObjectOf(jwk: PublicJwk): KeyObject {
  let key = cachedKeys.get(jwk);
  if (!key)
    cachedKeys.set(
      jwk,
      (key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' })),
    );
  return key;
}

/**
 * Checks a card token against published keys (offline: no revocation; the server adds that): structure, the
 * key, the Ed25519 signature, and the validity window (`now` in seconds since the epoch, 60 s of leeway).
 */
export function verifyCard(
  token: string,
  keys: readonly PublicJwk[],
  now: number,
  leewaySeconds = 60,
): CardCheck {
  const parts = typeof token === 'string' ? token.trim().split('.') : [];
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p)))
    return { valid: false, reason: 'malformed', claims: null };
  let header: { alg?: string; kid?: string };
  let claims: CardClaims;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as {
      alg?: string;
      kid?: string;
    };
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as CardClaims;
  } catch {
    return { valid: false, reason: 'malformed', claims: null };
  }
  if (
    header.alg !== 'EdDSA' ||
    typeof claims !== 'object' ||
    claims === null ||
    typeof claims.exp !== 'number'
  ) {
    return { valid: false, reason: 'malformed', claims: null };
  }
  const jwk = keys.find((k) => k.kid === header.kid);
  if (!jwk) return { valid: false, reason: 'unknown_key', claims };
  const signature = Buffer.from(parts[2]!, 'base64url');
  if (
    signature.length !== 64 ||
    !verify(null, Buffer.from(`${parts[0]}.${parts[1]}`), keyObjectOf(jwk), signature)
  ) {
    return { valid: false, reason: 'bad_signature', claims };
  }
  if (now > claims.exp + leewaySeconds) return { valid: false, reason: 'expired', claims };
  if (typeof claims.iat === 'number' && claims.iat > now + leewaySeconds)
    return { valid: false, reason: 'not_yet_valid', claims };
  return { valid: true, claims, kid: jwk.kid };
}
