import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { ImportResult } from '../../contract/imports.js';
import { caseListQuerySchema, workerListQuerySchema } from '../../contract/pipeline.js';
import { toCsv } from '../../core/export/csv.js';
import { loadRules } from '../../core/rules/index.js';
import { casesTable, rosterTable, workersTable, type Table } from '../../server/export/tables.js';
import { toXlsx } from '../../server/export/xlsx.js';
import { loadCheckedCipher } from '../../server/crypto/key-check.js';
import type { Database } from '../../server/db/database.js';
import { ApiError } from '../../server/http/problem.js';
import type { Actor } from '../../server/policies/capabilities.js';
import type { ServiceContext } from '../../server/services/context.js';
import { importerFor, importFile } from '../../server/services/imports/imports.js';
import { listCases } from '../../server/services/pipeline/cases.js';
import { listWorkers } from '../../server/services/pipeline/workers.js';
import { siteRoster } from '../../server/services/presence/roster.js';
import { withDatabase } from '../database.js';
import { CliInputError, EXIT, printJson, progress } from '../output.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function orgId(value: string | undefined): string {
  if (!value || !UUID.test(value))
    throw new CliInputError('--org must be an organization id (a UUID); see `korus org list`');
  return value;
}

/** What `--json` prints: the issue's fixed shape, plus the sheet and field of each error, counts and the import. */
function jsonResult(result: ImportResult) {
  return {
    rows: result.rows,
    valid: result.valid,
    imported: result.imported,
    errors: result.errors.map((e) => ({
      row: e.row,
      column: e.column,
      value: e.value,
      message: e.message,
      sheet: e.sheet,
      field: e.field,
    })),
    errorCount: result.errorCount,
    counts: result.counts,
    importId: result.importId,
    dryRun: result.dryRun,
  };
}

/**
 * A CLI actor acting as an administrator of one organization (`--org`): the same visibility rules as that
 * organization's admin in the API. Exports only read.
 */
async function cliActor(db: Database, organizationId: string, command: string): Promise<ServiceContext> {
  const [org] = await db.query<{ name: string; kind: Actor['organizationKind'] }>(
    'SELECT name, kind FROM organizations WHERE id = $1',
    [organizationId],
  );
  if (!org) throw new CliInputError(`no organization ${organizationId}`);
  return {
    db,
    requestId: null,
    actor: {
      userId: '00000000-0000-0000-0000-000000000000',
      email: `cli:${command}`,
      displayName: `korus ${command}`,
      role: 'admin',
      locale: null,
      organizationId,
      organizationName: org.name,
      organizationKind: org.kind,
      via: 'token',
    },
  };
}

