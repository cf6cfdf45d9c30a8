/**
 * `npm run bench:check`: every performance target against the last results in bench/results/*.json, as one
 * table; exits 1 when a measured figure misses its target (2 when a result is missing, with `--strict`). With
 * `--update-docs` it writes the table into docs/performance.md between its markers. Not run in CI: timing on
 * a CI machine means nothing; run it after `npm run bench` on the machine you care about.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './common.js';

type Json = Record<string, unknown>;
interface Target {
  bench: string;
  what: string;
  target: string;
  /** The figure and whether it meets the target; undefined when the result does not hold it. */
  read(r: Json): { figure: string; met: boolean } | undefined;
}

const at = (r: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v as Json | undefined)?.[k], r);
const num = (r: unknown, path: string): number | undefined => {
  const v = at(r, path);
  return typeof v === 'number' ? v : undefined;
};
const ratio = (r: Json, path: string, min: number) => {
  const median = num(r, `${path}.median`);
  const low = num(r, `${path}.min`);
  if (median === undefined) return undefined;
  return { figure: `${median.toFixed(3)}× (min ${low?.toFixed(3)}×)`, met: median >= min };
};

/** The 100,000-row import on one engine: seconds and peak RSS. */
function importTarget(engine: string, what: string): Target {
  return {
    bench: 'import',
    what,
    target: '≤ 10 s; ≤ 512 MB',
    read: (r) => {
      const run = (r.results as Json[] | undefined)?.find((x) => x.engine === engine);
      if (!run) return undefined;
      const s = run.totalS as number;
      const mb = run.peakRssMb as number;
      return { figure: `${s} s; ${mb} MB`, met: s <= 10 && mb <= 512 };
    },
  };
}

const targets: Target[] = [
  {
    bench: 'foundation',
    what: 'Start-up to /readyz, existing data directory (warm, median)',
    target: '< 1,500 ms',
    read: (r) => {
      const v = num(r, 'startup.warmMs.median');
      return v === undefined
        ? undefined
        : { figure: `${v} ms (cold ${num(r, 'startup.coldMs')} ms)`, met: v < 1500 };
    },
  },
  {
    bench: 'foundation',
    what: '`GET /api/workers/:id` ÷ bare Fastify, 20 connections',
    target: '≥ 0.3×',
    read: (r) => ratio(r, 'http.ratios.workerToBareFastify', 0.3),
  },
  {
    bench: 'foundation',
    what: '`GET /api/me` ÷ bare Fastify, 20 connections',
    target: '≥ 0.5×',
    read: (r) => ratio(r, 'http.ratios.meToBareFastify', 0.5),
  },
  {
    bench: 'quota',
    what: 'Reservations/s, service, 16 clients ÷ pgbench tpcb-like',
    target: '≥ 1.0×',
    read: (r) => ratio(r, 'interleaved.serviceToPgbench', 1.0),
  },
  {
    bench: 'quota',
    what: 'Reservations/s, HTTP ÷ service, 16 clients',
    target: '≥ 0.5×',
    read: (r) => ratio(r, 'interleaved.httpToService', 0.5),
  },
  {
    bench: 'quota',
    what: 'Over-issue in every quota measurement; every chain verified',
    target: '0; verified',
    read: (r) => {
      const over = num(r, 'overIssued');
      return over === undefined
        ? undefined
        : {
            figure: `${over}; ${r.allVerified ? 'verified' : 'NOT verified'}`,
            met: over === 0 && r.allVerified === true,
          };
    },
  },
  importTarget('postgresql', 'Import of 100,000 rows on PostgreSQL (upload + commit); peak RSS'),
  importTarget('embedded', 'Import of 100,000 rows on the embedded PostgreSQL; peak RSS'),
  {
    bench: 'pipeline',
    what: 'Case board p95, 100,000 cases, 20 users',
    target: '< 100 ms',
    read: (r) => {
      const v = num(r, 'caseBoardColumns.p95Ms');
      return v === undefined
        ? undefined
        : { figure: `${v} ms (uncached ${num(r, 'caseBoardColumnsUncached.p95Ms')} ms)`, met: v < 100 };
    },
  },
  {
    bench: 'pipeline',
    what: 'Lead-time statistics p95 (by category, by stage)',
    target: '< 100 ms',
    read: (r) => {
      const a = num(r, 'leadTimesByCategory.p95Ms');
      const b = num(r, 'leadTimesByStage.p95Ms');
      return a === undefined || b === undefined
        ? undefined
        : { figure: `${a} ms, ${b} ms`, met: a < 100 && b < 100 };
    },
  },
  {
    bench: 'simulate',
    what: 'Policy simulator: one replication of a year with 50,000 workers (multi-stage scenario), one core',
    target: '< 1 s',
    read: (r) => {
      const v = num(r, 'singleReplicationMs.median');
      return v === undefined ? undefined : { figure: `${v} ms (median of 5)`, met: v < 1000 };
    },
  },
  {
    bench: 'contribution',
    what: 'Contribution ledger: the indicators of every project over 1,000,000 training sessions (PostgreSQL)',
    target: '< 500 ms',
    read: (r) => {
      const v = num(r, 'indicatorsAllProjectsMs.median');
      return v === undefined ? undefined : { figure: `${v} ms (median of 7; ${num(r, 'ratioToAnchor')}× a bare count)`, met: v < 500 }; // prettier-ignore
    },
  },
  {
    bench: 'settlement',
    what: 'Settlement planner: the nightly recomputation of 50,000 workers’ plans after a rules change (PostgreSQL)',
    target: '< 60 s',
    read: (r) => {
      const v = num(r, 'recomputeAllMs.median');
      return v === undefined ? undefined : { figure: `${(v / 1000).toFixed(1)} s (median; ${num(r, 'ratioToAnchor')}× the pass with nothing to write)`, met: v < 60_000 }; // prettier-ignore
    },
  },
  {
    bench: 'simulate',
    what: 'Policy simulator: 200 replications on worker threads (one per core)',
    target: '< 60 s',
    read: (r) => {
      const v = num(r, 'replicationsWallMs');
      return v === undefined ? undefined : { figure: `${(v / 1000).toFixed(1)} s on ${num(r, 'threads')} threads`, met: v < 60_000 }; // prettier-ignore
    },
  },
  {
    bench: 'console',
    what: 'Working-group console, every figure p95 as served (computed once per rebuild and filters), 100,000 cases, 10 officers',
    target: '< 200 ms',
    read: (r) => {
      const v = num(r, 'worstServedP95Ms');
      return v === undefined
        ? undefined
        : { figure: `worst ${v} ms (rebuild ${num(r, 'refreshMs')} ms)`, met: v < 200 };
    },
  },
  {
    bench: 'console',
    what: 'Working-group console, every figure p95 computed on each request (cache off), 10 officers',
    target: '< 200 ms',
    read: (r) => {
      const v = num(r, 'worstP95Ms');
      return v === undefined ? undefined : { figure: `worst ${v} ms`, met: v < 200 };
    },
  },
  {
    bench: 'presence',
    what: 'Site roster of 5,000 present (whole request)',
    target: 'p95 < 100 ms',
    read: (r) => {
      const p95 = num(r, 'roster.p95Ms');
      const median = num(r, 'roster.medianMs');
      if (median === undefined) return undefined;
      const v = p95 ?? median;
      return { figure: `p95 ${p95 ?? '—'} ms, median ${median} ms`, met: v < 100 };
    },
  },
  {
    bench: 'presence',
    what: 'Status card verifications per second (in process on one core, or HTTP at 20 clients)',
    target: '≥ 5,000/s',
    read: (r) => {
      const http = num(r, 'cardVerification.httpPerSecond');
      const offline = num(r, 'cardVerification.offlinePerSecond');
      if (http === undefined || offline === undefined) return undefined;
      return { figure: `${offline}/s in process, ${http}/s over HTTP`, met: Math.max(http, offline) >= 5000 };
    },
  },
  {
    bench: 'rules',
    what: 'Guidelines engine ÷ json-rules-engine on the same subset, per interleaved round',
    target: '≥ 20×',
    read: (r) => ratio(r, 'ratioPerRound', 20),
  },
  {
    bench: 'rules',
    what: 'Full assessments (12 categories, explanations) per second, one core',
    target: '≥ 100,000/s',
    read: (r) => {
      const v = num(r, 'fullAssessmentsPerSecond');
      return v === undefined ? undefined : { figure: `${v.toLocaleString('en-US')}/s`, met: v >= 100_000 };
    },
  },
  {
    bench: 'web',
    what: 'First screen’s JS on the wire (login, worker card)',
    target: '≤ 150 KB',
    read: (r) => {
      const current = at(r, 'figures.current') as Record<string, { jsWireKb: number }> | undefined;
      if (!current) return undefined;
      const worst = Math.max(...Object.values(current).map((v) => v.jsWireKb));
      return { figure: `${worst.toFixed(1)} KB at most`, met: worst <= 150 };
    },
  },
];

