import type { z } from 'zod';
import type {
  ConsoleFilters,
  consoleBatchesSchema,
  consoleLeadTimesSchema,
  consoleOutcomesSchema,
  consolePartnersSchema,
  consolePresenceSchema,
  consoleQuotaSchema,
  consoleReentrySchema,
  consoleSummarySchema,
  leadTimeRowSchema,
} from '../../../contract/console.js';
import { showBreakdown, showCount, showRate, type Shown } from '../../../core/statistics/small-cells.js';
import { recordAudit } from '../../audit/audit.js';
import type { Database } from '../../db/database.js';
import { auditContextOf, iso, type ServiceContext } from '../context.js';
import { quotaActorOf, type QuotaLedger } from '../quota.js';

/**
 * The working group's console (issue 17). Figures are read from the aggregate layer (console_*_facts), rebuilt
 * from the records by `refreshConsole` on a schedule and on demand; it holds no identity. Every figure applies
 * the small-cell rule (src/core/statistics/small-cells.ts): counts below `minCell` read "<5", with a second cell
 * hidden among siblings when one alone would be; rates and lead times of small groups are null. Every query is
 * audited (`console.query`, with the figure and filters).
 *
 * The period (`from`, `to`) selects by the date each figure counts: admissions for lead times (and the re-entry
 * and partner comparisons), the opening for applications and outcomes, submission for batches, the decision for
 * desk throughput. Presence and quota are as of today.
 */
export interface ConsoleOptions {
  minCell: number;
  now: () => Date;
}

type LeadRow = z.infer<typeof leadTimeRowSchema>;
type Summary = z.infer<typeof consoleSummarySchema>;

