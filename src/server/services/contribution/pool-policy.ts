import type { z } from 'zod';
import type { PoolPolicyView, poolPolicyInputSchema } from '../../../contract/contribution.js';
import type { ParameterValue } from '../../../contract/rules-catalog.js';
import { derivePoolPolicy, type InvestorInput } from '../../../core/contribution/pool-policy.js';
import { fiscalYearOf } from '../../../core/dates/fiscal-year.js';
import { quotaProgramFor, splitIntoPools, type PoolPolicy } from '../../../core/quota/programs.js';
import type { ParameterDefinition, ParameterSet } from '../../../core/rules/parameters.js';
import { recordAudit } from '../../audit/audit.js';
import type { Database } from '../../db/database.js';
import { ApiError } from '../../http/problem.js';
import { actorLabel, auditContextOf, iso, type ServiceContext } from '../context.js';
import { fieldError } from '../pipeline/common.js';
import { parameterCatalogue, type QuotaCatalogue } from '../quota.js';
import { projectSums } from './indicators.js';

/**
 * Visas in proportion (issue 20, item 3). A working group computes a pool policy from the ledger as of a cut-off
 * date (a draft: version, parameters, every investor's inputs and share, the pools and their whole numbers), then
 * publishes it for an effective date. A published policy becomes a dated value of the program's pool policy
 * (`policy/quota/e4-pools`) in the quota ledger's catalogue, and the ledger applies it through its existing,
 * audited pool-change path (decision 032: shares over the whole cap from the date, nothing reserved moves, a pool
 * never shrinks below what it holds). Pools once published are kept (at share 0) in later versions, never dropped.
 */
const POLICY_PARAMETER = 'policy/quota/e4-pools';

interface PolicyRow {
  id: string;
  program: string;
  version: number;
  effective: string;
  parameters: PoolPolicyView['parameters'];
  inputs: PoolPolicyView['inputs'];
  pools: PoolPolicy[];
  status: 'draft' | 'published';
  created_by_label: string;
  created_at: Date;
  published_at: Date | null;
  published_by_label: string | null;
  [key: string]: unknown;
}

function viewOf(r: PolicyRow, parameters: ParameterSet): PoolPolicyView {
  const effective = String(r.effective).slice(0, 10);
  const fiscalYear = fiscalYearOf(effective);
  const cap = quotaProgramFor(parameters, 'E4', fiscalYear)?.cap ?? null;
  return {
    id: r.id,
    program: r.program,
    version: r.version,
    effective,
    status: r.status,
    parameters: r.parameters,
    inputs: r.inputs,
    pools: r.pools.map((p) => ({ name: p.name, share: p.share, ...(p.label ? { label: p.label } : {}) })),
    numbers:
      cap === null ? [] : splitIntoPools(cap, fiscalYear, r.pools).map((p) => ({ name: p.name, cap: p.cap })),
    cap,
    fiscalYear,
    createdAt: iso(r.created_at)!,
    createdBy: r.created_by_label,
    publishedAt: iso(r.published_at),
    publishedBy: r.published_by_label,
  };
}

const SELECT = `SELECT id, program, version, effective::text, parameters, inputs, pools, status, created_by_label,
  created_at, published_at, published_by_label FROM contribution_pool_policies`;

export async function listPolicies(ctx: ServiceContext, parameters: ParameterSet): Promise<PoolPolicyView[]> {
  const rows = await ctx.db.query<PolicyRow>(`${SELECT} ORDER BY version DESC LIMIT 50`);
  return rows.map((r) => viewOf(r, parameters));
}

/** Every investor's disbursed money and trainee-hours (its partners' sessions on its projects included). */
export async function investorInputs(db: Database, cutoff: string): Promise<InvestorInput[]> {
  const projects = await db.query<{ id: string; organization_id: string; name: string }>(
    `SELECT p.id, p.organization_id, o.name FROM projects p JOIN organizations o ON o.id = p.organization_id
      WHERE o.kind = 'investor'`,
  );
  const sums = await projectSums(db, null, null, cutoff);
  const byInvestor = new Map<string, InvestorInput>();
  for (const p of projects) {
    const s = sums.get(p.id);
    const i = byInvestor.get(p.organization_id) ?? { organizationId: p.organization_id, name: p.name, disbursedUsd: 0, traineeHours: 0 }; // prettier-ignore
    if (s) {
      i.disbursedUsd += s.disbursedUsd;
      i.traineeHours += s.traineeHours;
    }
    byInvestor.set(p.organization_id, i);
  }
  return [...byInvestor.values()];
}

