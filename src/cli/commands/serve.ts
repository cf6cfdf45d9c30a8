import type { Command } from 'commander';
import pino from 'pino';
import { loadConfig } from '../../server/config/config.js';
import { openDatabase } from '../../server/db/open.js';
import { migrate, migrationStatus } from '../../server/db/migrate.js';
import { buildApp } from '../../server/app.js';
import { loadRules } from '../../core/rules/index.js';
import { demoLoginLines, isEmpty } from '../../server/seed/demo.js';
import { loadCheckedCipher } from '../../server/crypto/key-check.js';
import { loadCardKeys } from '../../server/cards/jws.js';
import { mailTransportOf } from '../../server/mail/mail.js';
import { progress, reportError } from '../output.js';

interface ServeOptions {
  port?: string;
  host?: string;
  dataDir?: string;
  migrate: boolean;
  demo?: boolean;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Run the web application and the API')
    .option('--port <n>', 'port to listen on (env KORUS_PORT, default 8080)')
    .option('--host <host>', 'address to bind (env KORUS_HOST, default 0.0.0.0)')
    .option('--data-dir <dir>', 'embedded database directory (env KORUS_DATA_DIR, default ./data)')
    .option('--no-migrate', 'do not apply pending migrations at start (the server then refuses to be ready)')
    .option('--demo', 'load the demo data when the database is empty')
    .action(async (options: ServeOptions) => {
      const started = performance.now();
      const port = options.port === undefined ? undefined : Number(options.port);
      if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
        process.stderr.write(`korus: --port must be a port number (0-65535), got "${options.port}"\n`);
        process.exit(2);
      }
      const config = loadConfig({ dataDir: options.dataDir, port, host: options.host });
      const logger = pino({
        level: config.logLevel,
        base: { service: 'korus' },
        timestamp: pino.stdTimeFunctions.isoTime,
      });
      const db = await openDatabase({
        dataDir: config.dataDir,
        databaseUrl: config.databaseUrl,
        schema: config.databaseSchema,
        poolSize: config.poolSize,
        preparedStatements: config.preparedStatements,
        command: 'korus serve',
        exclusive: true,
        onProgress: (message) => logger.info(message),
      });
      let closing = false;
      try {
        if (options.migrate) {
          const report = await migrate(db);
          if (report.applied.length) logger.info({ applied: report.applied }, 'migrations applied');
        } else {
          const { pending } = await migrationStatus(db);
          if (pending.length)
            logger.warn(
              { pending: pending.map((m) => m.version) },
              'pending migrations not applied (--no-migrate)',
            );
        }
        const rules = loadRules();
        const cipher = await loadCheckedCipher(db, config.dataDir);
        let seeded = false;
        if (options.demo && (await isEmpty(db))) {
          // The demo's modules load only when there is a demo to load.
          const { seedDemo } = await import('../../server/seed/demo.js');
          const { seedDemoPipeline } = await import('../../server/seed/demo-pipeline.js');
          // About 15–20 s on a laptop (240 workers, their cases through every stage, stays, batches, alerts).
          const started = Date.now();
          const bar = progress('Loading the demo data / 데모 데이터 불러오는 중 (workers)');
          await seedDemo(db);
          const pipeline = await seedDemoPipeline(
            db,
            { cipher, rules, uploadsDir: config.uploadsDir },
            'full',
            new Date(),
            (done, total) => bar.update(done, total),
          );
          bar.stop();
          logger.info({ ...pipeline, ms: Date.now() - started }, 'demo data loaded');
          seeded = true;
        }
        const app = await buildApp({
          db,
          rules,
          logger,
          sessionCacheSeconds: config.sessionCacheSeconds,
          secureCookies: config.secureCookies,
          publicUrl: config.publicUrl,
          ...(config.webRoot ? { webRoot: config.webRoot } : {}),
          importRetentionDays: config.importRetentionDays,
          uploadsDir: config.uploadsDir,
          cipher,
          cardKeys: loadCardKeys(config.dataDir),
          quotaExpiryIntervalSeconds: config.quotaExpiryIntervalSeconds,
          console: {
            minCell: config.consoleMinCell,
            refreshIntervalSeconds: config.consoleRefreshIntervalSeconds,
          },
          webhooks: {
            intervalSeconds: config.webhooksIntervalSeconds,
            allowPrivate: config.webhooksAllowPrivate,
          },
          alerts: {
            timeZone: config.alertsTimeZone,
            ...(config.alertsEnabled ? { schedule: { cron: config.alertsCron } } : {}),
            mail: {
              transport: await mailTransportOf(config),
              from: config.mailFrom,
              baseUrl: config.publicUrl,
            },
          },
        });
        const shutdown = async (signal: string) => {
          if (closing) return;
          closing = true;
          logger.info({ signal }, 'shutting down: finishing in-flight requests');
          const force = setTimeout(() => {
            logger.error('shutdown took longer than 20 s; exiting');
            process.exit(1);
          }, 20_000);
          force.unref();
          try {
            await app.close();
            await db.close();
            logger.info('stopped cleanly');
            process.exit(0);
          } catch (error) {
            logger.error({ err: error }, 'error during shutdown');
            process.exit(1);
          }
        };
        process.on('SIGTERM', () => void shutdown('SIGTERM'));
        process.on('SIGINT', () => void shutdown('SIGINT'));
        const address = await app.listen({ port: config.port, host: config.host });
        const readyMs = Math.round(performance.now() - started);
        logger.info({ address, database: db.description, readyMs }, 'KORUS Mobility is ready');
        if (options.demo) printDemoLogins(address, seeded);
      } catch (error) {
        await db.close().catch(() => undefined);
        process.exit(reportError(error));
      }
    });
}

function printDemoLogins(address: string, seeded: boolean): void {
  const url = address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
  const lines = [
    '',
    `  KORUS Mobility: ${url}`,
    seeded ? '  Demo data loaded (fictional companies and people).' : '  Demo data: already present.',
    ...demoLoginLines(),
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