/** Rebuilds the aggregate layer in one transaction: readers see the old snapshot until it commits. */
export async function refreshConsole(db: Database, now = new Date()) {
  const started = Date.now();
  return db.transaction(async (tx) => {
    // One refresh at a time (a scheduled one and an officer's): the second waits, then rebuilds again.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('korus.console.refresh'))`);
    await tx.query('DELETE FROM console_case_facts');
    const [cases] = await tx.query<{ n: number }>(
      `WITH inserted AS (
         INSERT INTO console_case_facts (opened_on, admitted_on, submitted_on, interview_on, outcome_on, lead_days,
           sme, had_221g, reentry, via_desk, investor_id, employer_id, site_id, project_id, category, post, firm_kind,
           state, sector, status, stage, ceac_status, outcome)
         SELECT (c.opened_at AT TIME ZONE 'UTC')::date, (c.admitted_at AT TIME ZONE 'UTC')::date,
                (b.submitted_at AT TIME ZONE 'UTC')::date, ca.interview_on, ca.outcome_on,
                CASE WHEN c.admitted_at IS NOT NULL
                     THEN round((extract(epoch FROM c.admitted_at - c.opened_at) / 86400)::numeric, 1) END,
                e.sme,
                EXISTS (SELECT 1 FROM consular_status_events se
                         WHERE se.case_id = c.id AND se.status = 'administrative_processing'),
                w.detained_on IS NOT NULL, b.id IS NOT NULL AND b.desk_status <> 'draft',
                i.id, e.id, s.id, p.id, c.category, ca.post, e.kind, trim(s.state), p.sector, c.status, c.stage,
                ca.ceac_status, ca.outcome
           FROM cases c JOIN organizations e ON e.id = c.organization_id JOIN projects p ON p.id = c.project_id
           JOIN organizations i ON i.id = p.organization_id JOIN sites s ON s.id = p.site_id
           JOIN workers w ON w.id = c.worker_id
           LEFT JOIN consular_applications ca ON ca.case_id = c.id LEFT JOIN batches b ON b.id = c.batch_id
          WHERE c.dependent_id IS NULL
         RETURNING 1)
       SELECT count(*)::int AS n FROM inserted`,
    );
    await tx.query('DELETE FROM console_presence_facts');
    const [presence] = await tx.query<{ n: number }>(
      `WITH inserted AS (
         INSERT INTO console_presence_facts (category, firm_kind, sme, investor_id, employer_id, site_id, site_name,
           state, project_id, sector, admitted_on, admit_until, duration_of_status)
         SELECT en.class_of_admission, e.kind, e.sme, p.organization_id, e.id, s.id, s.name, trim(s.state), p.id,
                p.sector, en.admitted_on, en.admit_until, en.duration_of_status
           FROM entries en JOIN cases c ON c.id = en.case_id JOIN organizations e ON e.id = en.organization_id
           JOIN projects p ON p.id = c.project_id JOIN sites s ON s.id = p.site_id
          WHERE en.departed_on IS NULL AND en.dependent_id IS NULL
         RETURNING 1)
       SELECT count(*)::int AS n FROM inserted`,
    );
    await tx.query('DELETE FROM console_batch_facts');
    await tx.query(
      `INSERT INTO console_batch_facts (desk_status, submitted_on, applicants, investor_id, site_id, state, sector)
       SELECT b.desk_status, (b.submitted_at AT TIME ZONE 'UTC')::date,
              (SELECT count(*) FROM cases c WHERE c.batch_id = b.id), b.organization_id, s.id, trim(s.state), p.sector
         FROM batches b JOIN projects p ON p.id = b.project_id JOIN sites s ON s.id = p.site_id`,
    );
    await tx.query('DELETE FROM console_project_facts');
    await tx.query(
      `INSERT INTO console_project_facts (project_id, project_name, investor_id, investor_name, site_id, state,
         sector, need, admitted, present)
       SELECT p.id, p.name, i.id, i.name, s.id, trim(s.state), p.sector,
              coalesce((SELECT sum(headcount) FROM staffing_plans sp WHERE sp.project_id = p.id), 0),
              (SELECT count(*) FROM cases c WHERE c.project_id = p.id AND c.dependent_id IS NULL
                                              AND c.admitted_at IS NOT NULL),
              (SELECT count(*) FROM entries en JOIN cases c ON c.id = en.case_id
                WHERE c.project_id = p.id AND en.departed_on IS NULL AND en.dependent_id IS NULL)
         FROM projects p JOIN organizations i ON i.id = p.organization_id JOIN sites s ON s.id = p.site_id`,
    );
    // The filter choices, once per rebuild rather than on every summary.
    const [options] = await tx.query<{ options: unknown }>(
      `SELECT json_build_object(
         'categories', coalesce((SELECT array_agg(DISTINCT category ORDER BY category) FROM console_case_facts), '{}'),
         'sites', coalesce((SELECT json_agg(x ORDER BY x.name) FROM (SELECT s.id, s.name, trim(s.state) AS state
                              FROM sites s WHERE s.id IN (SELECT DISTINCT site_id FROM console_case_facts)) x), '[]'),
         'states', coalesce((SELECT array_agg(DISTINCT state ORDER BY state) FROM console_case_facts), '{}'),
         'sectors', coalesce((SELECT array_agg(DISTINCT sector ORDER BY sector) FROM console_case_facts), '{}')
       ) AS options`,
    );
    const tookMs = Date.now() - started;
    await tx.query(
      `INSERT INTO console_refreshes (id, refreshed_at, cases, presence, took_ms, options) VALUES (1, $1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET refreshed_at = $1, cases = $2, presence = $3, took_ms = $4, options = $5`,
      [now.toISOString(), cases!.n, presence!.n, tookMs, JSON.stringify(options!.options)],
    );
    return { refreshedAt: now.toISOString(), cases: cases!.n, presence: presence!.n, tookMs };
  });
}

/** The WHERE clause of the filters on a facts table, with the period on `dateColumn`. */
function where(
  filters: ConsoleFilters,
  dateColumn: string | null,
  columns: { post?: boolean; firm?: boolean; category?: string | false } = {},
): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    parts.push(sql.replace('?', `$${params.length}`));
  };
  if (dateColumn && filters.from) add(`${dateColumn} >= ?::date`, filters.from);
  if (dateColumn && filters.to) add(`${dateColumn} <= ?::date`, filters.to);
  const category = columns.category === undefined ? 'category' : columns.category;
  if (filters.category && category) add(`${category} = ?`, filters.category);
  if (filters.post && columns.post !== false) add('post = ?', filters.post);
  if (filters.firmKind && columns.firm !== false) add('firm_kind = ?', filters.firmKind);
  if (filters.sme && columns.firm !== false) add('sme = ?', filters.sme === 'true');
  if (filters.siteId) add('site_id = ?', filters.siteId);
  if (filters.state) add('state = ?', filters.state);
  if (filters.sector) add('sector = ?', filters.sector);
  return { sql: parts.length ? parts.join(' AND ') : 'true', params };
}

const LEAD_SELECT = `count(lead_days) AS n,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY lead_days) AS median,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY lead_days) AS p90,
  count(*) FILTER (WHERE lead_days < 30) AS within`;

