import { isPlatformAdmin } from '../policies/capabilities.js';
import type { ServiceContext } from './context.js';
import type { Site } from '../../contract/api.js';
import { consulateForState, consulateRef } from '../../core/consulates.js';

/** The Korean post whose jurisdiction covers a site (by state, and county where a state is split). */
export function consulateOf(state: string, county: string | null): Site['consulate'] {
  const match = consulateForState(state, county ?? undefined);
  return match ? consulateRef(match) : null;
}

interface Row {
  id: string;
  organization_id: string;
  organization_name: string;
  name: string;
  sector: Site['sector'];
  address: string;
  city: string;
  state: string;
  county: string | null;
  time_zone: string;
  [key: string]: unknown;
}

/**
 * Work sites of the caller's organization; a partner firm also sees the sites of the investors it is linked
 * to (it sends people there). Platform administrators see all.
 */
export async function listSites(ctx: ServiceContext): Promise<Site[]> {
  const select = `SELECT s.*, o.name AS organization_name FROM sites s JOIN organizations o ON o.id = s.organization_id`;
  const rows = isPlatformAdmin(ctx.actor)
    ? await ctx.db.query<Row>(`${select} ORDER BY o.name, s.name`)
    : await ctx.db.query<Row>(
        `${select} WHERE s.organization_id = $1
           OR s.organization_id IN (SELECT investor_id FROM partner_links WHERE partner_id = $1)
         ORDER BY o.name, s.name`,
        [ctx.actor.organizationId],
      );
  return rows.map((r) => ({
    id: r.id,
    organizationId: r.organization_id,
    organizationName: r.organization_name,
    name: r.name,
    sector: r.sector,
    address: r.address,
    city: r.city,
    state: r.state.trim(),
    county: r.county,
    timeZone: r.time_zone,
    consulate: consulateOf(r.state.trim(), r.county),
  }));
}
