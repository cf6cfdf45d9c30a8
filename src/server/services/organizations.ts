import type {
  ContactKind,
  Locale,
  Mandate,
  OrganizationContact,
  OrganizationContacts,
  OrganizationKind,
  organizationContactInputSchema,
} from '../../contract/api.js';
import type { z } from 'zod';
import { recordAudit } from '../audit/audit.js';
import type { Queryable } from '../db/database.js';
import { ApiError } from '../http/problem.js';
import { isPlatformAdmin, requireCapability } from '../policies/capabilities.js';
import { auditContextOf, iso, type ServiceContext } from './context.js';
import { boardChanged } from './pipeline/board-cache.js';

export interface OrganizationDto {
  id: string;
  name: string;
  kind: OrganizationKind;
  mandates: Mandate[];
  sme: boolean;
  createdAt: string;
}

interface OrgRow {
  id: string;
  name: string;
  kind: OrganizationKind;
  mandates: Mandate[];
  sme: boolean;
  created_at: Date;
  [key: string]: unknown;
}

type OrganizationContactInput = z.output<typeof organizationContactInputSchema>;

const toDto = (r: OrgRow): OrganizationDto => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  mandates: r.mandates,
  sme: r.sme,
  createdAt: iso(r.created_at)!,
});

/** Platform administrators see every organization; others their own and those linked to it. */
export async function listOrganizations(ctx: ServiceContext): Promise<OrganizationDto[]> {
  return (await listOrganizationRows(ctx)).map(toDto);
}

/** The organizations the caller sees (all of them, or the one `only` names if visible). */
async function listOrganizationRows(ctx: ServiceContext, only?: string): Promise<OrgRow[]> {
  const admin = isPlatformAdmin(ctx.actor);
  const visible = admin
    ? 'true'
    : `(o.id = $2
        OR o.id IN (SELECT partner_id FROM partner_links WHERE investor_id = $2)
        OR o.id IN (SELECT investor_id FROM partner_links WHERE partner_id = $2))`;
  return ctx.db.query<OrgRow>(
    `SELECT o.* FROM organizations o WHERE ($1::uuid IS NULL OR o.id = $1) AND ${visible} ORDER BY o.name`,
    admin ? [only ?? null] : [only ?? null, ctx.actor.organizationId],
  );
}

export async function createOrganization(
  ctx: ServiceContext,
  input: {
    name: string;
    kind: OrganizationKind;
    mandates?: Mandate[] | undefined;
    sme?: boolean | undefined;
  },
): Promise<OrganizationDto> {
  requireCapability(ctx.actor, 'admin.organizations');
  return ctx.db.transaction(async (tx) => {
    const existing = await tx.query('SELECT 1 FROM organizations WHERE lower(name) = lower($1)', [
      input.name,
    ]);
    if (existing.length > 0) throw new ApiError('organization.name_taken', { errors: [fieldTaken('name')] });
    const [row] = await tx.query<OrgRow>(
      'INSERT INTO organizations (name, kind, mandates, sme) VALUES ($1, $2, $3, $4) RETURNING *',
      [input.name, input.kind, [...new Set(input.mandates ?? [])], input.sme ?? false],
    );
    const dto = toDto(row!);
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'organization.create',
      targetType: 'organization',
      targetId: dto.id,
      organizationId: dto.id,
      after: dto,
    });
    return dto;
  });
}

function fieldTaken(path: string) {
  return {
    path,
    code: 'taken',
    message: 'Already in use.',
    messages: { en: 'Already in use.', ko: '이미 사용 중입니다.' },
  };
}

export interface PartnerLinkDto {
  id: string;
  investorId: string;
  investorName: string;
  partnerId: string;
  partnerName: string;
  createdAt: string;
}

interface LinkRow {
  id: string;
  investor_id: string;
  investor_name: string;
  partner_id: string;
  partner_name: string;
  created_at: Date;
  [key: string]: unknown;
}

