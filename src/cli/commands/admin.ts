import type { Command } from 'commander';
import { withDatabase } from '../database.js';
import { CliInputError, printJson, progress } from '../output.js';
import { migrate } from '../../server/db/migrate.js';
import { seedDemo, demoLoginLines, DEMO_PASSWORD } from '../../server/seed/demo.js';
import { seedDemoPipeline } from '../../server/seed/demo-pipeline.js';
import { loadCheckedCipher } from '../../server/crypto/key-check.js';
import { loadRules } from '../../core/rules/index.js';
import {
  recordAudit,
  recordChainNote,
  verifyAuditChain,
  type AuditContext,
} from '../../server/audit/audit.js';
import { loadCardKeys } from '../../server/cards/jws.js';
import { insertUser, setPassword } from '../../server/services/users.js';
import { insertToken } from '../../server/services/tokens.js';
import { backup, restore } from '../../server/backup/backup.js';
import {
  mandates,
  organizationKinds,
  roles,
  type OrganizationKind,
  type Role,
  passwordSchema,
} from '../../contract/api.js';
import { ApiError } from '../../server/http/problem.js';
import { appRoleGrantsSql } from '../../server/db/app-role.js';

const cli = (command: string): AuditContext => ({
  actorUserId: null,
  actorLabel: `cli:${command}`,
  organizationId: null,
  requestId: null,
});
const dataDirOption = [
  '--data-dir <dir>',
  'embedded database directory (env KORUS_DATA_DIR, default ./data)',
] as const;

