import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Field encryption for personal identifiers (passport numbers, I-94 numbers, …): AES-256-GCM with a
 * random 96-bit IV per value; the key id travels with each ciphertext so keys can rotate (new values
 * use the current key, old values stay readable while their key is kept). Equality look-ups use a
 * keyed hash (HMAC-SHA-256) under a separate key that does not rotate with the encryption keys.
 *
 * Ciphertext format: `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts).
 */
export class FieldCryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldCryptoError';
  }
}

export interface KeyRing {
  currentKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
  hashKey: Buffer;
}

export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

function parseKey(text: string, source: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32)
    throw new FieldCryptoError(`${source} must be 32 bytes in base64 (got ${key.length} bytes)`);
  return key;
}

export function keyRingFromKeys(current: Buffer, previous: Buffer[] = [], hashKey?: Buffer): KeyRing {
  const keys = new Map<string, Buffer>();
  for (const key of [current, ...previous]) keys.set(keyIdOf(key), key);
  return {
    currentKeyId: keyIdOf(current),
    keys,
    hashKey: hashKey ?? Buffer.from(hkdfSync('sha256', current, Buffer.alloc(0), 'korus keyed hash v1', 32)),
  };
}

interface KeyFile {
  version: 1;
  current: string;
  keys: Record<string, string>;
  hashKey: string;
}

/**
 * Key ring from `KORUS_DATA_KEY` (current key, base64 of 32 bytes), `KORUS_DATA_KEYS_PREVIOUS`
 * (comma-separated older keys) and `KORUS_HASH_KEY`; without them, from `<dataDir>/keys.json`, created
 * at first start with mode 0600.
 */
export function loadKeyRing(dataDir: string, env: NodeJS.ProcessEnv = process.env): KeyRing {
  if (env.KORUS_DATA_KEY) {
    const current = parseKey(env.KORUS_DATA_KEY, 'KORUS_DATA_KEY');
    const previous = (env.KORUS_DATA_KEYS_PREVIOUS ?? '')
      .split(',')
      .filter((s) => s.trim() !== '')
      .map((s) => parseKey(s, 'KORUS_DATA_KEYS_PREVIOUS'));
    const hashKey = env.KORUS_HASH_KEY ? parseKey(env.KORUS_HASH_KEY, 'KORUS_HASH_KEY') : undefined;
    return keyRingFromKeys(current, previous, hashKey);
  }
  const file = join(dataDir, 'keys.json');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const key = randomBytes(32);
    const content: KeyFile = {
      version: 1,
      current: keyIdOf(key),
      keys: { [keyIdOf(key)]: key.toString('base64') },
      hashKey: randomBytes(32).toString('base64'),
    };
    writeFileSync(file, JSON.stringify(content, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  }
  const content = JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
  const keys = new Map<string, Buffer>();
  for (const [id, b64] of Object.entries(content.keys)) keys.set(id, parseKey(b64, `${file} key ${id}`));
  if (!keys.has(content.current))
    throw new FieldCryptoError(`${file}: current key ${content.current} is missing`);
  return { currentKeyId: content.current, keys, hashKey: parseKey(content.hashKey, `${file} hashKey`) };
}

/** Adds a new current key to the key file; older keys stay for reading. Returns the new key id. */
export function rotateKeyFile(dataDir: string): string {
  const file = join(dataDir, 'keys.json');
  const content = JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
  const key = randomBytes(32);
  const id = keyIdOf(key);
  content.keys[id] = key.toString('base64');
  content.current = id;
  writeFileSync(file, JSON.stringify(content, null, 2) + '\n', { mode: 0o600 });
  return id;
}

const b64 = (buf: Buffer) => buf.toString('base64url');
const FILE_MAGIC = Buffer.from('KORUSF1\n', 'latin1');

export function isEncryptedFile(data: Buffer): boolean {
  return data.length >= 48 && data.subarray(0, 8).equals(FILE_MAGIC);
}

export class FieldCipher {
  constructor(private readonly ring: KeyRing) {}

  get currentKeyId(): string {
    return this.ring.currentKeyId;
  }

  /** `context` (e.g. 'worker.passportNumber') is bound as associated data: a value moved to another field fails. */
  encrypt(plaintext: string, context: string): string {
    const key = this.ring.keys.get(this.ring.currentKeyId)!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', this.ring.currentKeyId, b64(iv), b64(ciphertext), b64(cipher.getAuthTag())].join('.');
  }

  decrypt(value: string, context: string): string {
    const parts = value.split('.');
    if (parts.length !== 5 || parts[0] !== 'v1') throw new FieldCryptoError('Not a KORUS v1 ciphertext');
    const [, keyId, iv, ciphertext, tag] = parts as [string, string, string, string, string];
    const key = this.ring.keys.get(keyId);
    if (!key) throw new FieldCryptoError(`Encryption key ${keyId} is not in the key ring (rotated away?)`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new FieldCryptoError('Ciphertext failed authentication (tampered, wrong key or wrong field)');
    }
  }

  /**
   * Files at rest (uploaded documents, rosters waiting for their import): AES-256-GCM under the current key,
   * the file's purpose as associated data. Layout: `KORUSF1\n` (8 bytes), key id (12), IV (12), ciphertext,
   * tag (16). `fileEncryptor` streams; `decryptFile` checks the tag before returning anything.
   */
  fileEncryptor(context: string): { header: Buffer; update(chunk: Buffer): Buffer; final(): Buffer } {
    const key = this.ring.keys.get(this.ring.currentKeyId)!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    return {
      header: Buffer.concat([FILE_MAGIC, Buffer.from(this.ring.currentKeyId, 'latin1'), iv]),
      update: (chunk) => cipher.update(chunk),
      final: () => Buffer.concat([cipher.final(), cipher.getAuthTag()]),
    };
  }

  encryptFile(plaintext: Buffer, context: string): Buffer {
    const e = this.fileEncryptor(context);
    return Buffer.concat([e.header, e.update(plaintext), e.final()]);
  }

  /** The plaintext of a file written by `encryptFile`; a file without the header is returned as it is (older data). */
  decryptFile(data: Buffer, context: string): Buffer {
    if (!isEncryptedFile(data)) return data;
    const keyId = data.subarray(8, 20).toString('latin1');
    const key = this.ring.keys.get(keyId);
    if (!key) throw new FieldCryptoError(`Encryption key ${keyId} is not in the key ring (rotated away?)`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(20, 32));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(data.subarray(data.length - 16));
      return Buffer.concat([decipher.update(data.subarray(32, data.length - 16)), decipher.final()]);
    } catch {
      throw new FieldCryptoError(
        'Encrypted file failed authentication (tampered, wrong key or wrong purpose)',
      );
    }
  }

  /** The key ids this cipher can read. */
  get keyIds(): string[] {
    return [...this.ring.keys.keys()];
  }

  /** Whether a stored value should be re-encrypted under the current key. */
  needsRotation(value: string): boolean {
    return value.split('.')[1] !== this.ring.currentKeyId;
  }

  /** HMAC-SHA-256 (hex) of a normalized identifier, for equality look-ups without decrypting. */
  keyedHash(value: string, purpose: string): string {
    return createHmac('sha256', this.ring.hashKey).update(purpose).update('\0').update(value).digest('hex');
  }
}

/** Passport and document numbers: upper case, no spaces or dashes, so `m 1234-567` equals `M1234567`. */
export function normalizeIdentifier(value: string): string {
  return value
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s-]+/g, '');
}