const LINK_SELECT = `SELECT l.id, l.investor_id, i.name AS investor_name, l.partner_id, p.name AS partner_name, l.created_at
  FROM partner_links l JOIN organizations i ON i.id = l.investor_id JOIN organizations p ON p.id = l.partner_id`;

const linkDto = (r: LinkRow): PartnerLinkDto => ({
  id: r.id,
  investorId: r.investor_id,
  investorName: r.investor_name,
  partnerId: r.partner_id,
  partnerName: r.partner_name,
  createdAt: iso(r.created_at)!,
});

export async function listPartnerLinks(ctx: ServiceContext): Promise<PartnerLinkDto[]> {
  const rows = isPlatformAdmin(ctx.actor)
    ? await ctx.db.query<LinkRow>(`${LINK_SELECT} ORDER BY i.name, p.name`)
    : await ctx.db.query<LinkRow>(
        `${LINK_SELECT} WHERE l.investor_id = $1 OR l.partner_id = $1 ORDER BY i.name, p.name`,
        [ctx.actor.organizationId],
      );
  return rows.map(linkDto);
}

/** Links are made by a platform administrator, or by an administrator of the investor side. */
export async function createPartnerLink(
  ctx: ServiceContext,
  input: { investorId: string; partnerId: string },
): Promise<PartnerLinkDto> {
  requireCapability(ctx.actor, 'admin.partner_links');
  if (!isPlatformAdmin(ctx.actor) && ctx.actor.organizationId !== input.investorId)
    throw new ApiError('auth.forbidden');
  return ctx.db.transaction(async (tx) => {
    const orgs = await tx.query<{ id: string; kind: OrganizationKind }>(
      'SELECT id, kind FROM organizations WHERE id = ANY($1::uuid[])',
      [[input.investorId, input.partnerId]],
    );
    const investor = orgs.find((o) => o.id === input.investorId);
    const partner = orgs.find((o) => o.id === input.partnerId);
    if (!investor || !partner) throw new ApiError('resource.not_found');
    if (investor.kind !== 'investor' || partner.kind !== 'partner')
      throw new ApiError('partner_link.invalid_kinds');
    const exists = await tx.query('SELECT 1 FROM partner_links WHERE investor_id = $1 AND partner_id = $2', [
      input.investorId,
      input.partnerId,
    ]);
    if (exists.length > 0) throw new ApiError('partner_link.exists');
    const [inserted] = await tx.query<{ id: string }>(
      'INSERT INTO partner_links (investor_id, partner_id) VALUES ($1, $2) RETURNING id',
      [input.investorId, input.partnerId],
    );
    const [row] = await tx.query<LinkRow>(`${LINK_SELECT} WHERE l.id = $1`, [inserted!.id]);
    const dto = linkDto(row!);
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'partner_link.create',
      targetType: 'partner_link',
      targetId: dto.id,
      organizationId: dto.investorId,
      after: dto,
    });
    return dto;
  });
}

export async function deletePartnerLink(ctx: ServiceContext, id: string): Promise<void> {
  requireCapability(ctx.actor, 'admin.partner_links');
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<LinkRow>(`${LINK_SELECT} WHERE l.id = $1`, [id]);
    const visible =
      row &&
      (isPlatformAdmin(ctx.actor) ||
        row.investor_id === ctx.actor.organizationId ||
        row.partner_id === ctx.actor.organizationId);
    if (!row || !visible) throw new ApiError('resource.not_found');
    if (!isPlatformAdmin(ctx.actor) && row.investor_id !== ctx.actor.organizationId)
      throw new ApiError('auth.forbidden');
    await tx.query('DELETE FROM partner_links WHERE id = $1', [id]);
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'partner_link.delete',
      targetType: 'partner_link',
      targetId: id,
      organizationId: row.investor_id,
      before: linkDto(row),
    });
  });
}

// ------------------------------------------------------------------ counsel and emergency contacts

interface ContactRow {
  organization_id: string;
  kind: ContactKind;
  position: number;
  name: string;
  firm: string | null;
  title: string | null;
  phone: string;
  email: string | null;
  hours: string | null;
  languages: Locale[];
  notes: string | null;
  updated_at: Date;
  [key: string]: unknown;
}