export function registerAdminCommands(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations (each in a transaction, recorded with its checksum)')
    .option(...dataDirOption)
    .option('--json', 'print the result as JSON')
    .action(async (options: { dataDir?: string; json?: boolean }) => {
      await withDatabase(
        options,
        'migrate',
        async (db) => {
          const report = await migrate(db);
          if (options.json) printJson(report);
          else
            process.stdout.write(
              report.applied.length
                ? `Applied: ${report.applied.join(', ')}\n`
                : 'The database is up to date.\n',
            );
        },
        { migrateFirst: false },
      );
    });

  program
    .command('seed')
    .description('Load data into an empty database')
    .requiredOption('--demo', 'the demo data: fictional companies and people, one user for every role')
    .option(...dataDirOption)
    .option('--json', 'print the demo logins as JSON')
    .action(async (options: { dataDir?: string; json?: boolean }) => {
      await withDatabase(options, 'seed', async (db, config) => {
        const bar = progress('Loading the demo data (workers)');
        const logins = await seedDemo(db);
        await seedDemoPipeline(
          db,
          {
            cipher: await loadCheckedCipher(db, config.dataDir),
            rules: loadRules(),
            uploadsDir: config.uploadsDir,
          },
          'full',
          new Date(),
          (done, total) => bar.update(done, total),
        );
        bar.stop();
        if (options.json) printJson({ password: DEMO_PASSWORD, logins });
        else {
          process.stdout.write(`Demo data loaded.\n${demoLoginLines().join('\n')}\n`);
        }
      });
    });

  const org = program.command('org').description('Organizations');
  org
    .command('add')
    .description('Create an organization; prints its id')
    .requiredOption('--name <name>', 'organization name')
    .requiredOption('--kind <kind>', `one of ${organizationKinds.join(', ')}`)
    .option(
      '--mandate <list>',
      `government organizations: ${mandates.join(', ')} (comma-separated; an embassy desk receives batches, a working group sees the console)`,
    )
    .option('--sme', 'a small or medium enterprise (firm size, for the console)')
    .option(...dataDirOption)
    .option('--json', 'print the organization as JSON')
    .action(
      async (options: {
        name: string;
        kind: string;
        mandate?: string;
        sme?: boolean;
        dataDir?: string;
        json?: boolean;
      }) => {
        if (!organizationKinds.includes(options.kind as OrganizationKind)) {
          throw new CliInputError(
            `--kind must be one of ${organizationKinds.join(', ')} (got "${options.kind}")`,
          );
        }
        const orgMandates = [
          ...new Set(
            (options.mandate ?? '')
              .split(',')
              .map((m) => m.trim())
              .filter(Boolean),
          ),
        ];
        const unknown = orgMandates.filter((m) => !(mandates as readonly string[]).includes(m));
        if (unknown.length)
          throw new CliInputError(
            `--mandate must be among ${mandates.join(', ')} (got "${unknown.join(', ')}")`,
          );
        if (orgMandates.length && options.kind !== 'government')
          throw new CliInputError('--mandate is for government organizations only (--kind government)');
        const name = options.name.trim();
        if (!name || name.length > 200) throw new CliInputError('--name must be 1 to 200 characters');
        await withDatabase(options, 'org add', async (db) => {
          const created = await db.transaction(async (tx) => {
            const taken = await tx.query('SELECT 1 FROM organizations WHERE lower(name) = lower($1)', [name]);
            if (taken.length) throw new ApiError('organization.name_taken');
            const [row] = await tx.query<{ id: string; name: string; kind: string; created_at: Date }>(
              'INSERT INTO organizations (name, kind, mandates, sme) VALUES ($1, $2, $3, $4) RETURNING *',
              [name, options.kind, orgMandates, options.sme ?? false],
            );
            await recordAudit(tx, cli('org add'), {
              action: 'organization.create',
              targetType: 'organization',
              targetId: row!.id,
              organizationId: row!.id,
              after: { name, kind: options.kind, mandates: orgMandates, sme: options.sme ?? false },
            });
            return row!;
          });
          if (options.json)
            printJson({
              id: created.id,
              name: created.name,
              kind: created.kind,
              mandates: orgMandates,
              sme: options.sme ?? false,
              createdAt: new Date(created.created_at).toISOString(),
            });
          else process.stdout.write(`${created.id}\n`);
        });
      },
    );

  const user = program.command('user').description('Users');
  user
    .command('add')
    .description('Create a user')
    .requiredOption('--email <email>', 'e-mail address (the login)')
    .option('--org <id>', 'organization id (every role but platform_admin)')
    .requiredOption('--role <role>', `one of ${roles.join(', ')}`)
    .requiredOption('--password <password>', 'initial password (at least 12 characters, not guessable)')
    .option('--name <name>', 'display name (default: the e-mail address)')
    .option(...dataDirOption)
    .option('--json', 'print the user as JSON')
    .action(
      async (options: {
        email: string;
        org?: string;
        role: string;
        password: string;
        name?: string;
        dataDir?: string;
        json?: boolean;
      }) => {
        if (!roles.includes(options.role as Role))
          throw new CliInputError(`--role must be one of ${roles.join(', ')} (got "${options.role}")`);
        if (!passwordSchema.safeParse(options.password).success)
          throw new CliInputError('--password must be 12 to 200 characters');
        if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(options.email))
          throw new CliInputError(`--email is not an e-mail address: "${options.email}"`);
        if (options.org && !/^[0-9a-f-]{36}$/i.test(options.org))
          throw new CliInputError(`--org must be an organization id (UUID), got "${options.org}"`);
        await withDatabase(options, 'user add', async (db) => {
          const created = await db.transaction(async (tx) => {
            if (options.org) {
              const found = await tx.query('SELECT 1 FROM organizations WHERE id = $1', [options.org]);
              if (!found.length) throw new CliInputError(`No organization with id ${options.org}`);
            }
            return insertUser(tx, cli('user add'), {
              email: options.email,
              displayName: options.name ?? options.email,
              role: options.role as Role,
              organizationId: options.org ?? null,
              password: options.password,
            });
          });
          if (options.json) printJson(created);
          else process.stdout.write(`${created.id}\n`);
        });
      },
    );
  user
    .command('reset-password')
    .description('Set a new password for a user (ends their sessions)')
    .requiredOption('--email <email>', 'the user')
    .requiredOption('--password <password>', 'the new password (at least 12 characters, not guessable)')
    .option(...dataDirOption)
    .action(async (options: { email: string; password: string; dataDir?: string }) => {
      if (!passwordSchema.safeParse(options.password).success)
        throw new CliInputError('--password must be 12 to 200 characters');
      await withDatabase(options, 'user reset-password', async (db) => {
        await db.transaction(async (tx) => {
          const [row] = await tx.query<{
            id: string;
            organization_id: string | null;
            email: string;
            display_name: string;
          }>('SELECT id, organization_id, email, display_name FROM users WHERE lower(email) = lower($1)', [
            options.email,
          ]);
          if (!row) throw new CliInputError(`No user with e-mail ${options.email}`);
          await setPassword(tx, cli('user reset-password'), row, options.password);
        });
        process.stdout.write(`Password changed for ${options.email}.\n`);
      });
    });

  const token = program.command('token').description('API tokens for machine clients');
  token
    .command('create')
    .description('Create an API token for a user; prints the secret (shown once)')
    .requiredOption('--user <email>', 'the user the token acts as')
    .option('--name <name>', 'what the token is for', 'cli')
    .option(...dataDirOption)
    .option('--json', 'print { id, name, token } as JSON')
    .action(async (options: { user: string; name: string; dataDir?: string; json?: boolean }) => {
      await withDatabase(options, 'token create', async (db) => {
        const created = await db.transaction(async (tx) => {
          const [row] = await tx.query<{ id: string; organization_id: string | null; role: string }>(
            'SELECT id, organization_id, role FROM users WHERE lower(email) = lower($1) AND NOT disabled',
            [options.user],
          );
          if (!row) throw new CliInputError(`No active user with e-mail ${options.user}`);
          if (row.role === 'worker' || row.role === 'viewer')
            throw new CliInputError(`A ${row.role} cannot hold API tokens`);
          return insertToken(
            tx,
            cli('token create'),
            { id: row.id, organizationId: row.organization_id },
            options.name,
          );
        });
        if (options.json) printJson(created);
        else process.stdout.write(`${created.token}\n`);
      });
    });

  const audit = program.command('audit').description('The audit log');
  audit
    .command('verify')
    .description(
      'Recompute the audit hash chain; lists every broken event (exit 1 when one is not acknowledged)',
    )
    .option(...dataDirOption)
    .option('--json', 'print the result as JSON')
    .action(async (options: { dataDir?: string; json?: boolean }) => {
      await withDatabase(options, 'audit verify', async (db, config) => {
        const bar = progress('Verifying audit chain');
        const keys = loadCardKeys(config.dataDir).publicKeys;
        const result = await verifyAuditChain(db, (n, total) => bar.update(n, total), keys);
        bar.stop();
        if (options.json) printJson(result);
        else {
          for (const b of result.breaks) {
            process.stdout.write(
              `Audit chain BROKEN at event #${b.seq} (${b.eventId}, ${b.action}, ${b.occurredAt}): ${b.problem}` +
                (b.acknowledgedBy ? ` — acknowledged by chain note ${b.acknowledgedBy}` : '') +
                '\n',
            );
          }
          const open = result.breaks.filter((b) => !b.acknowledgedBy).length;
          if (result.ok)
            process.stdout.write(
              `Audit chain intact: ${result.events} events, head ${result.headHash}` +
                (result.breaks.length ? ` (${result.breaks.length} acknowledged break(s))` : '') +
                '\n',
            );
          else
            process.stdout.write(
              `${open} unacknowledged break(s) in ${result.events} events.\n` +
                `감사 로그 해시 체인에 확인되지 않은 손상이 ${open}건 있습니다.\n`,
            );
          for (const id of result.invalidNotes)
            process.stdout.write(`Chain note ${id} has an invalid signature and acknowledges nothing.\n`);
        }
        if (!result.ok) process.exitCode = 1;
      });
    });
  audit
    .command('note')
    .description(
      'After investigating a break: record a signed chain note that acknowledges the broken events (they stay listed)',
    )
    .requiredOption('--seq <n...>', 'the broken events (their numbers, as audit verify prints them)')
    .requiredOption('--reason <text>', 'what was investigated and found')
    .option(...dataDirOption)
    .option('--json', 'print the result as JSON')
    .action(async (options: { seq: string[]; reason: string; dataDir?: string; json?: boolean }) => {
      const seqs = options.seq.map(Number);
      if (seqs.some((n) => !Number.isInteger(n) || n <= 0))
        throw new CliInputError('--seq takes the numbers of broken events, e.g. --seq 42 43');
      if (!options.reason.trim()) throw new CliInputError('--reason must say what was investigated');
      await withDatabase(options, 'audit note', async (db, config) => {
        const ctx: AuditContext = {
          actorUserId: null,
          actorLabel: 'cli:audit note',
          organizationId: null,
          requestId: null,
        };
        let result;
        try {
          result = await recordChainNote(db, ctx, loadCardKeys(config.dataDir), {
            seqs,
            reason: options.reason,
          });
        } catch (error) {
          throw new CliInputError((error as Error).message);
        }
        if (options.json) printJson(result);
        else
          process.stdout.write(
            `Chain note ${result.noteId} acknowledges event(s) ${seqs.map((s) => `#${s}`).join(', ')}.\n`,
          );
      });
    });

  const dbCommand = program.command('db').description('Database administration');
  dbCommand
    .command('grants')
    .description(
      'Print the SQL that gives an application role its rights on PostgreSQL (audit log append-only)',
    )
    .requiredOption('--role <role>', 'the role the server connects as')
    .option('--schema <schema>', 'the schema', 'public')
    .action((options: { role: string; schema: string }) => {
      try {
        process.stdout.write(appRoleGrantsSql(options.role, options.schema) + '\n');
      } catch (error) {
        throw new CliInputError((error as Error).message);
      }
    });

  program
    .command('backup')
    .description('Write a logical backup of all data (gzip JSON lines) that restores into an empty database')
    .requiredOption('--out <file>', 'backup file to write')
    .option(
      '--with-uploads',
      'also pack the uploads folder (documents, waiting rosters; as stored, encrypted)',
    )
    .option(...dataDirOption)
    .option('--json', 'print the summary as JSON')
    .action(async (options: { out: string; withUploads?: boolean; dataDir?: string; json?: boolean }) => {
      await withDatabase(options, 'backup', async (db, config) => {
        const bar = progress('Backing up');
        const summary = await backup(db, options.out, (table, n) => bar.update(n, 0, table), {
          uploadsDir: options.withUploads ? config.uploadsDir : undefined,
        });
        bar.stop();
        if (options.json) printJson(summary);
        else
          process.stdout.write(
            `Backup written to ${summary.file}: ${Object.values(summary.counts).reduce((a, b) => a + b, 0)} rows` +
              (summary.uploads ? `, ${summary.uploads.files} uploaded files` : '') +
              `, audit head ${summary.auditHead.hash}\n` +
              "Keep the data directory's keys.json (or KORUS_DATA_KEY) with it: encrypted values need their key.\n",
          );
      });
    });

  program
    .command('restore')
    .argument('<file>', 'a backup written by `korus backup`')
    .description('Restore a backup into an empty database (all or nothing)')
    .option(...dataDirOption)
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, options: { dataDir?: string; json?: boolean }) => {
      await withDatabase(
        options,
        'restore',
        async (db, config) => {
          const bar = progress('Restoring');
          const summary = await restore(db, file, (table, n) => bar.update(n, 0, table), {
            uploadsDir: config.uploadsDir,
          });
          bar.stop();
          if (options.json) printJson(summary);
          else
            process.stdout.write(
              `Restored ${Object.values(summary.counts).reduce((a, b) => a + b, 0)} rows` +
                (summary.uploads ? ` and ${summary.uploads.files} uploaded files` : '') +
                ` from ${file}; audit head ${summary.auditHead.hash}\n`,
            );
        },
        { migrateFirst: false },
      );
    });
}
