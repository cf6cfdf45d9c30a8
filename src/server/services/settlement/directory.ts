import type { z } from 'zod';
import type { createDirectoryEntrySchema, Directory, DirectoryEntry } from '../../../contract/settlement.js';
import { consulateForState } from '../../../core/consulates.js';
import { recordAudit } from '../../audit/audit.js';
import { ApiError } from '../../http/problem.js';
import { isPlatformAdmin } from '../../policies/capabilities.js';
import { auditContextOf, type ServiceContext } from '../context.js';
import { fieldError } from '../pipeline/common.js';
import { ownWorker } from '../pipeline/workers.js';

/**
 * The overseas-Korean network near a site (issue 19, item 4): the consulate of jurisdiction (public data,
 * `rules/data/korean-consulates.yaml`), then the entries the investor that owns the site and government
 * organizations keep: Korean associations, weekend Korean schools, Korean-speaking doctors, counsel and
 * interpreters, housing help, mentors from the local community. Bilingual, dated, with who verified each entry;
 * fictional entries are marked. Nothing here is personal data of a worker: any organization that may read
 * directories reads any site's; a worker reads the one near their own site.
 */

interface SiteRow {
  id: string;
  name: string;
  state: string;
  county: string | null;
  organization_id: string;
  [key: string]: unknown;
}
interface EntryRow {
  id: string;
  site_id: string;
  kind: DirectoryEntry['kind'];
  name_en: string;
  name_ko: string;
  description_en: string | null;
  description_ko: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  address: string | null;
  languages: string[];
  fictional: boolean;
  verified_on: string;
  verified_by: string;
  [key: string]: unknown;
}

const entryOf = (r: EntryRow): DirectoryEntry => ({
  id: r.id,
  siteId: r.site_id,
  kind: r.kind,
  name: { en: r.name_en, ko: r.name_ko },
  description: r.description_en || r.description_ko ? { en: r.description_en ?? '', ko: r.description_ko ?? '' } : null, // prettier-ignore
  phone: r.phone,
  email: r.email,
  website: r.website,
  address: r.address,
  languages: r.languages,
  fictional: r.fictional,
  verifiedOn: r.verified_on,
  verifiedBy: r.verified_by,
  official: false,
  status: 'verified',
});

/**
 * Sites whose directory the actor reads: government organizations and platform administrators all; a company its
 * own sites and those of the investors it works for; a law firm the sites of its clients; a worker the site of
 * their own assignments.
 */
function visibleSitesSql(ctx: ServiceContext): { sql: string; params: unknown[] } {
  if (isPlatformAdmin(ctx.actor) || ctx.actor.organizationKind === 'government')
    return { sql: 'true', params: [] };
  if (ctx.actor.role === 'worker')
    return { sql: `s.id IN (SELECT p.site_id FROM workers w JOIN assignments a ON a.worker_id = w.id JOIN projects p ON p.id = a.project_id WHERE w.user_id = $2)`, params: [ctx.actor.userId] }; // prettier-ignore
  return {
    sql: `(s.organization_id = $2 OR s.organization_id IN (SELECT investor_id FROM partner_links WHERE partner_id = $2)
           OR s.organization_id IN (SELECT client_id FROM counsel_engagements WHERE law_firm_id = $2))`,
    params: [ctx.actor.organizationId],
  };
}

async function siteOf(ctx: ServiceContext, siteId: string): Promise<SiteRow> {
  const visible = visibleSitesSql(ctx);
  const [site] = await ctx.db.query<SiteRow>(`SELECT s.id, s.name, s.state, s.county, s.organization_id FROM sites s WHERE s.id = $1 AND ${visible.sql}`, [siteId, ...visible.params]); // prettier-ignore
  if (!site) throw new ApiError('resource.not_found');
  return site;
}

/** The site of a worker's latest assignment, near which the family lives (null: no assignment yet). */
export async function latestSiteId(ctx: ServiceContext, workerId: string): Promise<string | null> {
  const [row] = await ctx.db.query<{ site_id: string }>(
    `SELECT p.site_id FROM assignments a JOIN projects p ON p.id = a.project_id WHERE a.worker_id = $1
      ORDER BY a.start_date DESC LIMIT 1`,
    [workerId],
  );
  return row?.site_id ?? null;
}

/** The site near which the signed-in worker lives. */
export async function ownSiteId(ctx: ServiceContext): Promise<string> {
  const siteId = await latestSiteId(ctx, (await ownWorker(ctx)).id);
  if (!siteId) throw new ApiError('resource.not_found');
  return siteId;
}

