/**
 * On PostgreSQL the application should not own its tables: an owner (or superuser) can rewrite history.
 * The recommended set-up (docs/postgres.md): an owner role runs `korus migrate`; the server connects as
 * an application role that may read and write every table but may only INSERT into the append-only
 * ledgers (audit_events, and later ledgers named here).
 */
export const APPEND_ONLY_TABLES = ['audit_events', 'quota_ledger'] as const;

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Not a plain SQL identifier: ${name}`);
  return name;
};

export function appRoleGrantsSql(role: string, schema = 'public'): string {
  const r = ident(role);
  const s = ident(schema);
  const appendOnly = APPEND_ONLY_TABLES.map((t) => `${s}.${t}`).join(', ');
  return [
    `GRANT USAGE ON SCHEMA ${s} TO ${r};`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${r};`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${r};`,
    `-- Append-only ledgers: insert and read, never change or remove.`,
    `REVOKE UPDATE, DELETE, TRUNCATE ON ${appendOnly} FROM ${r};`,
    `REVOKE UPDATE, DELETE, TRUNCATE ON ${appendOnly} FROM PUBLIC;`,
  ].join('\n');
}