interface LeadAgg {
  n: string | number;
  median: number | null;
  p90: number | null;
  within: string | number;
  [key: string]: unknown;
}

/** Lead-time figures from SQL aggregates, under the small-cell rule (the same rule as `leadTimeFigures`). */
export function leadRow(agg: LeadAgg | undefined, minCell: number): LeadRow {
  const n = Number(agg?.n ?? 0);
  if (!agg || n < minCell)
    return { people: showCount(n, { minCell }), median: null, p90: null, shareWithin: null };
  const round = (x: number | null) => (x === null ? null : Math.round(Number(x) * 10) / 10);
  return {
    people: n,
    median: round(agg.median),
    p90: round(agg.p90),
    shareWithin: Math.round((Number(agg.within) / n) * 1000) / 1000,
  };
}

/**
 * Figures change only when the layer is rebuilt, so a figure for the same filters is computed once per rebuild
 * and shared by every officer (the key holds the rebuild's time). `enabled: false` measures the queries
 * themselves (bench:console reports both).
 */
export const consoleCacheSettings = { enabled: true, max: 500 };

export class ConsoleService {
  private readonly cache = new Map<string, Promise<unknown>>();

  constructor(
    private readonly db: Database,
    private readonly options: ConsoleOptions,
    private readonly ledger: () => QuotaLedger,
  ) {}

