import { createHash } from 'node:crypto';
import type { z } from 'zod';
import {
  investmentInputSchema,
  jobsInputSchema,
  trainingSessionInputSchema,
} from '../../../contract/contribution.js';
import {
  readSessionRows,
  type LedgerImportKind,
  type RowProblem,
  type SessionColumn,
} from '../../../core/contribution/session-import.js';
import { recordAudit } from '../../audit/audit.js';
import { ApiError } from '../../http/problem.js';
import { actorLabel, auditContextOf, type ServiceContext } from '../context.js';
import type { PipelineDeps } from '../pipeline/common.js';
import { FileReadError, readTable } from '../imports/read.js';
import {
  insertInvestment,
  insertSession,
  organizationOf,
  projectScope,
  quarterStart,
  upsertJobs,
} from './ledger.js';

/**
 * Bulk import of ledger entries (issue 20, item 1) with the import pipeline's rules: training sessions, investments
 * or US jobs from a CSV (UTF-8 or CP949) or XLSX file; the first sheet; every row checked (the project by its code
 * among the firm's projects; for sessions the trainer by name among the firm's workers and the plan by title; then
 * the contract's checks) and every problem reported with its row and column in both languages; a dry run writes
 * nothing; a real run writes every row or none, in one transaction, with one audit event (`contribution.import`:
 * kind, rows, file digest).
 */
export interface SessionImportResult {
  dryRun: boolean;
  rows: number;
  created: number;
  errors: RowProblem[];
}

const norm = (s: string) => s.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');

