import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  investorProject,
  multipartFile,
  openTestApp,
  Session,
  TEST_PDF,
  type TestApp,
} from '../testing/app.js';
import { openTestDatabase, testDatabaseKinds } from '../testing/databases.js';
import { loadCheckedCipher } from '../crypto/key-check.js';
import { FieldCryptoError } from '../crypto/field-encryption.js';
import { backup, restore } from '../backup/backup.js';

/**
 * Files and keys (issue 14, findings 5 and 10): documents encrypted at rest; a missing file is a 404 that says
 * so; a database whose keys are not in the key ring is refused at start with what to do; `--with-uploads`
 * backups carry the uploads folder and restore it, checked.
 */
describe.each(testDatabaseKinds)('files and keys on %s', (kind) => {
  let t: TestApp;
  let investor: Session;
  let caseId: string;
  const dirs: string[] = [];
  const temp = () => {
    const d = mkdtempSync(join(tmpdir(), 'korus-files-'));
    dirs.push(d);
    return d;
  };
  beforeAll(async () => {
    t = await openTestApp(kind, { pipeline: true });
    investor = await Session.login(t.app, 'admin@hanbit-energy.example');
    const partner = await Session.login(t.app, 'admin@daeho-precision.example');
    const { projectId } = await investorProject(investor, partner, {
      site: 'Files Plant',
      code: 'FILES-1',
      project: 'Files project',
    });
    const [c] = await t.db.query<{ id: string }>(
      `SELECT c.id FROM cases c JOIN workers w ON w.id = c.worker_id
       WHERE w.organization_id = (SELECT organization_id FROM users WHERE email = 'admin@hanbit-energy.example')
       LIMIT 1`,
    );
    caseId = c!.id;
    expect(projectId).toBeTruthy();
  });
  afterAll(async () => {
    await t?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('stores uploaded documents encrypted and gives back the same bytes; a missing file is a 404 problem', async () => {
    const { payload, headers } = multipartFile('passport.pdf', 'application/pdf', TEST_PDF);
    const up = await investor.request(
      'POST',
      `/api/cases/${caseId}/documents?docType=passport_copy`,
      payload,
      headers,
    );
    expect(up.statusCode, up.body).toBe(201);
    const id = up.json().id as string;
    const [row] = await t.db.query<{ storage_key: string }>(
      'SELECT storage_key FROM case_documents WHERE id = $1',
      [id],
    );
    const onDisk = readFileSync(join(t.uploadsDir, row!.storage_key));
    expect(onDisk.includes(Buffer.from('%PDF'))).toBe(false);
    expect(onDisk.subarray(0, 8).toString('latin1')).toBe('KORUSF1\n');
    const down = await investor.get(`/api/documents/${id}`);
    expect(down.statusCode).toBe(200);
    expect(down.rawPayload.equals(TEST_PDF)).toBe(true);

    rmSync(join(t.uploadsDir, row!.storage_key));
    const missing = await investor.get(`/api/documents/${id}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('document.file_missing');
  });

  it('refuses to start on a database whose encrypted values use keys this data directory does not have', async () => {
    const stranger = temp();
    await expect(loadCheckedCipher(t.db, stranger, {})).rejects.toThrow(FieldCryptoError);
    await expect(loadCheckedCipher(t.db, stranger, {})).rejects.toThrow(
      /no key file .* KORUS_DATA_KEY is not set/s,
    );
    expect(existsSync(join(stranger, 'keys.json'))).toBe(false); // no new key ring made in silence
    // With a key file of other keys: refused, naming the missing key ids.
    writeFileSync(
      join(stranger, 'keys.json'),
      JSON.stringify({
        version: 1,
        current: 'aaaaaaaaaaaa',
        keys: { aaaaaaaaaaaa: Buffer.alloc(32, 7).toString('base64') },
        hashKey: Buffer.alloc(32, 9).toString('base64'),
      }),
    );
    await expect(loadCheckedCipher(t.db, stranger, {})).rejects.toThrow(/the key ring .* lacks them/s);
    // An empty database starts with any key ring.
    const empty = await openTestDatabase(kind);
    try {
      await expect(loadCheckedCipher(empty, temp(), {})).resolves.toBeDefined();
    } finally {
      await empty.close();
    }
  });

  it('backs up the uploads folder with --with-uploads and restores it, checked', async () => {
    const { payload, headers } = multipartFile('visa.pdf', 'application/pdf', TEST_PDF);
    const up = await investor.request(
      'POST',
      `/api/cases/${caseId}/documents?docType=passport_copy`,
      payload,
      headers,
    );
    const docId = up.json().id as string;
    const file = join(temp(), 'backup.jsonl.gz');
    const summary = await backup(t.db, file, undefined, { uploadsDir: t.uploadsDir });
    expect(summary.uploads?.files).toBeGreaterThan(0);

    const target = await openTestDatabase(kind, { migrate: false });
    const uploads = temp();
    try {
      const restored = await restore(target, file, undefined, { uploadsDir: uploads });
      expect(restored.uploads?.files).toBe(summary.uploads!.files);
      expect(restored.auditHead).toEqual(summary.auditHead);
      const [row] = await target.query<{ storage_key: string }>(
        'SELECT storage_key FROM case_documents WHERE id = $1',
        [docId],
      );
      const copy = readFileSync(join(uploads, row!.storage_key));
      expect(t.cipher.decryptFile(copy, 'case_documents.file').equals(TEST_PDF)).toBe(true);
    } finally {
      await target.close();
    }
    // Without an uploads folder to restore into, a backup with files is refused before anything is written.
    const bare = await openTestDatabase(kind, { migrate: false });
    try {
      await expect(restore(bare, file)).rejects.toThrow(/holds uploaded files/);
      const [{ n } = { n: 0 }] = await bare.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'workers'`,
      );
      if (n) expect(await bare.query('SELECT count(*)::int AS n FROM workers')).toEqual([{ n: 0 }]);
    } finally {
      await bare.close();
    }
  });
});
