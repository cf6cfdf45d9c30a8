import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Queryable } from '../db/database.js';
import { FieldCipher, FieldCryptoError, loadKeyRing } from './field-encryption.js';

/**
 * Every column that holds values encrypted with the field key ring (`v1.<keyId>.…`). A new encrypted column
 * is added here, so the start-up check below covers it.
 */
export const ENCRYPTED_COLUMNS: readonly { table: string; column: string }[] = [
  { table: 'workers', column: 'passport_enc' },
  { table: 'quota_lottery_registrations', column: 'passport_enc' },
  { table: 'entries', column: 'i94_enc' },
  { table: 'users', column: 'totp_secret' },
  { table: 'oidc_providers', column: 'client_secret' },
];

/** The key ids found in the database's encrypted values. */
export async function keyIdsInUse(db: Queryable): Promise<string[]> {
  const parts = ENCRYPTED_COLUMNS.map(
    ({ table, column }) =>
      `SELECT DISTINCT split_part(${column}, '.', 2) AS key_id FROM ${table} WHERE ${column} IS NOT NULL`,
  );
  const rows = await db.query<{ key_id: string }>(parts.join(' UNION '));
  return rows.map((r) => r.key_id).sort();
}

/**
 * The field cipher of a data directory, checked against the database (issue 14): a server started with another
 * data directory or without its `KORUS_DATA_KEY` would otherwise make a new key ring in silence and fail later
 * on every letter, card and import. Refused here, before a key file is made, with what to do.
 */
export async function loadCheckedCipher(
  db: Queryable,
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<FieldCipher> {
  const inUse = await keyIdsInUse(db);
  const keyFile = join(dataDir, 'keys.json');
  if (inUse.length > 0 && !env.KORUS_DATA_KEY && !existsSync(keyFile))
    throw new FieldCryptoError(
      missing(inUse, `there is no key file at ${keyFile} and KORUS_DATA_KEY is not set`),
    );
  const cipher = new FieldCipher(loadKeyRing(dataDir, env));
  const unknown = inUse.filter((id) => !cipher.keyIds.includes(id));
  if (unknown.length > 0)
    throw new FieldCryptoError(
      missing(
        unknown,
        `the key ring (${env.KORUS_DATA_KEY ? 'KORUS_DATA_KEY(S_PREVIOUS)' : keyFile}) lacks them`,
      ),
    );
  return cipher;
}

function missing(keyIds: string[], why: string): string {
  return (
    `The database holds values encrypted with key(s) ${keyIds.join(', ')}, but ${why}. ` +
    "Start with the data directory that holds this database's keys.json (--data-dir), or set KORUS_DATA_KEY " +
    'and KORUS_DATA_KEYS_PREVIOUS to its keys (see docs/security.md, "Keys").\n' +
    `데이터베이스에 키 ${keyIds.join(', ')}로 암호화된 값이 있지만 해당 키를 찾을 수 없습니다. ` +
    '이 데이터베이스의 keys.json이 있는 데이터 디렉터리를 지정하거나 KORUS_DATA_KEY를 설정하세요.'
  );
}