export async function siteDirectory(ctx: ServiceContext, siteId: string): Promise<Directory> {
  const site = await siteOf(ctx, siteId);
  const state = site.state.trim();
  const rows = await ctx.db.query<EntryRow>(
    `SELECT e.id, e.site_id, e.kind, e.name_en, e.name_ko, e.description_en, e.description_ko, e.phone, e.email,
            e.website, e.address, e.languages, e.fictional, e.verified_on::text, o.name AS verified_by
       FROM site_directory_entries e JOIN organizations o ON o.id = e.organization_id
      WHERE e.site_id = $1 ORDER BY array_position(ARRAY['consulate','association','weekend_school','doctor','counsel','interpreter','housing','mentor'], e.kind), e.name_en`, // prettier-ignore
    [siteId],
  );
  const items: DirectoryEntry[] = [];
  const match = consulateForState(state, site.county ?? undefined);
  if (match) {
    const post = match.post;
    items.push({
      id: `consulate:${post.id}`,
      siteId,
      kind: 'consulate',
      name: post.name,
      description: {
        en: `The Korean post whose jurisdiction covers ${state}: passports, family registration, help in an emergency.`,
        ko: `${state}을(를) 관할하는 재외공관: 여권, 가족관계 등록, 긴급 상황 지원.`,
      },
      phone: post.phone,
      email: null,
      website: post.website,
      address: post.address,
      languages: ['ko', 'en'],
      fictional: false,
      verifiedOn: '2026-11-23',
      verifiedBy: 'Ministry of Foreign Affairs (overseas.mofa.go.kr)',
      official: true,
      status: post.status === 'verify' ? 'verify' : 'verified',
    });
  }
  items.push(...rows.map(entryOf));
  return { siteId, siteName: site.name, state, items };
}

/**
 * Sites whose directory the actor keeps or reads, with how many entries each has. Officers see every site by its
 * name and place, not the company that owns it (government users see no company's records).
 */
export async function directorySites(ctx: ServiceContext) {
  const visible = visibleSitesSql(ctx);
  const rows =
    await ctx.db.query<{ id: string; name: string; state: string; city: string; organization_name: string; entries: number }>( // prettier-ignore
      `SELECT s.id, s.name, s.state, s.city, o.name AS organization_name,
            (SELECT count(*)::int FROM site_directory_entries e WHERE e.site_id = s.id) AS entries
       FROM sites s JOIN organizations o ON o.id = s.organization_id
      WHERE $1::int = 1 AND ${visible.sql}
      ORDER BY o.name, s.name`,
      [1, ...visible.params],
    );
  return { items: rows.map((r) => ({ id: r.id, name: r.name, state: r.state.trim(), city: r.city, organizationName: ctx.actor.organizationKind === 'government' ? null : r.organization_name, entries: r.entries })) }; // prettier-ignore
}

/** Keeping a site's directory: the investor that owns the site, or a government organization. */
function mayKeep(ctx: ServiceContext, site: SiteRow) {
  if (isPlatformAdmin(ctx.actor) || ctx.actor.organizationKind === 'government') return;
  if (site.organization_id !== ctx.actor.organizationId) throw new ApiError('auth.forbidden');
}

export async function addDirectoryEntry(
  ctx: ServiceContext,
  siteId: string,
  input: z.infer<typeof createDirectoryEntrySchema>,
  today: string,
): Promise<DirectoryEntry> {
  const site = await siteOf(ctx, siteId);
  mayKeep(ctx, site);
  if (input.verifiedOn > today)
    throw new ApiError('request.invalid', { errors: [fieldError('verifiedOn', 'must not be in the future', '미래 날짜일 수 없습니다')] }); // prettier-ignore
  if (!ctx.actor.organizationId) throw new ApiError('auth.forbidden');
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<EntryRow>(
      `INSERT INTO site_directory_entries (site_id, organization_id, kind, name_en, name_ko, description_en, description_ko,
         phone, email, website, address, languages, fictional, verified_on, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       RETURNING id, site_id, kind, name_en, name_ko, description_en, description_ko, phone, email, website, address,
         languages, fictional, verified_on::text, (SELECT name FROM organizations WHERE id = $2) AS verified_by`,
      [siteId, ctx.actor.organizationId, input.kind, input.name.en, input.name.ko, input.description?.en || null, input.description?.ko || null, input.phone ?? null, input.email ?? null, input.website ?? null, input.address ?? null, input.languages, input.fictional, input.verifiedOn, ctx.actor.userId], // prettier-ignore
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'directory.create',
      targetType: 'site',
      targetId: siteId,
      organizationId: site.organization_id,
      after: { entryId: row!.id, kind: input.kind, name: input.name, verifiedOn: input.verifiedOn },
    });
    return entryOf(row!);
  });
}

export async function removeDirectoryEntry(ctx: ServiceContext, entryId: string): Promise<void> {
  const [entry] = await ctx.db.query<{
    site_id: string;
    organization_id: string;
    kind: string;
    name_en: string;
  }>('SELECT site_id, organization_id, kind, name_en FROM site_directory_entries WHERE id = $1', [entryId]);
  if (!entry) throw new ApiError('resource.not_found');
  const site = await siteOf(ctx, entry.site_id);
  mayKeep(ctx, site);
  await ctx.db.transaction(async (tx) => {
    await tx.query('DELETE FROM site_directory_entries WHERE id = $1', [entryId]);
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'directory.delete',
      targetType: 'site',
      targetId: entry.site_id,
      organizationId: site.organization_id,
      before: { entryId, kind: entry.kind, name: entry.name_en },
    });
  });
}