const contactDto = (r: ContactRow): OrganizationContact => ({
  kind: r.kind,
  name: r.name,
  firm: r.firm,
  title: r.title,
  phone: r.phone,
  email: r.email,
  hours: r.hours,
  languages: r.languages,
  notes: r.notes,
});

/**
 * The counsel and emergency contacts of several organizations, in their entered order; every
 * organization asked for has an entry (with no items when none are on file). Callers scope the ids.
 */
export async function contactsOf(
  db: Queryable,
  organizationIds: readonly string[],
): Promise<Map<string, { items: OrganizationContact[]; updatedAt: string | null }>> {
  const out = new Map<string, { items: OrganizationContact[]; updatedAt: string | null }>();
  for (const id of organizationIds) out.set(id, { items: [], updatedAt: null });
  if (organizationIds.length === 0) return out;
  const rows = await db.query<ContactRow>(
    `SELECT * FROM organization_contacts WHERE organization_id = ANY($1::uuid[])
      ORDER BY organization_id, position`,
    [[...new Set(organizationIds)]],
  );
  for (const r of rows) {
    const entry = out.get(r.organization_id)!;
    entry.items.push(contactDto(r));
    const at = iso(r.updated_at)!;
    if (!entry.updatedAt || at > entry.updatedAt) entry.updatedAt = at;
  }
  return out;
}

async function visibleOrganization(ctx: ServiceContext, id: string): Promise<OrgRow> {
  const [org] = await listOrganizationRows(ctx, id);
  if (!org) throw new ApiError('resource.not_found');
  return org;
}

/** An organization's contacts: anyone who can see the organization (workers see their employer's). */
export async function getOrganizationContacts(
  ctx: ServiceContext,
  id: string,
): Promise<OrganizationContacts> {
  const org = await visibleOrganization(ctx, id);
  const { items, updatedAt } = (await contactsOf(ctx.db, [id])).get(id)!;
  return { organizationId: org.id, organizationName: org.name, updatedAt, items };
}

/**
 * Replaces an organization's contacts with the given list, in one transaction, audited with the list before
 * and after. The organization's own administrators, or a platform administrator.
 */
export async function replaceOrganizationContacts(
  ctx: ServiceContext,
  id: string,
  items: readonly OrganizationContactInput[],
): Promise<OrganizationContacts> {
  requireCapability(ctx.actor, 'admin.contacts');
  const org = await visibleOrganization(ctx, id);
  if (!isPlatformAdmin(ctx.actor) && ctx.actor.organizationId !== id) throw new ApiError('auth.forbidden');
  return ctx.db.transaction(async (tx) => {
    // Serialise concurrent editors of the same organization: the later one wins, whole.
    await tx.query('SELECT id FROM organizations WHERE id = $1 FOR UPDATE', [id]);
    const before = (await contactsOf(tx, [id])).get(id)!.items;
    await tx.query('DELETE FROM organization_contacts WHERE organization_id = $1', [id]);
    if (items.length > 0) {
      await tx.query(
        `INSERT INTO organization_contacts
           (organization_id, kind, position, name, firm, title, phone, email, hours, languages, notes, updated_by)
         SELECT $1, c.kind, c.position, c.name, c.firm, c.title, c.phone, c.email, c.hours,
                ARRAY(SELECT jsonb_array_elements_text(c.languages)), c.notes, $3
           FROM jsonb_to_recordset($2::jsonb) AS c(kind text, position smallint, name text, firm text, title text,
                phone text, email text, hours text, languages jsonb, notes text)`,
        [
          id,
          JSON.stringify(
            items.map((c, position) => ({ ...c, languages: [...new Set(c.languages)], position })),
          ),
          ctx.actor.userId,
        ],
      );
    }
    const after = (await contactsOf(tx, [id])).get(id)!;
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'organization.contacts_update',
      targetType: 'organization',
      targetId: id,
      organizationId: id,
      before: { items: before },
      after: { items: after.items },
      details: {
        before: before.length,
        counsel: after.items.filter((c) => c.kind === 'counsel').length,
        emergency: after.items.filter((c) => c.kind === 'emergency').length,
      },
    });
    return {
      organizationId: org.id,
      organizationName: org.name,
      updatedAt: after.updatedAt,
      items: after.items,
    };
  });
}

