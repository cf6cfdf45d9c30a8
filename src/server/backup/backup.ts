import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import { once } from 'node:events';
import type { Database, Queryable } from '../db/database.js';
import { loadMigrations, migrate, type Migration } from '../db/migrate.js';
import { auditHead } from '../audit/audit.js';

/**
 * Logical backup: gzip-compressed JSON lines. Rows travel as PostgreSQL's own JSON rendering of each row
 * (`json_agg`) and come back through `json_populate_recordset`, so every type round-trips exactly between
 * servers (the embedded PostgreSQL, an external one, and the PGlite of older data directories), and the audit
 * chain verifies after a restore.
 *
 *   {"format":"korus-backup","version":1,...,"migrations":[...]}    header
 *   {"table":"organizations","rows":[...]}                            up to 2,000 rows a line
 *   {"end":true,"counts":{...},"auditHead":{...}}                     trailer (a truncated file has none)
 */
export const BACKUP_FORMAT = 'korus-backup';
const BATCH = 2000;

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface BackupSummary {
  file: string;
  counts: Record<string, number>;
  auditHead: { seq: number | null; hash: string };
  /** With `--with-uploads`: the files of the uploads folder packed into the backup. */
  uploads?: { files: number; bytes: number };
}

export interface BackupOptions {
  /** Pack this uploads folder into the backup (documents and waiting rosters, as stored: encrypted). */
  uploadsDir?: string | undefined;
}

/** Every file under a folder, as paths relative to it (sorted), skipping partial uploads. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && !entry.name.endsWith('.part')) out.push(path);
    }
  };
  walk('');
  return out.sort();
}

interface TableInfo {
  name: string;
  primaryKey: string | null;
}

/** Application tables of the current schema, parents before children (foreign keys). */
export async function tablesInDependencyOrder(db: Queryable): Promise<TableInfo[]> {
  const tables = await db.query<{ name: string; pk: string | null }>(
    `SELECT c.relname AS name,
       (SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
        WHERE i.indrelid = c.oid AND i.indisprimary AND i.indnatts = 1) AS pk
     FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
       AND c.relname <> 'schema_migrations'
     ORDER BY c.relname`,
  );
  const edges = await db.query<{ child: string; parent: string }>(
    `SELECT DISTINCT cc.relname AS child, pc.relname AS parent FROM pg_constraint k
     JOIN pg_class cc ON cc.oid = k.conrelid JOIN pg_class pc ON pc.oid = k.confrelid
     WHERE k.contype = 'f' AND cc.relnamespace = current_schema()::regnamespace AND cc.relname <> pc.relname`,
  );
  const order: TableInfo[] = [];
  const done = new Set<string>();
  const visiting = new Set<string>();
  const byName = new Map(tables.map((t) => [t.name, { name: t.name, primaryKey: t.pk }]));
  const visit = (name: string) => {
    if (done.has(name)) return;
    if (visiting.has(name)) throw new BackupError(`Foreign-key cycle through ${name}`);
    visiting.add(name);
    for (const e of edges) if (e.child === name && byName.has(e.parent)) visit(e.parent);
    visiting.delete(name);
    done.add(name);
    order.push(byName.get(name)!);
  };
  for (const t of tables) visit(t.name);
  return order;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function backup(
  db: Database,
  file: string,
  onProgress?: (table: string, rows: number) => void,
  options: BackupOptions = {},
): Promise<BackupSummary> {
  const tmp = `${file}.partial`;
  const gzip = createGzip();
  const out = createWriteStream(tmp, { mode: 0o600 });
  const piped = gzip.pipe(out);
  const write = async (value: unknown) => {
    if (!gzip.write(JSON.stringify(value) + '\n')) await once(gzip, 'drain');
  };
  const counts: Record<string, number> = {};
  // One transaction (REPEATABLE READ on PostgreSQL) so the backup is a consistent snapshot.
  const summary = await db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const migrations = await tx.query<{ version: string; name: string; checksum: string }>(
      'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
    );
    await write({
      format: BACKUP_FORMAT,
      version: 1,
      createdAt: new Date().toISOString(),
      source: db.kind,
      migrations,
    });
    for (const table of await tablesInDependencyOrder(tx)) {
      counts[table.name] = 0;
      let last: unknown = null;
      for (;;) {
        const pk = table.primaryKey;
        const where = pk && last !== null ? `WHERE ${ident(pk)} > $1` : '';
        const order = pk ? `ORDER BY ${ident(pk)}` : '';
        const [row] = await tx.query<{ rows: Record<string, unknown>[] | null }>(
          `SELECT json_agg(t) AS rows FROM (SELECT * FROM ${ident(table.name)} ${where} ${order} ${pk ? `LIMIT ${BATCH}` : ''}) t`,
          pk && last !== null ? [last] : [],
        );
        const rows = row?.rows ?? [];
        if (rows.length === 0) break;
        await write({ table: table.name, rows });
        counts[table.name] = (counts[table.name] ?? 0) + rows.length;
        onProgress?.(table.name, counts[table.name]!);
        if (!pk || rows.length < BATCH) break;
        last = rows[rows.length - 1]![pk];
      }
    }
    const head = await auditHead(tx);
    let uploads: { files: number; bytes: number } | undefined;
    if (options.uploadsDir) {
      uploads = { files: 0, bytes: 0 };
      for (const path of filesUnder(options.uploadsDir)) {
        const data = await readFile(join(options.uploadsDir, path));
        await write({
          upload: path,
          sha256: createHash('sha256').update(data).digest('hex'),
          data: data.toString('base64'),
        });
        uploads.files++;
        uploads.bytes += data.length;
        onProgress?.('uploads', uploads.files);
      }
    }
    await write({ end: true, counts, auditHead: head, ...(uploads ? { uploads } : {}) });
    return { counts, auditHead: head, ...(uploads ? { uploads } : {}) };
  });
  gzip.end();
  await once(piped, 'finish');
  await rename(tmp, file);
  return { file, ...summary };
}

