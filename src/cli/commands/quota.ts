import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { withDatabase } from '../database.js';
import { CliInputError, printJson, progress } from '../output.js';
import { cliQuotaActor, QuotaLedger } from '../../server/services/quota.js';
import { QuotaLottery } from '../../server/services/quota-lottery.js';
import { loadCheckedCipher } from '../../server/crypto/key-check.js';
import { seedCommitment, seedPattern } from '../../core/quota/index.js';
import { isIsoDate } from '../../core/dates/index.js';
import type { QuotaStatus, Reservation, ReservationChange } from '../../contract/quota.js';

const dataDirOption = [
  '--data-dir <dir>',
  'embedded database directory (env KORUS_DATA_DIR, default ./data)',
] as const;
const keyOption = [
  '--key <key>',
  'idempotency key (8–128 characters [A-Za-z0-9_.:-]); repeating a command with the same key returns the first answer',
] as const;

function fiscalYearArg(value: string): number {
  const year = Number(value);
  if (!/^\d{4}$/.test(value) || year < 1990 || year > 2200) {
    throw new CliInputError(
      `the fiscal year must be a year such as 2027 (FY2027 = 2026-10-01 … 2027-09-30), got "${value}"\n` +
        `korus: 회계연도는 2027과 같은 연도여야 합니다 (FY2027 = 2026-10-01 … 2027-09-30). 입력값: "${value}"`,
    );
  }
  return year;
}

function printStatus(s: QuotaStatus): void {
  const n = (v: number | null) => (v === null ? '—' : v.toLocaleString('en-US'));
  const lines = [
    `${s.label.en} / ${s.label.ko} — FY${s.fiscalYear} (${s.fiscalYearStart} … ${s.fiscalYearEnd}), ${s.state}` +
      (s.legalStatus === 'proposed' ? ' — PROPOSED, NOT LAW / 법안, 현행법 아님' : ''),
    `  cap / 한도 ${n(s.cap)}   reserved / 예약 ${n(s.reserved)}   issued / 발급 ${n(s.issued)}   ` +
      `released / 반환 ${n(s.released)}   available / 잔여 ${n(s.available)}   waitlisted / 대기 ${n(s.waitlisted)}`,
    ...s.pools.map(
      (p) =>
        `  pool ${p.name.padEnd(16)} cap ${n(p.cap).padStart(7)}  reserved ${n(p.reserved).padStart(7)}  issued ${n(p.issued).padStart(7)}` +
        `  available ${n(p.available).padStart(7)}  waitlisted ${n(p.waitlisted).padStart(6)}` +
        (p.spillOn ? `  spills into ${p.spillInto} on ${p.spillOn}${p.spilledAt ? ' (done)' : ''}` : ''),
    ),
  ];
  if (s.projection?.date) {
    lines.push(
      s.projection.exhausted
        ? `  exhausted on / 소진일 ${s.projection.date}`
        : `  projected exhaustion / 예상 소진일 ${s.projection.date} (${s.projection.ratePerDay}/day over ${s.projection.windowDays} days)`,
    );
  }
  process.stdout.write(lines.join('\n') + '\n');
}

function printReservation(r: Reservation | ReservationChange, replayed: boolean): void {
  const where = r.status === 'waitlisted' ? `position ${r.position ?? '?'}` : `sequence ${r.sequence}`;
  process.stdout.write(
    `${r.id} ${r.status} ${where} (${r.program} FY${r.fiscalYear}, pool ${r.pool}, case ${r.caseRef})` +
      (replayed ? ' — repeated request: first answer / 반복 요청: 최초 응답' : '') +
      '\n',
  );
  const promoted = (r as ReservationChange).promoted;
  if (promoted) process.stdout.write(`promoted / 승격: ${promoted.id} sequence ${promoted.sequence}\n`);
}

