import type { Mandate, OrganizationKind, Role } from '../../contract/api.js';
import type { Database } from '../db/database.js';
import type { Actor } from '../policies/capabilities.js';

/** The actor of a demo login, as a session would make it (the demo writes through the services as people). */
export async function actorFor(db: Database, email: string): Promise<Actor> {
  const [row] = await db.query<{
    id: string;
    email: string;
    display_name: string;
    role: Role;
    organization_id: string | null;
    name: string | null;
    kind: OrganizationKind | null;
    mandates: Mandate[] | null;
  }>(
    `SELECT u.id, u.email, u.display_name, u.role, u.organization_id, o.name, o.kind, o.mandates
       FROM users u LEFT JOIN organizations o ON o.id = u.organization_id WHERE u.email = $1`,
    [email],
  );
  if (!row) throw new Error(`demo pipeline: no user ${email}; load the demo organizations first`);
  return {
    userId: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    locale: null,
    organizationId: row.organization_id,
    organizationName: row.name,
    organizationKind: row.kind,
    mandates: row.mandates ?? [],
    via: 'session',
  };
}