  /** `compute` once per rebuild of the layer and set of filters (see `consoleCacheSettings`). */
  async cached<T>(figure: string, filters: ConsoleFilters, compute: () => Promise<T>): Promise<T> {
    if (!consoleCacheSettings.enabled) return compute();
    const [row] = await this.db.query<{ at: string }>(
      `SELECT refreshed_at::text AS at FROM console_refreshes WHERE id = 1`,
    );
    const canonical = Object.entries(filters)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    const key = `${row?.at ?? 'never'}|${figure}|${JSON.stringify(canonical)}`;
    let hit = this.cache.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = compute();
      this.cache.set(key, hit);
      hit.catch(() => this.cache.delete(key));
      if (this.cache.size > consoleCacheSettings.max) this.cache.delete(this.cache.keys().next().value!);
    }
    return hit;
  }

  /**
   * After a rebuild: the figures without filters (every officer's first screen) computed once, in the
   * background, so nobody waits for them.
   */
  warm(): void {
    const none: ConsoleFilters = {};
    void Promise.all([
      this.cached('summary', none, () => this.summary(none)),
      this.cached('lead-times', none, () => this.leadTimes(none)),
      this.cached('outcomes', none, () => this.outcomes(none)),
      this.cached('batches', none, () => this.batches(none)),
      this.cached('presence', none, () => this.presence(none)),
      this.cached('reentry', none, () => this.reentry(none)),
      this.cached('partners', none, () => this.partners(none)),
    ]).catch(() => undefined);
  }

  private get minCell() {
    return this.options.minCell;
  }

  private count(n: number | string): Shown {
    return showCount(Number(n), { minCell: this.minCell });
  }

  private async freshness(filters: ConsoleFilters) {
    const [row] = await this.db.query<{ refreshed_at: Date }>(
      'SELECT refreshed_at FROM console_refreshes WHERE id = 1',
    );
    return { refreshedAt: iso(row?.refreshed_at ?? null), minCell: this.minCell, filters };
  }

  /** Audits a console query or export: who, which figure, which filters (never a person: there is none). */
  async audit(
    ctx: ServiceContext,
    action: 'console.query' | 'console.export',
    figure: string,
    filters: ConsoleFilters,
  ) {
    await recordAudit(this.db, auditContextOf(ctx), {
      action,
      targetType: 'console',
      targetId: null,
      organizationId: ctx.actor.organizationId,
      details: { figure, filters },
    });
  }

  async summary(filters: ConsoleFilters): Promise<Summary> {
    const w = where(filters, 'opened_on');
    const [totals] = await this.db.query<{ cases: string; admitted: string }>(
      `SELECT count(*) AS cases, count(admitted_on) AS admitted FROM console_case_facts WHERE ${w.sql}`,
      w.params,
    );
    const p = where(filters, null, { post: false });
    const [present] = await this.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM console_presence_facts WHERE ${p.sql}`,
      p.params,
    );
    const b = where(filters, 'submitted_on', { post: false, firm: false, category: false });
    const [batches] = await this.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM console_batch_facts WHERE desk_status <> 'draft' AND ${b.sql}`,
      b.params,
    );
    const [row] = await this.db.query<{ options: Partial<Summary['options']> }>(
      'SELECT options FROM console_refreshes WHERE id = 1',
    );
    const options = row?.options ?? {};
    return {
      ...(await this.freshness(filters)),
      totals: {
        cases: this.count(totals!.cases),
        admitted: this.count(totals!.admitted),
        present: this.count(present!.n),
        batches: this.count(batches!.n),
      },
      options: {
        categories: options?.categories ?? [],
        sites: options?.sites ?? [],
        states: options?.states ?? [],
        sectors: options?.sectors ?? [],
      },
    };
  }

  async leadTimes(filters: ConsoleFilters): Promise<z.infer<typeof consoleLeadTimesSchema>> {
    const w = where(filters, 'admitted_on');
    const rows = await this.db.query<LeadAgg & { month: string | null }>(
      `SELECT to_char(admitted_on, 'YYYY-MM') AS month, ${LEAD_SELECT}
         FROM console_case_facts WHERE admitted_on IS NOT NULL AND ${w.sql}
        GROUP BY ROLLUP (to_char(admitted_on, 'YYYY-MM')) ORDER BY 1 NULLS FIRST`,
      w.params,
    );
    const overall = rows.find((r) => r.month === null);
    return {
      ...(await this.freshness(filters)),
      withinDays: 30,
      overall: leadRow(overall, this.minCell),
      months: rows
        .filter((r) => r.month !== null)
        .map((r) => ({ month: r.month!, ...leadRow(r, this.minCell) })),
    };
  }

  async outcomes(filters: ConsoleFilters): Promise<z.infer<typeof consoleOutcomesSchema>> {
    const w = where(filters, 'opened_on');
    // Counts by hashing (no sort of every application); the waiting days' median over desk interviews only.
    const counts = await this.db.query<{
      category: string;
      post: string;
      applications: string;
      issued: string;
      refused: string;
      admin: string;
    }>(
      `SELECT category, post, count(*) AS applications,
              count(*) FILTER (WHERE ceac_status = 'issued') AS issued,
              count(*) FILTER (WHERE ceac_status = 'refused') AS refused,
              count(*) FILTER (WHERE had_221g) AS admin
         FROM console_case_facts WHERE post IS NOT NULL AND ceac_status IS NOT NULL AND ${w.sql}
        GROUP BY category, post ORDER BY category, post`,
      w.params,
    );
    const waits = await this.db.query<{
      category: string;
      post: string;
      wait: number | null;
      waited: string;
    }>(
      `SELECT category, post, percentile_cont(0.5) WITHIN GROUP (ORDER BY interview_on - submitted_on) AS wait,
              count(*) AS waited
         FROM console_case_facts
        WHERE via_desk AND interview_on IS NOT NULL AND submitted_on IS NOT NULL AND post IS NOT NULL
          AND ceac_status IS NOT NULL AND ${w.sql}
        GROUP BY category, post`,
      w.params,
    );
    const rows = counts.map((r) => {
      const wait = waits.find((x) => x.category === r.category && x.post === r.post);
      return { ...r, wait: wait?.wait ?? null, waited: wait?.waited ?? '0' };
    });
    const opts = { minCell: this.minCell };
    // The applications by category and post are siblings: a lone hidden cell hides the next smallest too.
    const shownApps = showBreakdown(
      Object.fromEntries(rows.map((r) => [`${r.category}|${r.post}`, Number(r.applications)])),
      opts,
    );
    return {
      ...(await this.freshness(filters)),
      rows: rows.map((r) => {
        const apps = Number(r.applications);
        const hidden = typeof shownApps[`${r.category}|${r.post}`] === 'string';
        const rate = (part: string) => (hidden ? null : showRate(Number(part), apps, opts));
        const outcomeCounts = showBreakdown(
          { issued: Number(r.issued), refused: Number(r.refused), admin: Number(r.admin) },
          opts,
        );
        return {
          category: r.category,
          post: r.post,
          applications: shownApps[`${r.category}|${r.post}`]!,
          issued: hidden ? `<${this.minCell}` : outcomeCounts.issued,
          refused: hidden ? `<${this.minCell}` : outcomeCounts.refused,
          administrativeProcessing: hidden ? `<${this.minCell}` : outcomeCounts.admin,
          issuanceRate: rate(r.issued),
          refusalRate: rate(r.refused),
          adminProcessingRate: rate(r.admin),
          interviewWaitMedian:
            Number(r.waited) >= this.minCell && r.wait !== null ? Math.round(Number(r.wait) * 10) / 10 : null,
        };
      }),
    };
  }

  async batches(filters: ConsoleFilters): Promise<z.infer<typeof consoleBatchesSchema>> {
    const b = where(filters, 'submitted_on', { post: false, firm: false, category: false });
    const rows = await this.db.query<{ status: string; batches: string; applicants: string }>(
      `SELECT desk_status AS status, count(*) AS batches, sum(applicants) AS applicants
         FROM console_batch_facts WHERE desk_status <> 'draft' AND ${b.sql} GROUP BY desk_status ORDER BY desk_status`,
      b.params,
    );
    const w = where(filters, 'outcome_on');
    const weeks = await this.db.query<{ week: string; n: string }>(
      `SELECT date_trunc('week', outcome_on)::date::text AS week, count(*) AS n
         FROM console_case_facts WHERE via_desk AND outcome_on IS NOT NULL AND ${w.sql}
        GROUP BY 1 ORDER BY 1`,
      w.params,
    );
    // Batches are organizations' submissions, not people: the batch count is shown; applicants follow the rule.
    return {
      ...(await this.freshness(filters)),
      byStatus: rows.map((r) => ({
        status: r.status,
        batches: Number(r.batches),
        applicants: this.count(r.applicants),
      })),
      weeks: weeks.map((r) => ({ week: r.week, decisions: this.count(r.n) })),
    };
  }

  async presence(filters: ConsoleFilters): Promise<z.infer<typeof consolePresenceSchema>> {
    const today = this.options.now().toISOString().slice(0, 10);
    const nearDays = 30;
    const w = where(filters, null, { post: false });
    const sites = await this.db.query<{
      site_id: string;
      site_name: string;
      state: string;
      present: string;
      in_status: string;
      near: string;
      out: string;
    }>(
      `SELECT site_id, site_name, state, count(*) AS present,
              count(*) FILTER (WHERE duration_of_status OR admit_until > $${w.params.length + 1}::date + ${nearDays}) AS in_status,
              count(*) FILTER (WHERE NOT duration_of_status AND admit_until >= $${w.params.length + 1}::date
                                 AND admit_until <= $${w.params.length + 1}::date + ${nearDays}) AS near,
              count(*) FILTER (WHERE NOT duration_of_status AND admit_until < $${w.params.length + 1}::date) AS out
         FROM console_presence_facts WHERE ${w.sql} GROUP BY site_id, site_name, state ORDER BY state, site_name`,
      [...w.params, today],
    );
    const byCategory = await this.db.query<{ category: string; n: string }>(
      `SELECT category, count(*) AS n FROM console_presence_facts WHERE ${w.sql} GROUP BY category ORDER BY category`,
      w.params,
    );
    const p = where(filters, null, { post: false, firm: false, category: false });
    const projects = await this.db.query<{
      project_name: string;
      investor_name: string;
      state: string;
      need: number;
      admitted: number;
      present: number;
    }>(
      `SELECT project_name, investor_name, state, need, admitted, present FROM console_project_facts
        WHERE ${p.sql} ORDER BY investor_name, project_name`,
      p.params,
    );
    const opts = { minCell: this.minCell };
    const cats = showBreakdown(Object.fromEntries(byCategory.map((r) => [r.category, Number(r.n)])), opts);
    return {
      ...(await this.freshness(filters)),
      today,
      nearDays,
      bySite: sites.map((s) => {
        const parts = showBreakdown(
          { inStatus: Number(s.in_status), near: Number(s.near), out: Number(s.out) },
          opts,
        );
        return {
          siteId: s.site_id,
          site: s.site_name,
          state: s.state,
          present: this.count(s.present),
          inStatus: parts.inStatus,
          nearAdmitUntil: parts.near,
          outOfStatus: parts.out,
        };
      }),
      byCategory: byCategory.map((r) => ({ category: r.category, present: cats[r.category]! })),
      projects: projects.map((r) => ({
        project: r.project_name,
        investor: r.investor_name,
        state: r.state,
        need: r.need,
        admitted: this.count(r.admitted),
        present: this.count(r.present),
      })),
    };
  }

  async quota(ctx: ServiceContext, filters: ConsoleFilters): Promise<z.infer<typeof consoleQuotaSchema>> {
    const now = this.options.now();
    const fiscalYear = now.getUTCMonth() >= 9 ? now.getUTCFullYear() + 1 : now.getUTCFullYear();
    const ledger = this.ledger();
    const programs = await ledger.programs(fiscalYear);
    const out: z.infer<typeof consoleQuotaSchema>['programs'] = [];
    for (const item of programs.items) {
      let used = 0;
      let issued = 0;
      let projected: string | null = null;
      try {
        const status = await ledger.status(quotaActorOf(ctx), item.program, fiscalYear);
        used = status.reserved + status.issued;
        issued = status.issued;
        projected = status.projection?.date ?? null;
      } catch {
        // A fiscal year not opened in the ledger has used nothing.
      }
      out.push({
        program: item.program,
        label: item.label,
        legalStatus: item.legalStatus,
        cap: item.cap,
        used: this.count(used),
        issued: this.count(issued),
        share: item.cap ? Math.round((used / item.cap) * 1000) / 1000 : null,
        projectedExhaustion: projected,
        verify: item.verify,
      });
    }
    return { ...(await this.freshness(filters)), fiscalYear, programs: out };
  }

  async reentry(filters: ConsoleFilters): Promise<z.infer<typeof consoleReentrySchema>> {
    const w = where(filters, 'opened_on');
    const rows = await this.db.query<{ category: string | null; cohort: string; returned: string }>(
      `SELECT category, count(*) AS cohort, count(admitted_on) AS returned FROM console_case_facts
        WHERE reentry AND ${w.sql} GROUP BY ROLLUP (category) ORDER BY category NULLS FIRST`,
      w.params,
    );
    const l = where(filters, 'admitted_on');
    const [lead] = await this.db.query<LeadAgg>(
      `SELECT ${LEAD_SELECT} FROM console_case_facts WHERE reentry AND admitted_on IS NOT NULL AND ${l.sql}`,
      l.params,
    );
    const total = rows.find((r) => r.category === null);
    const opts = { minCell: this.minCell };
    const perCategory = rows.filter((r) => r.category !== null);
    const cohorts = showBreakdown(
      Object.fromEntries(perCategory.map((r) => [r.category!, Number(r.cohort)])),
      opts,
    );
    const returned = showBreakdown(
      Object.fromEntries(perCategory.map((r) => [r.category!, Number(r.returned)])),
      opts,
    );
    return {
      ...(await this.freshness(filters)),
      cohort: this.count(total?.cohort ?? 0),
      returned: this.count(total?.returned ?? 0),
      byCategory: perCategory.map((r) => ({
        category: r.category!,
        cohort: cohorts[r.category!]!,
        returned: returned[r.category!]!,
      })),
      leadTimes: leadRow(lead, this.minCell),
    };
  }

  async partners(filters: ConsoleFilters): Promise<z.infer<typeof consolePartnersSchema>> {
    const w = where(filters, 'opened_on', { firm: false });
    const group = `CASE WHEN firm_kind = 'investor' THEN 'investor' WHEN sme THEN 'partner_sme' ELSE 'partner' END`;
    type Group = 'investor' | 'partner' | 'partner_sme';
    // Counts over every case (no sort), lead times over the admitted only (the sort is theirs alone).
    const counts = await this.db.query<{ grp: Group; dispatches: string; admitted: string }>(
      `SELECT ${group} AS grp, count(*) AS dispatches, count(admitted_on) AS admitted
         FROM console_case_facts WHERE ${w.sql} GROUP BY 1 ORDER BY 1`,
      w.params,
    );
    const leads = await this.db.query<LeadAgg & { grp: Group }>(
      `SELECT ${group} AS grp, ${LEAD_SELECT}
         FROM console_case_facts WHERE admitted_on IS NOT NULL AND ${w.sql} GROUP BY 1`,
      w.params,
    );
    const total = counts.reduce((n, r) => n + Number(r.dispatches), 0);
    const opts = { minCell: this.minCell };
    const shown = showBreakdown(Object.fromEntries(counts.map((r) => [r.grp, Number(r.dispatches)])), opts);
    return {
      ...(await this.freshness(filters)),
      groups: counts.map((r) => ({
        group: r.grp,
        dispatches: shown[r.grp]!,
        share: typeof shown[r.grp] === 'string' ? null : showRate(Number(r.dispatches), total, opts),
        admitted: this.count(r.admitted),
        leadTimes: leadRow(
          leads.find((l) => l.grp === r.grp),
          this.minCell,
        ),
      })),
    };
  }
}