export async function importLedger(
  ctx: ServiceContext,
  deps: Pick<PipelineDeps, 'cipher' | 'now'>,
  kind: LedgerImportKind,
  file: { bytes: Buffer; fileName: string },
  dryRun: boolean,
): Promise<SessionImportResult> {
  const organizationId = organizationOf(ctx.actor);
  let table;
  try {
    table = await readTable(file.bytes);
  } catch (error) {
    if (error instanceof FileReadError) throw new ApiError('import.unreadable', { detail: error.messages });
    throw error;
  }
  const sheet = table.sheets[0];
  const parsed = readSessionRows(sheet?.rows ?? [], kind);
  const errors: RowProblem[] = [...parsed.problems];
  const scope = projectScope(ctx.actor, 'p', 1);
  const projects = await ctx.db.query<{ id: string; code: string }>(`SELECT p.id, p.code FROM projects p WHERE ${scope.sql}`, scope.params); // prettier-ignore
  const workers = await ctx.db.query<{ id: string; hangul: string; roman: string }>(
    `SELECT id, name_hangul AS hangul, family_name || ' ' || given_name AS roman FROM workers WHERE organization_id = $1`,
    [organizationId],
  );
  const plans = await ctx.db.query<{ id: string; project_id: string; title: string }>(
    'SELECT id, project_id, title FROM training_plans WHERE organization_id = $1',
    [organizationId],
  );
  const problem = (row: number, header: string | undefined, value: unknown, en: string, ko: string) =>
    errors.push({ row, column: header ?? '', value: String(value ?? ''), message: { en, ko } });
  const inputs: { row: number; input: ReturnType<typeof trainingSessionInputSchema.parse> }[] = [];
  const others: (z.output<typeof investmentInputSchema> | z.output<typeof jobsInputSchema>)[] = [];
  for (const r of parsed.rows) {
    const c = r.cells;
    const text = (k: SessionColumn) => (c[k] === undefined || c[k] === '' ? undefined : String(c[k]));
    const projectMatches = projects.filter((p) => norm(p.code) === norm(text('project') ?? ''));
    if (projectMatches.length !== 1) {
      problem(r.row, r.headers.project, c.project, projectMatches.length ? 'Two projects have this code: ask your administrator.' : 'No project of yours has this code.', projectMatches.length ? '이 코드의 프로젝트가 둘 이상입니다. 관리자에게 문의하세요.' : '귀사 프로젝트 중 이 코드가 없습니다.'); // prettier-ignore
      continue;
    }
    const today = (deps.now?.() ?? new Date()).toISOString().slice(0, 10);
    if (kind !== 'sessions') {
      const candidate =
        kind === 'investments'
          ? { projectId: projectMatches[0]!.id, kind: investmentKindOf(text('kind')), amountUsd: Number(c.amount), onDate: text('date'), source: text('source') } // prettier-ignore
          : { projectId: projectMatches[0]!.id, quarter: text('quarter'), committed: Number(c.committed), created: Number(c.created), source: text('source') }; // prettier-ignore
      const checked = (kind === 'investments' ? investmentInputSchema : jobsInputSchema).safeParse(candidate);
      if (!checked.success) {
        const columnOf: Record<string, SessionColumn> = { kind: 'kind', amountUsd: 'amount', onDate: 'date', source: 'source', quarter: 'quarter', committed: 'committed', created: 'created' }; // prettier-ignore
        for (const issue of checked.error.issues) {
          const col = columnOf[String(issue.path[0])];
          problem(r.row, col ? r.headers[col] : '', col ? c[col] : '', issue.message, issueKo(issue.message));
        }
        continue;
      }
      const day = 'onDate' in checked.data ? checked.data.onDate : quarterStart(checked.data.quarter);
      if (day > today) {
        problem(r.row, kind === 'investments' ? r.headers.date : r.headers.quarter, kind === 'investments' ? c.date : c.quarter, 'is in the future: the ledger records what happened', '미래 날짜입니다. 원장에는 일어난 일만 기록합니다'); // prettier-ignore
        continue;
      }
      others.push(checked.data);
      continue;
    }
    const who = norm(text('trainer') ?? '');
    const trainers = workers.filter((w) => norm(w.hangul) === who || norm(w.roman) === who || w.id === who);
    if (trainers.length !== 1) {
      problem(r.row, r.headers.trainer, c.trainer, trainers.length ? 'Two of your workers have this name: give the worker’s id instead.' : 'None of your workers has this name (Hangul or FAMILY GIVEN).', trainers.length ? '같은 이름의 근로자가 둘 이상입니다. 근로자 ID를 적어 주세요.' : '이 이름(한글 또는 영문 성 이름)의 귀사 근로자가 없습니다.'); // prettier-ignore
      continue;
    }
    let planId: string | undefined;
    if (text('plan')) {
      const plan = plans.find(
        (p) => p.project_id === projectMatches[0]!.id && norm(p.title) === norm(text('plan')!),
      );
      if (!plan) {
        problem(r.row, r.headers.plan, c.plan, 'No training plan of yours on this project has this title.', '이 프로젝트에 이 제목의 귀사 교육 계획이 없습니다.'); // prettier-ignore
        continue;
      }
      planId = plan.id;
    }
    const candidate = {
      projectId: projectMatches[0]!.id,
      trainerWorkerId: trainers[0]!.id,
      ...(planId ? { planId } : {}),
      heldOn: text('date'),
      hours: Number(c.hours),
      topic: text('topic'),
      ...(text('equipment') ? { equipment: text('equipment') } : {}),
      place: text('place'),
      trainees: Number(c.trainees),
      certified: c.certified === undefined || c.certified === '' ? 0 : Number(c.certified),
      ...(text('skill') ? { skill: text('skill') } : {}),
    };
    const checked = trainingSessionInputSchema.safeParse(candidate);
    if (!checked.success) {
      const columnOf: Record<string, SessionColumn> = { heldOn: 'date', hours: 'hours', topic: 'topic', equipment: 'equipment', place: 'place', trainees: 'trainees', certified: 'certified', skill: 'skill' }; // prettier-ignore
      for (const issue of checked.error.issues) {
        const col = columnOf[String(issue.path[0])];
        problem(r.row, col ? r.headers[col] : '', col ? c[col] : '', issue.message, issueKo(issue.message));
      }
      continue;
    }
    if (checked.data.heldOn > (deps.now?.() ?? new Date()).toISOString().slice(0, 10)) {
      problem(r.row, r.headers.date, c.date, 'is in the future: the ledger records what happened', '미래 날짜입니다. 원장에는 일어난 일만 기록합니다'); // prettier-ignore
      continue;
    }
    inputs.push({ row: r.row, input: checked.data });
  }
  if (parsed.rows.length === 0 && errors.length === 0)
    problem(1, '', '', 'The file has no row to import.', '가져올 행이 없습니다.');
  if (errors.length || dryRun) return { dryRun, rows: parsed.rows.length, created: 0, errors };
  const digest = createHash('sha256').update(file.bytes).digest('hex');
  const now = deps.now?.() ?? new Date();
  await ctx.db.transaction(async (tx) => {
    for (const { input } of inputs)
      await insertSession(tx, deps, ctx.actor, { organizationId, recordedBy: actorLabel(ctx), input });
    for (const input of others)
      if ('amountUsd' in input) await insertInvestment(tx, organizationId, actorLabel(ctx), input, now);
      else await upsertJobs(tx, organizationId, actorLabel(ctx), input, now);
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'contribution.import',
      targetType: 'contribution_ledger',
      targetId: null,
      organizationId,
      details: { kind, rows: inputs.length + others.length, fileName: file.fileName, sha256: digest },
    });
  });
  return { dryRun, rows: parsed.rows.length, created: inputs.length + others.length, errors: [] };
}

/** committed / disbursed, in English or Korean; anything else stays as written (and the contract refuses it). */
function investmentKindOf(value: string | undefined): string | undefined {
  const v = norm(value ?? '');
  if (['committed', '약정'].includes(v)) return 'committed';
  if (['disbursed', '집행', 'spent'].includes(v)) return 'disbursed';
  return value;
}

/** Korean for the contract's messages a spreadsheet row can meet (the rest keep their English). */
function issueKo(en: string): string {
  const known: Record<string, string> = {
    'cannot exceed the trainees': '교육생 수를 넘을 수 없습니다',
    'must be a real calendar date in the form YYYY-MM-DD': 'YYYY-MM-DD 형식의 실제 날짜여야 합니다',
  };
  if (known[en]) return known[en];
  if (/expected number|Invalid input: expected number/i.test(en)) return '숫자여야 합니다';
  if (/Too big|too_big|less than or equal/i.test(en)) return '허용 범위를 넘습니다';
  if (/Too small|greater than/i.test(en)) return '허용 범위보다 작습니다';
  if (/multiple of/i.test(en)) return '0.25시간 단위여야 합니다';
  return `값을 확인하세요 (${en})`;
}