// ------------------------------------------------------------------ counsel engagements (issue 13)

export interface CounselFirms {
  organizationId: string;
  items: { id: string; name: string }[];
}

/** The law firms of the platform an organization names its counsel (they work on all its cases). */
export async function getCounselFirms(ctx: ServiceContext, id: string): Promise<CounselFirms> {
  await visibleOrganization(ctx, id);
  const items = await ctx.db.query<{ id: string; name: string }>(
    `SELECT o.id, o.name FROM counsel_engagements e JOIN organizations o ON o.id = e.law_firm_id
      WHERE e.client_id = $1 ORDER BY o.name`,
    [id],
  );
  return { organizationId: id, items };
}

/** Every law firm on the platform (names only), for an administrator choosing counsel. */
export async function listLawFirms(ctx: ServiceContext): Promise<{ items: { id: string; name: string }[] }> {
  requireCapability(ctx.actor, 'admin.contacts');
  const items = await ctx.db.query<{ id: string; name: string }>(
    `SELECT id, name FROM organizations WHERE kind = 'law_firm' ORDER BY name`,
  );
  return { items };
}

/**
 * Names the organization's counsel among the platform's law firms (replacing the list): each then sees and
 * works on all the organization's cases, their workers and documents. Its administrators, or a platform one.
 */
export async function setCounselFirms(
  ctx: ServiceContext,
  id: string,
  lawFirmIds: readonly string[],
): Promise<CounselFirms> {
  requireCapability(ctx.actor, 'admin.contacts');
  const org = await visibleOrganization(ctx, id);
  if (!isPlatformAdmin(ctx.actor) && ctx.actor.organizationId !== id) throw new ApiError('auth.forbidden');
  if (org.kind !== 'investor' && org.kind !== 'partner')
    throw new ApiError('request.invalid', {
      errors: [
        {
          path: 'lawFirmIds',
          code: 'invalid',
          message: 'Only employers (investors and partner firms) name counsel.',
          messages: {
            en: 'Only employers (investors and partner firms) name counsel.',
            ko: '법률 대리인은 고용 기업(투자 기업, 협력사)만 지정합니다.',
          },
        },
      ],
    });
  const unique = [...new Set(lawFirmIds)];
  await ctx.db.transaction(async (tx) => {
    const firms = await tx.query<{ id: string }>(
      `SELECT id FROM organizations WHERE id = ANY ($1::uuid[]) AND kind = 'law_firm'`,
      [unique],
    );
    if (firms.length !== unique.length)
      throw new ApiError('request.invalid', {
        errors: [
          {
            path: 'lawFirmIds',
            code: 'invalid',
            message: 'Every id must be a law firm of the platform.',
            messages: {
              en: 'Every id must be a law firm of the platform.',
              ko: '모두 플랫폼에 등록된 법무법인이어야 합니다.',
            },
          },
        ],
      });
    const before = await tx.query<{ law_firm_id: string }>(
      'SELECT law_firm_id FROM counsel_engagements WHERE client_id = $1 ORDER BY law_firm_id FOR UPDATE',
      [id],
    );
    await tx.query('DELETE FROM counsel_engagements WHERE client_id = $1', [id]);
    for (const firm of unique)
      await tx.query(
        'INSERT INTO counsel_engagements (client_id, law_firm_id, created_by) VALUES ($1, $2, $3)',
        [id, firm, ctx.actor.email],
      );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'organization.counsel_update',
      targetType: 'organization',
      targetId: id,
      organizationId: id,
      before: before.map((b) => b.law_firm_id),
      after: [...unique].sort(),
    });
  });
  boardChanged(ctx.db);
  return getCounselFirms(ctx, id);
}
