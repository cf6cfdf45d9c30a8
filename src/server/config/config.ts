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
  /** Whether session cookies carry the `Secure` attribute (behind HTTPS). */
  secureCookies: boolean;
  poolSize: number;
  /** Where uploaded documents are kept (default `<data dir>/uploads`; `KORUS_UPLOADS_DIR`). */
  uploadsDir: string;
  /** Seconds between quota reservation expiry runs (`KORUS_QUOTA_EXPIRY_INTERVAL`, default 86400; 0: off). */
  quotaExpiryIntervalSeconds: number;
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
    quotaExpiryIntervalSeconds: numberFrom(
      env.KORUS_QUOTA_EXPIRY_INTERVAL,
      86_400,
      'KORUS_QUOTA_EXPIRY_INTERVAL',
    ),
  };
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