export function registerImportCommands(program: Command): void {
  program
    .command('import <file>')
    .description(
      'Import workers, dependents and assignments from a CSV (UTF-8 or Korean CP949) or XLSX roster: all rows or none',
    )
    .requiredOption('--org <id>', 'the employing organization (investor or partner firm)')
    .option('--dry-run', 'check every row and report; write nothing')
    .option('--mapping <name>', 'a saved column mapping of the organization')
    .option('--json', 'print the result as JSON')
    .option('--data-dir <dir>', 'data directory (env KORUS_DATA_DIR)')
    .addHelpText(
      'after',
      '\nExit codes: 0 nothing wrong (imported, or a clean dry run); 1 rows have errors (nothing imported);\n2 the file cannot be read (or bad arguments); 3 the data directory is in use.',
    )
    .action(
      async (
        file: string,
        options: { org: string; dryRun?: boolean; mapping?: string; json?: boolean; dataDir?: string },
      ) => {
        const organizationId = orgId(options.org);
        let bytes: Buffer;
        try {
          bytes = readFileSync(file);
        } catch (error) {
          throw new CliInputError(`cannot read ${file}: ${(error as Error).message}`);
        }
        await withDatabase(options, 'import', async (db, config) => {
          const imp = await importerFor(db, organizationId, {
            actorUserId: null,
            actorLabel: 'cli:import',
            organizationId,
            requestId: null,
          });
          const bar = progress('import');
          let outcome;
          try {
            outcome = await importFile(
              imp,
              { cipher: await loadCheckedCipher(db, config.dataDir), uploadsDir: config.uploadsDir },
              { fileName: basename(file), bytes },
              {
                dryRun: !!options.dryRun,
                ...(options.mapping ? { mappingName: options.mapping } : {}),
                onProgress: (done, total) => bar.update(done, total, 'records written'),
              },
            );
          } catch (error) {
            bar.stop();
            if (
              error instanceof ApiError &&
              ['import.unreadable', 'import.too_large', 'import.nothing_to_import'].includes(error.code)
            ) {
              const m = error.options.detail ?? { en: error.message, ko: '' };
              if (options.json)
                printJson({
                  rows: 0,
                  valid: 0,
                  imported: 0,
                  errors: [],
                  fileError: { code: error.code, message: m },
                });
              process.stderr.write(`korus: ${m.en}\n${m.ko ? `korus: ${m.ko}\n` : ''}`);
              process.exitCode = EXIT.invalidInput;
              return;
            }
            throw error;
          }
          bar.stop();
          const { result, preview } = outcome;
          if (options.json) printJson(jsonResult(result));
          else {
            for (const sheet of preview.sheets)
              process.stdout.write(
                `${sheet.name}: ${sheet.kind ?? 'not recognized / 인식 안 됨'}, header row ${sheet.headerRow}, ${sheet.rows} rows\n`,
              );
            for (const e of result.errors.slice(0, 50))
              process.stdout.write(
                `  ${e.sheet} row ${e.row}${e.column ? ` [${e.column}]` : ''}${e.value ? ` "${e.value}"` : ''}: ${e.message.en} / ${e.message.ko}\n`,
              );
            if (result.errorCount > 50) process.stdout.write(`  … ${result.errorCount - 50} more errors\n`);
            const c = result.counts;
            process.stdout.write(
              `${result.rows} rows, ${result.valid} valid, ${result.errorCount} errors; ` +
                `workers ${c.workers.created} new / ${c.workers.existing} existing, dependents ${c.dependents.created} / ${c.dependents.existing}, ` +
                `assignments ${c.assignments.created} / ${c.assignments.existing}; ` +
                (result.dryRun ? 'dry run, nothing written' : `${result.imported} records imported`) +
                ` (import ${result.importId})\n`,
            );
          }
          process.exitCode = result.errorCount > 0 ? EXIT.failed : 0;
        });
      },
    );

  program
    .command('export <list>')
    .description('Export workers, cases or a site roster to CSV (UTF-8 with BOM) or XLSX')
    .requiredOption('--org <id>', 'whose view: the lists as that organization sees them')
    .requiredOption('--out <file>', 'the file to write')
    .option('--format <format>', 'csv or xlsx', 'csv')
    .option('--site <id>', 'roster: the site')
    .option('--date <date>', 'roster: the date (YYYY-MM-DD; default today at the site)')
    .option('--data-dir <dir>', 'data directory (env KORUS_DATA_DIR)')
    .action(
      async (
        list: string,
        options: { org: string; out: string; format: string; site?: string; date?: string; dataDir?: string },
      ) => {
        const organizationId = orgId(options.org);
        if (!['workers', 'cases', 'roster'].includes(list))
          throw new CliInputError(`unknown list "${list}": use workers, cases or roster`);
        if (options.format !== 'csv' && options.format !== 'xlsx')
          throw new CliInputError(`unknown format "${options.format}": use csv or xlsx`);
        if (list === 'roster' && (!options.site || !UUID.test(options.site)))
          throw new CliInputError('a roster export needs --site <site id>');
        if (options.date && !/^\d{4}-\d{2}-\d{2}$/.test(options.date))
          throw new CliInputError('--date must be YYYY-MM-DD');
        await withDatabase(options, 'export', async (db, config) => {
          const ctx = await cliActor(db, organizationId, `export ${list}`);
          const deps = {
            cipher: await loadCheckedCipher(db, config.dataDir),
            rules: loadRules(),
            uploadsDir: config.uploadsDir,
          };
          let table: Table;
          if (list === 'workers') {
            const query = workerListQuerySchema.parse({ limit: 1000 });
            table = workersTable((await listWorkers(ctx, { ...query, limit: 1_000_000 })).items);
          } else if (list === 'cases') {
            const query = caseListQuerySchema.parse({});
            table = casesTable((await listCases(ctx, deps, { ...query, limit: 1_000_000 })).items);
          } else {
            table = rosterTable(await siteRoster(ctx, deps, options.site!, options.date));
          }
          const body =
            options.format === 'csv'
              ? toCsv(table.header, table.rows)
              : await toXlsx(list, table.header, table.rows);
          writeFileSync(options.out, body);
          process.stderr.write(`korus: wrote ${table.rows.length} rows to ${options.out}\n`);
        });
      },
    );
}
