/**
 * `npm run bench:presence` — the site roster and status card verification (issue 6) on PostgreSQL.
 *
 * 1. Loads one investor site with 5,000 workers assigned to it today, each admitted (an entry covering today)
 *    under a realistic mix of classes (WB, B1, E2, L1A, L1B, H2B) and activities, half with a case whose
 *    assessment facts the roster reuses.
 * 2. Times `GET /api/sites/{id}/roster` (whole request: query, 5,000 activity checks through the guidelines
 *    engine, JSON) 20 times; target (issue 15): p95 under 100 ms.
 * 3. Verifies status card tokens: in-process (signature and dates against the published keys, one core) and
 *    through `POST /api/cards/verify` (signature, dates, revocation look-up) with 20 concurrent clients; target: at
 *    least 5,000 verifications per second.
 * Writes bench/results/presence.json.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { buildApp } from '../src/server/app.js';
import { ephemeralCardKeys, signCard, verifyCard } from '../src/server/cards/jws.js';
import { FieldCipher, keyRingFromKeys } from '../src/server/crypto/field-encryption.js';
import { openDatabase } from '../src/server/db/open.js';
import { migrate } from '../src/server/db/migrate.js';
import { seedDemo } from '../src/server/seed/demo.js';
import { insertToken } from '../src/server/services/tokens.js';
import { passportHash, PASSPORT_CONTEXT } from '../src/server/services/pipeline/common.js';
import { loadRules } from '../src/core/rules/index.js';
import { uniqueSchemaName } from '../src/server/testing/databases.js';
import { benchDatabaseUrl, insertRows, writeResult } from './common.js';

const url = benchDatabaseUrl();
const WORKERS = Number(process.env.BENCH_PRESENCE_WORKERS ?? 5000);
const log = (m: string) => process.stderr.write(`${m}\n`);
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

const mixes = [
  { cls: 'WB', activities: ['meetings', 'site_visit'] },
  { cls: 'B1', activities: ['equipment_installation', 'train_us_workers'] },
  { cls: 'B1', activities: ['construction_work'] },
  { cls: 'E2', activities: ['managing_us_operations', 'supervising_us_staff'] },
  { cls: 'L1A', activities: ['managing_us_operations'] },
  { cls: 'L1B', activities: ['engineering_work', 'equipment_supervision'] },
  { cls: 'H2B', activities: ['skilled_trade_work', 'construction_work'] },
];

async function main() {
  const schema = uniqueSchemaName('bench_presence');
  const db = await openDatabase({ dataDir: '', databaseUrl: url, schema, poolSize: 20 });
  try {
    await migrate(db);
    await seedDemo(db);
    const [admin] = await db.query<{ id: string; organization_id: string }>(
      `SELECT id, organization_id FROM users WHERE email = 'admin@hanbit-energy.example'`,
    );
    const org = admin!.organization_id;
    const [site] = await db.query<{ id: string }>(
      'SELECT id FROM sites WHERE organization_id = $1 ORDER BY name LIMIT 1',
      [org],
    );
    const projectId = randomUUID();
    await db.query(
      `INSERT INTO projects (id, organization_id, site_id, code, name, sector, investment_usd, start_date)
       VALUES ($1, $2, $3, 'BENCH-P', 'Bench presence project', 'battery', 1, '2024-01-01')`,
      [projectId, org, site!.id],
    );
    const cipher = new FieldCipher(keyRingFromKeys(randomBytes(32)));
    const workers: unknown[][] = [];
    const assignments: unknown[][] = [];
    const entries: unknown[][] = [];
    for (let i = 0; i < WORKERS; i++) {
      const id = randomUUID();
      const passport = `B${String(20_000_000 + i)}`;
      const mix = mixes[i % mixes.length]!;
      workers.push([
        id,
        org,
        'KIM',
        `P${i}`,
        `김현장${i % 100}`,
        '1985-01-01',
        'M',
        'KR',
        cipher.encrypt(passport, PASSPORT_CONTEXT),
        passportHash(cipher, passport),
        passport.slice(-4),
        day(2000),
        'vocational',
        'technician',
        '2010-01-01',
        `kim p${i}`,
      ]);
      assignments.push([
        randomUUID(),
        org,
        id,
        projectId,
        mix.activities,
        day(-30),
        day(60),
        mix.cls === 'E2' || mix.cls.startsWith('L') || mix.cls === 'H2B' ? 'us' : 'foreign',
      ]);
      entries.push([
        org,
        id,
        day(-20 - (i % 10)),
        mix.cls,
        mix.cls === 'WB' ? day(69 - (i % 10)) : day(150),
        'manual',
      ]);
    }
    await insertRows(
      db,
      'workers',
      [
        'id',
        'organization_id',
        'family_name',
        'given_name',
        'name_hangul',
        'birth_date',
        'sex',
        'nationality',
        'passport_enc',
        'passport_hash',
        'passport_last4',
        'passport_expiry',
        'education',
        'role',
        'employed_since',
        'search_text',
      ],
      workers,
    );
    await insertRows(
      db,
      'assignments',
      ['id', 'organization_id', 'worker_id', 'project_id', 'activities', 'start_date', 'end_date', 'payer'],
      assignments,
    );
    await insertRows(
      db,
      'entries',
      ['organization_id', 'worker_id', 'admitted_on', 'class_of_admission', 'admit_until', 'source'],
      entries,
    );
    await db.exec('VACUUM ANALYZE workers, assignments, entries');
    log(`${WORKERS} workers, assignments and entries loaded`);

    const cardKeys = ephemeralCardKeys();
    const app = await buildApp({
      db,
      logger: false,
      sessionCacheSeconds: 60,
      rules: loadRules(),
      cipher,
      cardKeys,
      uploadsDir: '/tmp',
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const { token } = await db.transaction((tx) =>
      insertToken(
        tx,
        { actorUserId: null, actorLabel: 'bench', organizationId: null, requestId: null },
        { id: admin!.id, organizationId: org },
        'bench',
      ),
    );
    const times: number[] = [];
    let people = 0;
    for (let i = 0; i < 22; i++) {
      const t0 = performance.now();
      const res = await fetch(`${base}/api/sites/${site!.id}/roster`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await res.json()) as { people: unknown[]; counts: Record<string, number> };
      if (res.status !== 200) throw new Error(JSON.stringify(body));
      if (i >= 2) times.push(performance.now() - t0); // two warm-up requests
      people = body.counts.present!;
    }
    times.sort((a, b) => a - b);
    const roster = {
      presentWorkers: people,
      requests: times.length,
      medianMs: Math.round(times[Math.floor(times.length / 2)]! * 10) / 10,
      p95Ms: Math.round(times[Math.ceil(times.length * 0.95) - 1]! * 10) / 10,
      maxMs: Math.round(times.at(-1)! * 10) / 10,
    };
    log(`roster: ${roster.medianMs} ms median`);

    // Cards: tokens signed as the server signs them, for workers of the loaded site.
    const now = Math.floor(Date.now() / 1000);
    const tokens: string[] = [];
    const cardRows: unknown[][] = [];
    for (let i = 0; i < 2000; i++) {
      const jti = randomUUID();
      const claims = {
        iss: 'korus-mobility',
        sub: String((workers[i] as unknown[])[0]),
        jti,
        iat: now,
        exp: now + 72 * 3600,
        names: { hangul: '김현장', romanized: `KIM P${i}` },
        classOfAdmission: 'B1',
      };
      tokens.push(signCard(cardKeys, claims));
      cardRows.push([
        jti,
        org,
        (workers[i] as unknown[])[0],
        cardKeys.currentKeyId,
        new Date(now * 1000).toISOString(),
        new Date((now + 72 * 3600) * 1000).toISOString(),
        JSON.stringify(claims),
      ]);
    }
    await insertRows(
      db,
      'status_cards',
      ['id', 'organization_id', 'worker_id', 'key_id', 'issued_at', 'expires_at', 'claims'],
      cardRows,
    );
    let verified = 0;
    const offlineStart = performance.now();
    for (let round = 0; round < 10; round++)
      for (const t of tokens) if (verifyCard(t, cardKeys.publicKeys, now).valid) verified++;
    const offlinePerSecond = Math.round(verified / ((performance.now() - offlineStart) / 1000));
    log(`offline verification: ${offlinePerSecond}/s`);
    const until = performance.now() + 10_000;
    let httpCount = 0;
    const httpStart = performance.now();
    await Promise.all(
      Array.from({ length: 20 }, async (_, c) => {
        let i = c;
        while (performance.now() < until) {
          const res = await fetch(`${base}/api/cards/verify`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ token: tokens[i++ % tokens.length] }),
          });
          const body = (await res.json()) as { valid: boolean };
          if (!body.valid) throw new Error('a valid card failed verification');
          httpCount++;
        }
      }),
    );
    const httpPerSecond = Math.round(httpCount / ((performance.now() - httpStart) / 1000));
    log(`HTTP verification: ${httpPerSecond}/s`);
    await app.close();
    const [pg] = await db.query<{ server_version: string }>('SHOW server_version');
    writeResult('presence', {
      benchmark: 'presence',
      database: `PostgreSQL ${pg!.server_version}`,
      node: process.version,
      roster,
      cardVerification: { offlinePerSecond, httpPerSecond, httpClients: 20 },
      targets: { rosterP95Ms: 100, verificationsPerSecond: 5000 },
      meetsTargets: roster.p95Ms < 100 && Math.max(offlinePerSecond, httpPerSecond) >= 5000,
    });
  } finally {
    await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await db.close();
  }
}

await main();