interface Header {
  format: string;
  version: number;
  migrations: { version: string; name: string; checksum: string }[];
}

/**
 * Restores a backup into an empty database, in one transaction: all or nothing. Files packed with
 * `--with-uploads` go back into `uploadsDir` (written beside, checked against their SHA-256, then moved into
 * place once the database has committed); an existing different file there is refused, never overwritten.
 */
export async function restore(
  db: Database,
  file: string,
  onProgress?: (table: string, rows: number) => void,
  options: BackupOptions = {},
): Promise<BackupSummary> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  const iterator = lines[Symbol.asyncIterator]();
  const parse = (line: string) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new BackupError(`${file} is not a KORUS backup (a line is not JSON)`);
    }
  };
  let first: IteratorResult<string>;
  try {
    first = await iterator.next();
  } catch {
    throw new BackupError(`${file} is not a KORUS backup (not gzip)`);
  }
  if (first.done) throw new BackupError(`${file} is empty`);
  const header = parse(first.value) as unknown as Header;
  if (header.format !== BACKUP_FORMAT || header.version !== 1)
    throw new BackupError(`${file} is not a KORUS backup (format ${String(header.format)})`);

  // Bring the database to the backup's schema version, load, then apply any newer migrations.
  const known = loadMigrations();
  const byVersion = new Map(known.map((m) => [m.version, m]));
  const atBackup: Migration[] = [];
  for (const m of header.migrations) {
    const local = byVersion.get(m.version);
    if (!local)
      throw new BackupError(
        `The backup was made by a newer KORUS (migration ${m.version}_${m.name} is unknown here). Upgrade first.`,
      );
    if (local.checksum !== m.checksum)
      throw new BackupError(`Migration ${m.version}_${m.name} differs between the backup and this version.`);
    atBackup.push(local);
  }
  await migrate(db, atBackup);
  const tables = await tablesInDependencyOrder(db);
  for (const t of tables) {
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${ident(t.name)}`);
    if ((row?.n ?? 0) > 0)
      throw new BackupError(`Restore needs an empty database, but table ${t.name} has ${row!.n} rows.`);
  }

  const counts: Record<string, number> = Object.fromEntries(tables.map((t) => [t.name, 0]));
  let trailer:
    | {
        counts: Record<string, number>;
        auditHead: { seq: number | null; hash: string };
        uploads?: { files: number; bytes: number };
      }
    | undefined;
  const staged: { path: string; temp: string }[] = [];
  const uploads = { files: 0, bytes: 0 };
  try {
    await db.transaction(async (tx) => {
      for (;;) {
        let next: IteratorResult<string>;
        try {
          next = await iterator.next();
        } catch {
          throw new BackupError(`${file} is damaged (decompression failed)`);
        }
        if (next.done) break;
        if (next.value.trim() === '') continue;
        const entry = parse(next.value);
        if (entry.end === true) {
          trailer = entry as unknown as typeof trailer;
          break;
        }
        if (typeof entry.upload === 'string') {
          const path = entry.upload;
          if (!options.uploadsDir)
            throw new BackupError(
              `${file} holds uploaded files: restore them with an uploads folder (KORUS_UPLOADS_DIR).`,
            );
          if (path.split('/').some((part) => part === '..' || part === '') || isAbsolute(path))
            throw new BackupError(`The backup names an unsafe upload path: ${path}`);
          const data = Buffer.from(String(entry.data), 'base64');
          if (createHash('sha256').update(data).digest('hex') !== entry.sha256)
            throw new BackupError(
              `Uploaded file ${path} is damaged in the backup (SHA-256 differs): nothing was restored.`,
            );
          const target = join(options.uploadsDir, path);
          if (existsSync(target)) {
            if (!(await readFile(target)).equals(data))
              throw new BackupError(
                `${target} exists with other content: restore into an empty uploads folder.`,
              );
            continue;
          }
          await mkdir(dirname(target), { recursive: true });
          const temp = `${target}.restore.part`;
          await writeFile(temp, data, { mode: 0o600 });
          staged.push({ path, temp });
          uploads.files++;
          uploads.bytes += data.length;
          onProgress?.('uploads', uploads.files);
          continue;
        }
        const table = String(entry.table);
        if (!tables.some((t) => t.name === table))
          throw new BackupError(`The backup holds an unknown table ${table}`);
        const rows = entry.rows as unknown[];
        await tx.query(
          `INSERT INTO ${ident(table)} SELECT * FROM json_populate_recordset(NULL::${ident(table)}, $1::json)`,
          [JSON.stringify(rows)],
        );
        counts[table] = (counts[table] ?? 0) + rows.length;
        onProgress?.(table, counts[table]!);
      }
      if (!trailer) throw new BackupError(`${file} is truncated (no end record): nothing was restored.`);
      if (trailer.uploads && trailer.uploads.files < uploads.files)
        throw new BackupError(`The backup announces ${trailer.uploads.files} uploaded files but holds more.`);
      for (const [table, n] of Object.entries(trailer.counts)) {
        if ((counts[table] ?? 0) !== n)
          throw new BackupError(
            `Table ${table}: the backup announces ${n} rows but holds ${counts[table] ?? 0}.`,
          );
      }
      // Serial columns continue after the restored rows.
      const serials = await tx.query<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM information_schema.columns
         WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'`,
      );
      for (const s of serials) {
        await tx.query(
          `SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(${ident(s.column_name)}) FROM ${ident(s.table_name)}), 0) + 1, false)`,
          [s.table_name, s.column_name],
        );
      }
    });
  } catch (error) {
    // Nothing restored: the files written beside their place go too.
    for (const { temp } of staged) await rm(temp, { force: true });
    throw error;
  }
  await migrate(db);
  for (const { path, temp } of staged) await rename(temp, join(options.uploadsDir!, path));
  const head = await auditHead(db);
  return { file, counts, auditHead: head, ...(staged.length || trailer?.uploads ? { uploads } : {}) };
}
