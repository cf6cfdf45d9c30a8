/**
 * `npm run bench:import` — bulk import (issue 7): a 100,000-row roster CSV (UTF-8 with BOM, Korean headers,
 * Korean words and dotted dates, as HR offices write them) uploaded, validated (dry run) and committed, on
 * PostgreSQL (targets: at most 10 s) and on the embedded PostgreSQL in a data directory (at most 10 s as well). Reports the
 * time of each step, rows per second and the process's peak memory (RSS sampled every 20 ms, and the heap).
 * Writes bench/results/import.json.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FieldCipher, keyRingFromKeys } from '../src/server/crypto/field-encryption.js';
import type { Database } from '../src/server/db/database.js';
import { openDatabase } from '../src/server/db/open.js';
import { migrate } from '../src/server/db/migrate.js';
import { importerFor, runImport, uploadImport } from '../src/server/services/imports/imports.js';
import { uniqueSchemaName } from '../src/server/testing/databases.js';
import { prng } from '../src/core/prng.js';
import { benchDatabaseUrl, machine, writeResult } from './common.js';

const url = benchDatabaseUrl();
const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const log = (m: string) => process.stderr.write(`${m}\n`);

const family = ['김', '이', '박', '최', '정', '강', '조', '윤', '장', '임'];
const familyRoman = ['KIM', 'LEE', 'PARK', 'CHOI', 'JUNG', 'KANG', 'CHO', 'YUN', 'JANG', 'LIM'];
const given = ['민준', '서연', '도윤', '하은', '시우', '지호', '수빈', '예준', '지민', '현우'];
const givenRoman = [
  'MINJUN',
  'SEOYEON',
  'DOYUN',
  'HAEUN',
  'SIWOO',
  'JIHO',
  'SUBIN',
  'YEJUN',
  'JIMIN',
  'HYUNWOO',
];
const education = ['고졸', '전문대', '대졸', '직업학교', '석사'];
const roles = ['기술자', '엔지니어', '반장', '작업자', '관리자'];
const quals = ['전기기사', '특수용접기능사', '배관기능사', '산업안전기사', ''];

function roster(rows: number): Buffer {
  const rnd = prng(20261123);
  const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)]!;
  const pad = (n: number) => String(n).padStart(2, '0');
  const lines = ['성명,영문성명,생년월일,성별,여권번호,여권만료일,최종학력,직무,입사일,연락처,자격증'];
  for (let i = 0; i < rows; i++) {
    const f = Math.floor(rnd() * family.length);
    const g = Math.floor(rnd() * given.length);
    const year = 1965 + Math.floor(rnd() * 35);
    lines.push(
      [
        `${family[f]}${given[g]}`,
        `${familyRoman[f]} ${givenRoman[g]}`,
        `${year}.${pad(1 + Math.floor(rnd() * 12))}.${pad(1 + Math.floor(rnd() * 28))}`,
        rnd() < 0.8 ? '남' : '여',
        `M${String(10_000_000 + i).padStart(8, '0')}`,
        `${2027 + Math.floor(rnd() * 8)}-${pad(1 + Math.floor(rnd() * 12))}-${pad(1 + Math.floor(rnd() * 28))}`,
        pick(education),
        pick(roles),
        `${year + 20 + Math.floor(rnd() * 5)}.03.02`,
        `010-${1000 + Math.floor(rnd() * 9000)}-${1000 + Math.floor(rnd() * 9000)}`,
        pick(quals),
      ].join(','),
    );
  }
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n') + '\r\n', 'utf8')]);
}

function memorySampler() {
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      const m = process.memoryUsage();
      return {
        peakRssMb: Math.round(Math.max(peakRss, m.rss) / 1048576),
        peakHeapMb: Math.round(Math.max(peakHeap, m.heapUsed) / 1048576),
      };
    },
  };
}

async function run(engine: 'postgresql' | 'embedded', file: string, fileBytes: number) {
  const dataDir = engine === 'embedded' ? mkdtempSync(join(tmpdir(), 'korus-bench-import-')) : '';
  const schema = uniqueSchemaName('bench_import');
  const db: Database =
    engine === 'embedded'
      ? await openDatabase({ dataDir, command: 'bench:import' })
      : await openDatabase({ dataDir: '', databaseUrl: url, schema, poolSize: 4 });
  const uploadsDir = mkdtempSync(join(tmpdir(), 'korus-bench-uploads-'));
  try {
    await migrate(db);
    const [org] = await db.query<{ id: string }>(
      "INSERT INTO organizations (name, kind) VALUES ('Bench Partner', 'partner') RETURNING id",
    );
    const imp = await importerFor(db, org!.id, {
      actorUserId: null,
      actorLabel: 'bench:import',
      organizationId: org!.id,
      requestId: null,
    });
    const deps = { cipher: new FieldCipher(keyRingFromKeys(randomBytes(32))), uploadsDir };
    (globalThis as { gc?: () => void }).gc?.();
    const memory = memorySampler();
    const t0 = performance.now();
    const bytes = readFileSync(file);
    const preview = await uploadImport(imp, deps, { fileName: 'roster-100k.csv', bytes });
    const t1 = performance.now();
    const dry = await runImport(imp, deps, preview.id, {}, { commit: false });
    const t2 = performance.now();
    const committed = await runImport(imp, deps, preview.id, {}, { commit: true });
    const t3 = performance.now();
    const mem = memory.stop();
    if (dry.errorCount || committed.imported !== ROWS)
      throw new Error(`import went wrong: ${dry.errorCount} errors, ${committed.imported} imported`);
    const [n] = await db.query<{ n: string }>('SELECT count(*) AS n FROM workers');
    if (Number(n!.n) !== ROWS) throw new Error(`expected ${ROWS} workers, found ${n!.n}`);
    // The same file again: validated, matched, nothing written.
    const t4 = performance.now();
    const again = await uploadImport(imp, deps, { fileName: 'roster-100k.csv', bytes });
    const second = await runImport(imp, deps, again.id, {}, { commit: true });
    const t5 = performance.now();
    if (second.imported !== 0) throw new Error('re-import wrote rows');
    // `korus import FILE` uploads and commits (the commit validates every row itself); the web adds a dry run.
    const total = (t1 - t0 + (t3 - t2)) / 1000;
    const target = 10;
    const result = {
      engine,
      rows: ROWS,
      fileMb: Math.round((fileBytes / 1048576) * 10) / 10,
      uploadAndAnalyseS: round((t1 - t0) / 1000),
      dryRunS: round((t2 - t1) / 1000),
      validateAndCommitS: round((t3 - t2) / 1000),
      totalS: round(total),
      totalWithDryRunS: round((t3 - t0) / 1000),
      rowsPerSecond: Math.round(ROWS / total),
      reimportUnchangedS: round((t5 - t4) / 1000),
      ...mem,
      targetS: target,
      met: total <= target,
    };
    log(
      `${engine}: ${JSON.stringify(result)} (load average ${loadavg()
        .map((v) => v.toFixed(2))
        .join(' ')})`,
    );
    return result;
  } finally {
    if (engine === 'postgresql')
      await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await db.close();
    rmSync(uploadsDir, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

const round = (x: number) => Math.round(x * 100) / 100;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'korus-bench-roster-'));
  const file = join(dir, 'roster.csv');
  const bytes = roster(ROWS);
  writeFileSync(file, bytes);
  log(`roster: ${ROWS} rows, ${(bytes.length / 1048576).toFixed(1)} MB`);
  const engines = (process.env.BENCH_IMPORT_ENGINES ?? 'postgresql,embedded').split(',') as (
    'postgresql' | 'embedded'
  )[];
  const results = [];
  for (const engine of engines) results.push(await run(engine, file, bytes.length));
  rmSync(dir, { recursive: true, force: true });
  writeResult('import', {
    benchmark: 'import',
    machine: machine(),
    description:
      'A 100,000-row CSV roster. totalS (the target) = upload + analyse, then the commit, which validates every row again and writes them all in one transaction (what `korus import FILE` does); totalWithDryRunS adds the dry run the web shows first. reimportUnchangedS: the same file again, every row matched, nothing written.',
    results,
  });
}

await main();