const strict = process.argv.includes('--strict');
const rows: string[] = [];
let missed = 0;
let missing = 0;
const dates = new Map<string, string>();
for (const t of targets) {
  const file = join(root, 'bench', 'results', `${t.bench}.json`);
  const result = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Json) : undefined;
  const read = result ? t.read(result) : undefined;
  if (result)
    dates.set(
      t.bench,
      String(result.measuredAt ?? '')
        .slice(0, 16)
        .replace('T', ' ') + ' UTC',
    );
  const state = !read ? 'no result' : read.met ? 'met' : '**missed**';
  if (!read) missing++;
  else if (!read.met) missed++;
  rows.push(
    `| \`bench:${t.bench}\` | ${t.what} | ${t.target} | ${read?.figure ?? '—'} | ${state} | ${dates.get(t.bench) ?? '—'} |`,
  );
}
const table = [
  '| Bench | Figure | Target | Last figure | State | Measured |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows,
].join('\n');
process.stdout.write(table + '\n');

if (process.argv.includes('--update-docs')) {
  const doc = join(root, 'docs', 'performance.md');
  const text = readFileSync(doc, 'utf8');
  const start = '<!-- bench:check table -->';
  const end = '<!-- /bench:check table -->';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < 0) throw new Error(`docs/performance.md lacks the markers ${start} … ${end}`);
  // bench/results is not committed: a figure without a result here keeps the line the docs already hold (its
  // date says when it was measured), so running one bench on a new machine updates its lines only.
  const previous = new Map(
    text
      .slice(from, to)
      .split('\n')
      .filter((line) => line.startsWith('| `bench:'))
      .map((line) => [line.split(' | ').slice(0, 2).join(' | '), line] as const),
  );
  const merged = rows.map((line) =>
    line.includes('| no result |') ? (previous.get(line.split(' | ').slice(0, 2).join(' | ')) ?? line) : line,
  );
  const docTable = [
    '| Bench | Figure | Target | Last figure | State | Measured |',
    '| --- | --- | --- | --- | --- | --- |',
    ...merged,
  ].join('\n');
  writeFileSync(doc, text.slice(0, from + start.length) + '\n' + docTable + '\n' + text.slice(to));
  process.stdout.write('docs/performance.md updated\n');
}
if (missed) process.stderr.write(`${missed} target(s) missed\n`);
if (missing) process.stderr.write(`${missing} figure(s) without a result: run the benchmark first\n`);
process.exit(missed ? 1 : strict && missing ? 2 : 0);