export async function computePolicy(
  ctx: ServiceContext,
  parameters: ParameterSet,
  input: z.output<typeof poolPolicyInputSchema>,
  now: Date,
): Promise<PoolPolicyView> {
  if (input.cutoff > now.toISOString().slice(0, 10))
    throw new ApiError('request.invalid', {
      errors: [fieldError('cutoff', 'is in the future: the ledger is read up to a day that has passed', '미래 날짜입니다. 지난 날짜까지의 원장만 읽습니다')], // prettier-ignore
    });
  const investors = await investorInputs(ctx.db, input.cutoff);
  return ctx.db.transaction(async (tx) => {
    // Versions are numbered in order: one writer at a time.
    await tx.query('LOCK TABLE contribution_pool_policies IN SHARE ROW EXCLUSIVE MODE');
    const published = await tx.query<{ pools: PoolPolicy[] }>(
      `SELECT pools FROM contribution_pool_policies WHERE program = $1 AND status = 'published'`,
      [input.program],
    );
    const keep = [...new Set(published.flatMap((p) => p.pools.map((x) => x.name)))];
    const derived = derivePoolPolicy({ investmentWeight: input.investmentWeight, smeShare: input.smeShare, generalShare: input.generalShare }, investors, keep); // prettier-ignore
    const [{ next }] = (await tx.query<{ next: number }>(
      'SELECT coalesce(max(version), 0) + 1 AS next FROM contribution_pool_policies WHERE program = $1',
      [input.program],
    )) as [{ next: number }];
    const parametersJson = { cutoff: input.cutoff, investmentWeight: input.investmentWeight, smeShare: input.smeShare, generalShare: input.generalShare }; // prettier-ignore
    const [row] = await tx.query<PolicyRow>(
      `INSERT INTO contribution_pool_policies (program, version, effective, parameters, inputs, pools, status,
         created_by_label, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8)
       RETURNING id, program, version, effective::text, parameters, inputs, pools, status, created_by_label, created_at,
                 published_at, published_by_label`,
      [input.program, next, input.effective, JSON.stringify(parametersJson), JSON.stringify(derived.investors), JSON.stringify(derived.pools), actorLabel(ctx), now.toISOString()], // prettier-ignore
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'contribution.policy_draft',
      targetType: 'pool_policy',
      targetId: row!.id,
      organizationId: ctx.actor.organizationId,
      details: { version: next, effective: input.effective, ...parametersJson, pools: derived.pools.map((p) => [p.name, p.share]) }, // prettier-ignore
    });
    return viewOf(row!, parameters);
  });
}

export async function publishPolicy(
  ctx: ServiceContext,
  parameters: ParameterSet,
  id: string,
  now: Date,
  published: PublishedPoolPolicies,
): Promise<PoolPolicyView> {
  const view = await ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<PolicyRow>(`${SELECT} WHERE id = $1 FOR UPDATE`, [id]);
    if (!row) throw new ApiError('resource.not_found');
    if (row.status === 'published') throw new ApiError('request.invalid', { errors: [fieldError('id', 'is already published', '이미 공표되었습니다')] }); // prettier-ignore
    if (String(row.effective).slice(0, 10) < now.toISOString().slice(0, 10))
      throw new ApiError('request.invalid', {
        errors: [fieldError('effective', 'has passed: compute a new version with a date from today', '이미 지난 날짜입니다. 오늘 이후 날짜로 새 버전을 산정하세요')], // prettier-ignore
      });
    const [clash] = await tx.query<{ version: number }>(
      `SELECT version FROM contribution_pool_policies WHERE program = $1 AND effective = $2 AND status = 'published'`,
      [row.program, row.effective],
    );
    if (clash)
      throw new ApiError('request.invalid', {
        errors: [fieldError('effective', `version ${clash.version} is already published for this date`, `이 날짜에는 이미 ${clash.version}번 버전이 공표되었습니다`)], // prettier-ignore
      });
    const [updated] = await tx.query<PolicyRow>(
      `UPDATE contribution_pool_policies SET status = 'published', published_at = $2, published_by_label = $3
        WHERE id = $1
       RETURNING id, program, version, effective::text, parameters, inputs, pools, status, created_by_label, created_at,
                 published_at, published_by_label`,
      [id, now.toISOString(), actorLabel(ctx)],
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'contribution.policy_publish',
      targetType: 'pool_policy',
      targetId: id,
      organizationId: ctx.actor.organizationId,
      details: { version: row.version, effective: String(row.effective).slice(0, 10), parameter: POLICY_PARAMETER, pools: row.pools.map((p) => [p.name, p.share]) }, // prettier-ignore
    });
    return viewOf(updated!, parameters);
  });
  await published.refresh(ctx.db);
  return view;
}

