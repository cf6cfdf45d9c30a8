import { mkdtempSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  FieldCipher,
  FieldCryptoError,
  keyRingFromKeys,
  loadKeyRing,
  normalizeIdentifier,
  rotateKeyFile,
} from './field-encryption.js';

describe('field encryption', () => {
  const cipher = new FieldCipher(keyRingFromKeys(randomBytes(32)));

  it('round-trips any text, with a fresh IV each time', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const a = cipher.encrypt(text, 'worker.passportNumber');
        const b = cipher.encrypt(text, 'worker.passportNumber');
        expect(a).not.toBe(b);
        expect(cipher.decrypt(a, 'worker.passportNumber')).toBe(text);
      }),
    );
  });

  it('rejects tampering and a value moved to another field', () => {
    const value = cipher.encrypt('M12345678', 'worker.passportNumber');
    const parts = value.split('.');
    parts[3] = Buffer.from(
      'X' + Buffer.from(parts[3]!, 'base64url').toString('latin1').slice(1),
      'latin1',
    ).toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'), 'worker.passportNumber')).toThrow(FieldCryptoError);
    expect(() => cipher.decrypt(value, 'worker.i94Number')).toThrow(/failed authentication/);
  });

  it('key file: created once with mode 0600; rotation keeps old values readable and hashes stable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'korus-keys-'));
    const first = new FieldCipher(loadKeyRing(dir, {}));
    expect(statSync(join(dir, 'keys.json')).mode & 0o777).toBe(0o600);
    const old = first.encrypt('M12345678', 'p');
    const hashBefore = first.keyedHash('M12345678', 'passport');
    const newId = rotateKeyFile(dir);
    const second = new FieldCipher(loadKeyRing(dir, {}));
    expect(second.currentKeyId).toBe(newId);
    expect(second.decrypt(old, 'p')).toBe('M12345678');
    expect(second.needsRotation(old)).toBe(true);
    expect(second.needsRotation(second.encrypt('x', 'p'))).toBe(false);
    expect(second.keyedHash('M12345678', 'passport')).toBe(hashBefore);
  });

  it('KORUS_DATA_KEY: must be 32 bytes; previous keys stay readable', () => {
    expect(() => loadKeyRing('/nonexistent', { KORUS_DATA_KEY: 'c2hvcnQ=' })).toThrow(/32 bytes/);
    const oldKey = randomBytes(32).toString('base64');
    const newKey = randomBytes(32).toString('base64');
    const hashKey = randomBytes(32).toString('base64');
    const before = new FieldCipher(
      loadKeyRing('/nonexistent', { KORUS_DATA_KEY: oldKey, KORUS_HASH_KEY: hashKey }),
    );
    const value = before.encrypt('secret', 'f');
    const after = new FieldCipher(
      loadKeyRing('/nonexistent', {
        KORUS_DATA_KEY: newKey,
        KORUS_DATA_KEYS_PREVIOUS: oldKey,
        KORUS_HASH_KEY: hashKey,
      }),
    );
    expect(after.decrypt(value, 'f')).toBe('secret');
    expect(after.keyedHash('A', 'p')).toBe(before.keyedHash('A', 'p'));
    const without = new FieldCipher(loadKeyRing('/nonexistent', { KORUS_DATA_KEY: newKey }));
    expect(() => without.decrypt(value, 'f')).toThrow(/not in the key ring/);
  });

  it('keyed hash: equal for the same normalized identifier, different per purpose', () => {
    expect(normalizeIdentifier(' m 1234-5678 ')).toBe('M12345678');
    expect(cipher.keyedHash(normalizeIdentifier('m1234 5678'), 'passport')).toBe(
      cipher.keyedHash('M12345678', 'passport'),
    );
    expect(cipher.keyedHash('M12345678', 'passport')).not.toBe(cipher.keyedHash('M12345678', 'i94'));
  });
});
