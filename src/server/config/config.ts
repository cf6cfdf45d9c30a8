import { resolve } from 'node:path';

/** Runtime configuration, from command-line flags first, then the environment, then defaults. */
export interface KorusConfig {
  /** Directory of the embedded database, the key file and uploads. */
  dataDir: string;
  /** `postgres://…` switches from the embedded database to a PostgreSQL server. */
  databaseUrl: string | undefined;
  /** Schema to use on PostgreSQL (default `public`); tests use one schema per test file. */
  databaseSchema: string | undefined;
  port: number;
  host: string;
  logLevel: string;
  /** Base64 of 32 bytes; when absent a key file is created in the data directory. */
  dataKey: string | undefined;
  /** Seconds a validated session is cached in memory before the database is asked again. */
  sessionCacheSeconds: number;
  /** Named prepared statements for repeated queries (`KORUS_DB_PREPARED_STATEMENTS=false` behind an old PgBouncer). */
  preparedStatements: boolean;
  /** Whether session cookies carry the `Secure` attribute (behind HTTPS). */
  secureCookies: boolean;
  poolSize: number;
  /** Where uploaded documents are kept (default `<data dir>/uploads`; `KORUS_UPLOADS_DIR`). */
  uploadsDir: string;
  /** Seconds between quota reservation expiry runs (`KORUS_QUOTA_EXPIRY_INTERVAL`, default 86400; 0: off). */
  quotaExpiryIntervalSeconds: number;
  /** Alerts (issue 6): the daily scan and digest on pg-boss (`KORUS_ALERTS_ENABLED`, default true). */
  alertsEnabled: boolean;
  /** The console's small-cell threshold (`KORUS_CONSOLE_MIN_CELL`, default 5; issue 17). */
  consoleMinCell: number;
  /** Seconds between rebuilds of the console's aggregate layer (`KORUS_CONSOLE_REFRESH_INTERVAL`, default 900). */
  consoleRefreshIntervalSeconds: number;
  /** Seconds between webhook dispatcher runs (`KORUS_WEBHOOKS_INTERVAL`, default 5; 0: off; issue 18). */
  webhooksIntervalSeconds: number;
  /** Whether webhook endpoints may be on loopback or private networks (`KORUS_WEBHOOKS_ALLOW_PRIVATE`, default false). */
  webhooksAllowPrivate: boolean;
  /** Time zone of "today" and of the cron schedule (`KORUS_ALERTS_TIME_ZONE`, IANA name, default UTC). */
  alertsTimeZone: string;
  /** Cron expression of the daily scan (`KORUS_ALERTS_CRON`, default `0 6 * * *`: 06:00 in the time zone). */
  alertsCron: string;
  /** SMTP server for e-mail (`KORUS_SMTP_URL`, e.g. `smtps://user:pass@mail.example.com:465`); absent: outbox. */
  smtpUrl: string | undefined;
  /** Where e-mail is written as .eml files when no SMTP server is set (`KORUS_OUTBOX_DIR`, default `<data dir>/outbox`). */
  outboxDir: string;
  /** The sender of e-mail (`KORUS_MAIL_FROM`). */
  mailFrom: string;
  /** The web app's public address, for links in e-mail (`KORUS_PUBLIC_URL`, optional). */
  publicUrl: string | undefined;
  /** Days an uploaded roster waits for its import before it is deleted (`KORUS_IMPORT_RETENTION_DAYS`, default 7). */
  importRetentionDays: number;
  /** The built web app to serve (`KORUS_WEB_ROOT`, default `dist/web` of the package). */
  webRoot: string | undefined;
}

export interface ConfigOverrides {
  dataDir?: string | undefined;
  port?: number | undefined;
  host?: string | undefined;
}

export function loadConfig(
  overrides: ConfigOverrides = {},
  env: NodeJS.ProcessEnv = process.env,
): KorusConfig {
  const port = overrides.port ?? numberFrom(env.KORUS_PORT ?? env.PORT, 8080, 'KORUS_PORT');
  const dataDir = resolve(overrides.dataDir ?? env.KORUS_DATA_DIR ?? './data');
  return {
    dataDir,
    uploadsDir: resolve(nonEmpty(env.KORUS_UPLOADS_DIR) ?? resolve(dataDir, 'uploads')),
    databaseUrl: nonEmpty(env.DATABASE_URL),
    databaseSchema: nonEmpty(env.KORUS_DATABASE_SCHEMA),
    port,
    host: overrides.host ?? env.KORUS_HOST ?? '0.0.0.0',
    logLevel: env.KORUS_LOG_LEVEL ?? env.LOG_LEVEL ?? 'info',
    dataKey: nonEmpty(env.KORUS_DATA_KEY),
    sessionCacheSeconds: numberFrom(env.KORUS_SESSION_CACHE_SECONDS, 5, 'KORUS_SESSION_CACHE_SECONDS'),
    secureCookies: env.KORUS_SECURE_COOKIES === 'true',
    poolSize: numberFrom(env.KORUS_DB_POOL_SIZE, 10, 'KORUS_DB_POOL_SIZE'),
    preparedStatements: env.KORUS_DB_PREPARED_STATEMENTS !== 'false',
    quotaExpiryIntervalSeconds: numberFrom(
      env.KORUS_QUOTA_EXPIRY_INTERVAL,
      86_400,
      'KORUS_QUOTA_EXPIRY_INTERVAL',
    ),
    alertsEnabled: env.KORUS_ALERTS_ENABLED !== 'false',
    consoleMinCell: numberFrom(env.KORUS_CONSOLE_MIN_CELL, 5, 'KORUS_CONSOLE_MIN_CELL'),
    consoleRefreshIntervalSeconds: numberFrom(
      env.KORUS_CONSOLE_REFRESH_INTERVAL,
      900,
      'KORUS_CONSOLE_REFRESH_INTERVAL',
    ),
    webhooksIntervalSeconds: numberFrom(env.KORUS_WEBHOOKS_INTERVAL, 5, 'KORUS_WEBHOOKS_INTERVAL'),
    webhooksAllowPrivate: env.KORUS_WEBHOOKS_ALLOW_PRIVATE === 'true',
    alertsTimeZone: timeZoneFrom(env.KORUS_ALERTS_TIME_ZONE),
    alertsCron: nonEmpty(env.KORUS_ALERTS_CRON) ?? '0 6 * * *',
    smtpUrl: nonEmpty(env.KORUS_SMTP_URL),
    outboxDir: resolve(nonEmpty(env.KORUS_OUTBOX_DIR) ?? resolve(dataDir, 'outbox')),
    mailFrom: nonEmpty(env.KORUS_MAIL_FROM) ?? 'KORUS Mobility <alerts@korus.invalid>',
    publicUrl: nonEmpty(env.KORUS_PUBLIC_URL),
    importRetentionDays: numberFrom(env.KORUS_IMPORT_RETENTION_DAYS, 7, 'KORUS_IMPORT_RETENTION_DAYS'),
    webRoot: nonEmpty(env.KORUS_WEB_ROOT) ? resolve(env.KORUS_WEB_ROOT!.trim()) : undefined,
  };
}

function timeZoneFrom(value: string | undefined): string {
  const zone = nonEmpty(value) ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new Error(`KORUS_ALERTS_TIME_ZONE must be an IANA time zone (e.g. UTC, Asia/Seoul), got "${zone}"`);
  }
  return zone;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== '' ? value.trim() : undefined;
}

function numberFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${value}"`);
  return n;
}