export function registerQuotaCommands(program: Command): void {
  const quota = program
    .command('quota')
    .description('The quota ledger: annual caps, reservations, waitlist, lottery / 연간 한도 원장');

  quota
    .command('programs')
    .description('Capped programs side by side for a fiscal year')
    .option('--fiscal-year <year>', 'fiscal year (default: the current one)')
    .option(...dataDirOption)
    .action(async (options: { fiscalYear?: string; dataDir?: string }) => {
      const year = options.fiscalYear === undefined ? undefined : fiscalYearArg(options.fiscalYear);
      await withDatabase(options, 'quota programs', async (db) =>
        printJson(new QuotaLedger(db).programs(year)),
      );
    });

  quota
    .command('status <program> <fiscalYear>')
    .description('Cap, reserved, issued, released, available, waitlisted by pool; projected exhaustion')
    .option(...dataDirOption)
    .option('--json', 'print as JSON')
    .action(async (code: string, year: string, options: { dataDir?: string; json?: boolean }) => {
      const fiscalYear = fiscalYearArg(year);
      await withDatabase(options, 'quota status', async (db) => {
        const status = await new QuotaLedger(db).status(cliQuotaActor('quota status'), code, fiscalYear);
        if (options.json) printJson(status);
        else printStatus(status);
      });
    });

  quota
    .command('reserve <program> <fiscalYear>')
    .description('Reserve a number for a case (or join the waitlist)')
    .requiredOption('--case <ref>', 'case reference')
    .requiredOption(...keyOption)
    .option('--pool <name>', 'pool (default: general, or the half-year for the H-2B)')
    .option('--priority-date <date>', 'priority date YYYY-MM-DD (default: today)')
    .option('--org <id>', 'organization the case belongs to')
    .option(...dataDirOption)
    .option('--json', 'print as JSON')
    .action(
      async (
        code: string,
        year: string,
        options: {
          case: string;
          key: string;
          pool?: string;
          priorityDate?: string;
          org?: string;
          dataDir?: string;
          json?: boolean;
        },
      ) => {
        const fiscalYear = fiscalYearArg(year);
        if (options.priorityDate !== undefined && !isIsoDate(options.priorityDate))
          throw new CliInputError(`--priority-date must be YYYY-MM-DD, got "${options.priorityDate}"`);
        await withDatabase(options, 'quota reserve', async (db) => {
          const result = await new QuotaLedger(db).reserve(
            cliQuotaActor('quota reserve'),
            code,
            fiscalYear,
            {
              caseRef: options.case,
              ...(options.pool ? { pool: options.pool } : {}),
              ...(options.priorityDate ? { priorityDate: options.priorityDate } : {}),
              ...(options.org ? { organizationId: options.org } : {}),
            },
            options.key,
          );
          if (options.json) printJson({ ...result.body, replayed: result.replayed });
          else printReservation(result.body, result.replayed);
        });
      },
    );

  for (const action of ['issue', 'release'] as const) {
    const command = quota
      .command(`${action} <reservationId>`)
      .description(
        action === 'issue'
          ? 'The approval was granted: use the reserved number'
          : 'Release a number (it returns; the waitlist moves)',
      )
      .requiredOption(...keyOption)
      .option(...dataDirOption)
      .option('--json', 'print as JSON');
    if (action === 'release') command.requiredOption('--reason <text>', 'why (denied, withdrawn, …)');
    command.action(
      async (id: string, options: { key: string; reason?: string; dataDir?: string; json?: boolean }) => {
        if (!/^[0-9a-f-]{36}$/i.test(id))
          throw new CliInputError(`the reservation id must be a UUID, got "${id}"`);
        await withDatabase(options, `quota ${action}`, async (db) => {
          const result = await new QuotaLedger(db).settle(
            cliQuotaActor(`quota ${action}`),
            id,
            action,
            options.reason ?? null,
            options.key,
          );
          if (options.json) printJson({ ...result.body, replayed: result.replayed });
          else printReservation(result.body, result.replayed);
        });
      },
    );
  }

  quota
    .command('close <program> <fiscalYear>')
    .description('Close a fiscal year early: no more reservations')
    .requiredOption(...keyOption)
    .option(...dataDirOption)
    .action(async (code: string, year: string, options: { key: string; dataDir?: string }) => {
      const fiscalYear = fiscalYearArg(year);
      await withDatabase(options, 'quota close', async (db) => {
        const result = await new QuotaLedger(db).closeYear(
          cliQuotaActor('quota close'),
          code,
          fiscalYear,
          options.key,
        );
        process.stdout.write(
          `${result.body.program} FY${result.body.fiscalYear} closed at ${result.body.closedAt}\n`,
        );
      });
    });

  quota
    .command('expire')
    .description(
      'Release reservations older than the configured number of days (policy/quota/reservation-expiry-days)',
    )
    .option('--as-of <date>', 'date YYYY-MM-DD (default: today, UTC)')
    .option(...dataDirOption)
    .action(async (options: { asOf?: string; dataDir?: string }) => {
      if (options.asOf !== undefined && !isIsoDate(options.asOf))
        throw new CliInputError('--as-of must be YYYY-MM-DD');
      await withDatabase(options, 'quota expire', async (db) => {
        const ledger = new QuotaLedger(db);
        const result = await ledger.expireReservations(cliQuotaActor('quota expire'), options.asOf);
        for (const item of result.items)
          process.stdout.write(
            `released ${item.program} FY${item.fiscalYear} ${item.pool} ${item.caseRef} (${item.id})` +
              (item.promoted ? `; promoted ${item.promoted.id} #${item.promoted.sequence}` : '') +
              '\n',
          );
        process.stdout.write(`Released ${result.released} reservation(s) older than ${result.days} days.\n`);
      });
    });

  quota
    .command('verify')
    .description('Recompute every pool’s hash chain and check that the entries add up to the counters')
    .option('--program <code>', 'only this program')
    .option('--fiscal-year <year>', 'only this fiscal year')
    .option(...dataDirOption)
    .option('--json', 'print the result as JSON')
    .action(async (options: { program?: string; fiscalYear?: string; dataDir?: string; json?: boolean }) => {
      const fiscalYear = options.fiscalYear === undefined ? undefined : fiscalYearArg(options.fiscalYear);
      await withDatabase(options, 'quota verify', async (db) => {
        const bar = progress('verifying / 검증 중');
        const result = await new QuotaLedger(db).verify(
          { ...(options.program ? { program: options.program } : {}), ...(fiscalYear ? { fiscalYear } : {}) },
          (checked, total) => bar.update(checked, total),
        );
        bar.stop();
        if (options.json) printJson(result);
        else {
          for (const s of result.segments) {
            process.stdout.write(
              `${s.ok ? 'ok  ' : 'FAIL'} ${s.program} FY${s.fiscalYear} ${s.pool}: ${s.entries} entries\n` +
                s.problems.map((p) => `       ${p}\n`).join(''),
            );
          }
          process.stdout.write(
            result.ok
              ? `The quota ledger is consistent: chains intact, entries add up to the counters.\n한도 원장이 일관됩니다: 해시 체인이 온전하고 항목 합계가 카운터와 같습니다.\n`
              : `The quota ledger is NOT consistent (see above).\n한도 원장이 일관되지 않습니다(위 내용 참조).\n`,
          );
        }
        if (!result.ok) process.exitCode = 1;
      });
    });

  const lottery = quota.command('lottery').description('The registration lottery (H-1B) / 추첨');
  lottery
    .command('open <program> <fiscalYear>')
    .description('Open the registration window')
    .option(...dataDirOption)
    .action(async (code: string, year: string, options: { dataDir?: string }) => {
      const fiscalYear = fiscalYearArg(year);
      await withDatabase(options, 'quota lottery open', async (db) => {
        const { body: round } = await new QuotaLottery(db, new QuotaLedger(db)).open(
          cliQuotaActor('quota lottery open'),
          code,
          fiscalYear,
        );
        process.stdout.write(
          `Registration open for ${round.program} FY${round.fiscalYear}: regular ${round.regularCap}, advanced degree ${round.advancedCap}, weighted ${round.weighted}\n`,
        );
      });
    });
  lottery
    .command('register <program> <fiscalYear>')
    .description('Register a beneficiary (one entry per person, whoever registers them)')
    .requiredOption('--case <ref>', 'case reference')
    .requiredOption('--passport <number>', 'passport number (stored encrypted; identity = keyed hash)')
    .option('--wage-level <n>', 'wage level 1–4 (I–IV)')
    .option('--advanced-degree', 'holds a US master’s or higher degree')
    .option('--org <id>', 'registering organization')
    .option(...dataDirOption)
    .action(
      async (
        code: string,
        year: string,
        options: {
          case: string;
          passport: string;
          wageLevel?: string;
          advancedDegree?: boolean;
          org?: string;
          dataDir?: string;
        },
      ) => {
        const fiscalYear = fiscalYearArg(year);
        const wage = options.wageLevel === undefined ? null : Number(options.wageLevel);
        if (wage !== null && ![1, 2, 3, 4].includes(wage))
          throw new CliInputError('--wage-level must be 1, 2, 3 or 4');
        await withDatabase(options, 'quota lottery register', async (db, config) => {
          const cipher = await loadCheckedCipher(db, config.dataDir);
          const result = await new QuotaLottery(db, new QuotaLedger(db)).register(
            cliQuotaActor('quota lottery register'),
            cipher,
            code,
            fiscalYear,
            {
              caseRef: options.case,
              passportNumber: options.passport,
              wageLevel: wage as 1 | 2 | 3 | 4 | null,
              advancedDegree: options.advancedDegree === true,
              organizationId: options.org ?? null,
            },
          );
          process.stdout.write(`${result.body.id}\n`);
        });
      },
    );
  lottery
    .command('seed')
    .description(
      'Create the seed file (mode 0600) when missing and print SHA-256(seed), the commitment to send to POST …/lottery/commit; touches no database',
    )
    .requiredOption('--seed-file <path>', 'file holding the seed (64 hex characters); created when missing')
    .action((options: { seedFile: string }) => {
      const seed = readOrCreateSeed(options.seedFile);
      process.stdout.write(`${seedCommitment(seed)}\n`);
    });
  lottery
    .command('commit <program> <fiscalYear>')
    .description(
      'Close registration and publish the SHA-256 of the seed (a new seed is written to --seed-file, mode 0600)',
    )
    .requiredOption('--seed-file <path>', 'file holding the seed (64 hex characters); created when missing')
    .option(...dataDirOption)
    .action(async (code: string, year: string, options: { seedFile: string; dataDir?: string }) => {
      const fiscalYear = fiscalYearArg(year);
      const seed = readOrCreateSeed(options.seedFile);
      await withDatabase(options, 'quota lottery commit', async (db) => {
        const { body: round } = await new QuotaLottery(db, new QuotaLedger(db)).commit(
          cliQuotaActor('quota lottery commit'),
          code,
          fiscalYear,
          seedCommitment(seed),
        );
        process.stdout.write(
          `seed commitment (SHA-256) / 시드 확약: ${round.seedCommitment}\nentries / 참가자: ${round.entryCount} (digest ${round.entriesDigest})\n`,
        );
      });
    });

  quota
    .command('draw <program> <fiscalYear>')
    .description(
      'Draw with the revealed seed, or with --verify recompute the selection and report any difference',
    )
    .option('--seed-file <path>', 'the committed seed (for the draw)')
    .option('--verify', 'recompute from the revealed seed and the frozen registrations')
    .option(...dataDirOption)
    .option('--json', 'print as JSON')
    .action(
      async (
        code: string,
        year: string,
        options: { seedFile?: string; verify?: boolean; dataDir?: string; json?: boolean },
      ) => {
        const fiscalYear = fiscalYearArg(year);
        await withDatabase(options, 'quota draw', async (db) => {
          const lottery = new QuotaLottery(db, new QuotaLedger(db));
          if (options.verify) {
            const result = await lottery.verify(code, fiscalYear);
            if (options.json) printJson(result);
            else
              process.stdout.write(
                (result.ok
                  ? `The draw is reproduced exactly from the revealed seed (${result.entries} entries; ${result.selected.regular} regular, ${result.selected.advanced} advanced degree).\n추첨 결과가 공개된 시드로 정확히 재현됩니다.\n`
                  : `The draw does NOT match: commitment ${result.commitmentMatches ? 'ok' : 'differs'}, entries ${result.entriesDigestMatches ? 'ok' : 'differ'}, ${result.differences.length} difference(s).\n추첨 결과가 일치하지 않습니다.\n`) +
                  result.differences
                    .map((d) => `  ${d.beneficiary}: expected ${d.expected}, recorded ${d.recorded}\n`)
                    .join(''),
              );
            if (!result.ok) process.exitCode = 1;
            return;
          }
          if (!options.seedFile) throw new CliInputError('give --seed-file (to draw) or --verify');
          const seed = readFileSync(options.seedFile, 'utf8').trim();
          const { result } = (await lottery.draw(cliQuotaActor('quota draw'), code, fiscalYear, seed)).body;
          if (options.json) printJson(result);
          else
            process.stdout.write(
              `selected / 선정: ${result.regular.length} regular, ${result.advanced.length} advanced degree; seed revealed: ${seed}\n`,
            );
        });
      },
    );
}

/** The officer's seed: read from the file, or a new random 256-bit seed written to it (mode 0600). */
function readOrCreateSeed(file: string): string {
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  }
  const seed = readFileSync(file, 'utf8').trim();
  if (!seedPattern.test(seed))
    throw new CliInputError('the seed file must hold 64 lower-case hex characters');
  return seed;
}