/**
 * The quota ledger's catalogue with the published contribution policies as dated values of the pool policy
 * parameter. One per server, shared by the ledgers; refreshed when a policy is published here and, for policies
 * published by another server, every `refreshSeconds` (and before the first use).
 */
export class PublishedPoolPolicies {
  private inner: QuotaCatalogue;
  private loaded = 0;

  constructor(
    private readonly base: ParameterSet,
    private readonly refreshMs = 60_000,
  ) {
    this.inner = parameterCatalogue(base);
  }

  async refresh(db: Database): Promise<void> {
    const rows = await db.query<{ effective: string; version: number; pools: PoolPolicy[] }>(
      `SELECT effective::text, version, pools FROM contribution_pool_policies
        WHERE program = 'E4' AND status = 'published' ORDER BY effective`,
    );
    this.inner = parameterCatalogue(withPublished(this.base, rows));
    this.loaded = Date.now();
  }

  /** Refreshes when stale; errors (a database not migrated yet) leave the last catalogue in force. */
  async ensureFresh(db: Database): Promise<void> {
    if (Date.now() - this.loaded < this.refreshMs) return;
    await this.refresh(db).catch(() => undefined);
  }

  catalogue(): QuotaCatalogue {
    return {
      program: (code, fiscalYear) => this.inner.program(code, fiscalYear),
      reservationExpiryDays: (asOf) => this.inner.reservationExpiryDays(asOf),
      poolChanges: (code, fiscalYear) => this.inner.poolChanges?.(code, fiscalYear) ?? [],
    };
  }
}

/** The parameter set with the published policies added to the pool policy's dated values (a copy). */
export function withPublished(
  base: ParameterSet,
  rows: readonly { effective: string; version: number; pools: PoolPolicy[] }[],
): ParameterSet {
  const definition = base.parameters.get(POLICY_PARAMETER);
  if (!definition || rows.length === 0) return base;
  const added = rows.map((r) => ({
    effective: String(r.effective).slice(0, 10),
    value: { pools: r.pools } as unknown as ParameterValue,
    reference: [{ title: `Contribution pool policy, version ${r.version} (KORUS Mobility contribution ledger)`, href: 'docs/contribution.md' }], // prettier-ignore
  }));
  const dates = new Set(added.map((a) => a.effective));
  const values = [...definition.values.filter((v) => !dates.has(v.effective)), ...added].sort((a, b) =>
    a.effective.localeCompare(b.effective),
  );
  const parameters = new Map(base.parameters);
  parameters.set(POLICY_PARAMETER, { ...definition, values } as ParameterDefinition);
  return { ...base, parameters };
}

const byOptions = new WeakMap<object, PublishedPoolPolicies>();

/** The server's one set of published policies (keyed by its options object), for every ledger it makes. */
export function publishedPoolPolicies(options: {
  rules: { parameters: ParameterSet };
}): PublishedPoolPolicies {
  let found = byOptions.get(options);
  if (!found) byOptions.set(options, (found = new PublishedPoolPolicies(options.rules.parameters)));
  return found;
}
