import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ephemeralCardKeys, loadCardKeys, rotateCardKeys, signCard, verifyCard } from './jws.js';

const now = 1_795_000_000;
const claims = {
  iss: 'korus-mobility',
  sub: 'worker-1',
  jti: 'card-1',
  iat: now,
  exp: now + 86_400,
  names: { hangul: '홍길동' },
};

describe('status card tokens (JWS, Ed25519)', () => {
  it('verifies a card it signed, offline, against the published keys', () => {
    const ring = ephemeralCardKeys();
    const token = signCard(ring, claims);
    expect(verifyCard(token, ring.publicKeys, now + 10)).toMatchObject({
      valid: true,
      claims: { names: { hangul: '홍길동' } },
    });
  });
  it('refuses tampering, truncation, other keys and expiry, with the reason', () => {
    const ring = ephemeralCardKeys();
    const token = signCard(ring, claims);
    const [h, p, s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, names: { hangul: '김철수' } })).toString(
      'base64url',
    );
    expect(verifyCard(`${h}.${forged}.${s}`, ring.publicKeys, now).valid).toBe(false);
    expect(verifyCard(`${h}.${forged}.${s}`, ring.publicKeys, now)).toMatchObject({
      reason: 'bad_signature',
    });
    expect(verifyCard(token.slice(0, -5), ring.publicKeys, now)).toMatchObject({ valid: false });
    expect(verifyCard(`${h}.${p}`, ring.publicKeys, now)).toMatchObject({ reason: 'malformed' });
    expect(verifyCard(token, ephemeralCardKeys().publicKeys, now)).toMatchObject({ reason: 'unknown_key' });
    expect(verifyCard(token, ring.publicKeys, now + 86_400 + 61)).toMatchObject({ reason: 'expired' });
    expect(verifyCard(token, ring.publicKeys, now + 86_400 + 59).valid).toBe(true);
  });
  it('keeps verifying unexpired cards after a key rotation; the key file is private', () => {
    const dir = mkdtempSync(join(tmpdir(), 'korus-cards-'));
    const before = loadCardKeys(dir);
    expect(statSync(join(dir, 'card-keys.json')).mode & 0o777).toBe(0o600);
    const old = signCard(before, claims);
    const kid = rotateCardKeys(dir);
    const after = loadCardKeys(dir);
    expect(after.currentKeyId).toBe(kid);
    expect(after.publicKeys).toHaveLength(2);
    expect(verifyCard(old, after.publicKeys, now).valid).toBe(true);
    expect(verifyCard(signCard(after, claims), after.publicKeys, now)).toMatchObject({ valid: true, kid });
  });
  it('never throws on garbage (property)', () => {
    const ring = ephemeralCardKeys();
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300 }),
        (text) => verifyCard(text, ring.publicKeys, now).valid === false,
      ),
    );
  });
});
