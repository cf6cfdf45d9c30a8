import { randomBytes } from 'node:crypto';
import type { Database } from '../db/database.js';
import type { ServiceContext } from '../services/context.js';
import type { PipelineDeps } from '../services/pipeline/common.js';
import { workflowById } from '../services/pipeline/workflow-bridge.js';
import { addBatchEvent } from '../services/consular/batch-events.js';
import {
  advanceCase,
  DS160_CONTEXT,
  isConsular,
  recordCeacStatus,
  type CaseForMove,
} from '../services/consular/consular.js';
import { recordOutcome } from '../services/desk/desk.js';
import { recordCaseStatus } from '../services/consular/case-consular.js';
import { actorFor } from './demo-actor.js';
import { prng } from '../../core/prng.js';

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The consular side of the demo (issue 17), consistent with the cases the demo moved: every consular case past
 * its visa application has a DS-160 number; a case that reached the interview has its application received
 * (CEAC) and one that went on to travel has its visa issued. The investor's submitted batches went to the KIT
 * Desk: acknowledged when their first case reached the interview, with the outcomes the cases show, closed when
 * every applicant was decided. Then, as the desk and HR would, one applicant is placed in 221(g) administrative
 * processing, one refused under 214(b), and one case outside any batch shows CEAC's administrative processing,
 * so every screen of the government side shows something true.
 */
export async function seedDemoDesk(db: Database, deps: PipelineDeps, realNow: Date): Promise<void> {
  const rnd = prng(20251204);
  const now = realNow.getTime();
  const desk = await actorFor(db, 'consul@kit-desk.example');
  const investor = await actorFor(db, 'admin@hanbit-energy.example');
  const deskLabel = `${desk.displayName} · ${desk.organizationName}`;
  const investorLabel = `${investor.displayName} · ${investor.organizationName}`;
  const cases = await db.query<
    CaseForMove & { batch_id: string | null; events: { to: string; at: string }[] }
  >(
    `SELECT c.id, c.organization_id, c.workflow_id, c.stage, c.status, c.stage_entered_at, c.batch_id,
            (SELECT json_agg(json_build_object('to', e.to_stage, 'at', e.at) ORDER BY e.seq)
               FROM case_events e WHERE e.case_id = c.id) AS events
       FROM cases c ORDER BY c.opened_at, c.id`,
  );
  const batches = await db.query<{
    id: string;
    created_at: Date;
    submitted_at: Date | null;
    annotation_company: string;
    annotation_facility: string;
    annotation_project: string;
  }>(
    `SELECT id, created_at, submitted_at, annotation_company, annotation_facility, annotation_project
       FROM batches ORDER BY created_at, id`,
  );
  const batchById = new Map(batches.map((b) => [b.id, b]));
  const entered = (c: (typeof cases)[number], stage: string) => {
    const e = c.events.find((x) => x.to === stage);
    return e ? Date.parse(e.at) : null;
  };
  const afterInterview = (c: (typeof cases)[number]) => {
    const workflow = workflowById(c.workflow_id);
    const k = workflow.stages.findIndex((s) => s.id === 'consular_interview');
    const next = workflow.stages.slice(k + 1).find((s) => !s.contingent)!;
    return entered(c, next.id);
  };

  await db.transaction(async (tx) => {
    // Batches first: the desk's acknowledgement brings their cases still at submission to the interview.
    for (const b of batches) {
      if (!b.submitted_at) continue;
      const mine = cases.filter((c) => c.batch_id === b.id);
      const interviews = mine
        .map((c) => entered(c, 'consular_interview'))
        .filter((t): t is number => t !== null);
      const submittedAt = new Date(b.submitted_at).getTime();
      const ackAt =
        interviews.length > 0
          ? Math.min(...interviews)
          : submittedAt + 2 * DAY < now - DAY
            ? submittedAt + 2 * DAY
            : null;
      await addBatchEvent(tx, b.id, {
        kind: 'created',
        side: 'employer',
        at: new Date(b.created_at),
        userId: investor.userId,
        label: investorLabel,
        details: { cases: mine.length },
      });
      await addBatchEvent(tx, b.id, {
        kind: 'submitted',
        side: 'employer',
        at: new Date(submittedAt),
        userId: investor.userId,
        label: investorLabel,
        details: { desk: desk.organizationName, cases: mine.length, resubmitted: false },
      });
      await tx.query(
        `UPDATE batches SET desk_organization_id = $2, desk_status = 'submitted', status_changed_at = submitted_at
          WHERE id = $1`,
        [b.id, desk.organizationId],
      );
      if (ackAt === null) continue;
      await tx.query(
        `UPDATE batches SET desk_status = 'acknowledged', acknowledged_at = $2, status_changed_at = $2 WHERE id = $1`,
        [b.id, new Date(ackAt).toISOString()],
      );
      await addBatchEvent(tx, b.id, {
        kind: 'acknowledged',
        side: 'desk',
        at: new Date(ackAt),
        userId: desk.userId,
        label: deskLabel,
        details: { applicants: mine.length },
      });
      for (const c of mine.filter((c) => c.status === 'open' && c.stage === 'desk_submission')) {
        await advanceCase(tx, c, 'consular_interview', new Date(ackAt), {
          userId: desk.userId,
          label: desk.email,
          comment: `Acknowledged by ${desk.organizationName}`,
        });
        c.stage = 'consular_interview';
        c.events.push({ to: 'consular_interview', at: new Date(ackAt).toISOString() });
      }
    }

    // Every consular case: the DS-160 number, the CEAC status, and for batch cases the desk's outcome.
    for (const c of cases) {
      const workflow = workflowById(c.workflow_id);
      if (!isConsular(workflow)) continue;
      const applied = c.events.length > 1;
      const interviewAt = entered(c, 'consular_interview');
      const issuedAt = afterInterview(c);
      if (!applied && interviewAt === null) continue;
      const ds160 = `AA00${randomBytes(3).toString('hex').toUpperCase()}`;
      const batch = c.batch_id ? batchById.get(c.batch_id) : undefined;
      const viaDesk = !!batch?.submitted_at && interviewAt !== null;
      await tx.query(
        `INSERT INTO consular_applications (case_id, organization_id, ds160_enc, ds160_last4, post, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          c.id,
          c.organization_id,
          deps.cipher.encrypt(ds160, DS160_CONTEXT),
          ds160.slice(-4),
          rnd() < 0.92 || viaDesk ? 'seoul' : 'other',
          realNow.toISOString(),
        ],
      );
      const who = viaDesk
        ? { userId: desk.userId, label: deskLabel, side: 'desk' as const }
        : { userId: investor.userId, label: investorLabel, side: 'employer' as const };
      if (interviewAt !== null)
        await recordCeacStatus(tx, c.id, c.organization_id, {
          status: 'application_received',
          on: isoDay(interviewAt),
          at: new Date(interviewAt),
          ...who,
        });
      if (issuedAt !== null) {
        await recordCeacStatus(tx, c.id, c.organization_id, {
          status: 'issued',
          on: isoDay(issuedAt),
          at: new Date(issuedAt),
          ...who,
        });
        if (viaDesk) {
          const annotation = {
            company: batch.annotation_company,
            facility: batch.annotation_facility,
            project: batch.annotation_project,
          };
          await tx.query(
            `UPDATE consular_applications SET desk_organization_id = $2, interview_on = $3, outcome = 'issued',
                    outcome_on = $3, annotation = $4, valid_until = $5 WHERE case_id = $1`,
            [
              c.id,
              desk.organizationId,
              isoDay(issuedAt),
              JSON.stringify(annotation),
              isoDay(issuedAt + 3652 * DAY),
            ],
          );
          await addBatchEvent(tx, batch.id, {
            kind: 'outcome',
            side: 'desk',
            at: new Date(issuedAt),
            userId: desk.userId,
            label: deskLabel,
            caseId: c.id,
            details: {
              outcome: 'issued',
              on: isoDay(issuedAt),
              annotation,
              validUntil: isoDay(issuedAt + 3652 * DAY),
            },
          });
        }
      } else if (viaDesk && c.status === 'open' && rnd() < 0.7) {
        // Interviews booked in the coming days for most applicants still waiting.
        await tx.query(
          'UPDATE consular_applications SET desk_organization_id = $2, interview_on = $3 WHERE case_id = $1',
          [c.id, desk.organizationId, isoDay(now + (1 + Math.floor(rnd() * 9)) * DAY)],
        );
      }
    }

    // A batch whose applicants were all decided (or whose cases closed) is closed.
    await tx.query(
      `UPDATE batches b SET desk_status = 'closed', closed_at = x.last, status_changed_at = x.last
         FROM (SELECT c.batch_id, max(coalesce(ca.outcome_on::timestamptz, c.closed_at, c.stage_entered_at)) AS last,
                      bool_and(c.status <> 'open' OR coalesce(ca.outcome IN ('issued', 'refused_214b', 'withdrawn'), false)) AS done
                 FROM cases c LEFT JOIN consular_applications ca ON ca.case_id = c.id
                WHERE c.batch_id IS NOT NULL GROUP BY c.batch_id) x
        WHERE b.id = x.batch_id AND x.done AND b.desk_status = 'acknowledged'`,
    );
    const closed = await tx.query<{ id: string; closed_at: Date }>(
      `SELECT id, closed_at FROM batches WHERE desk_status = 'closed' ORDER BY id`,
    );
    for (const b of closed)
      await addBatchEvent(tx, b.id, {
        kind: 'closed',
        side: 'system',
        at: new Date(b.closed_at),
        userId: null,
        label: 'KORUS Mobility',
        details: { retentionDays: 90 },
      });
  });

  // Decisions the desk recorded recently: one applicant in 221(g) administrative processing, one refused under
  // 214(b), through the desk's own service (history, stages, notifications to HR, audit).
  const waiting = await db.query<{ id: string; batch_id: string }>(
    `SELECT c.id, c.batch_id FROM cases c JOIN batches b ON b.id = c.batch_id
      WHERE b.desk_status = 'acknowledged' AND c.status = 'open' AND c.stage = 'consular_interview'
      ORDER BY c.stage_entered_at, c.id LIMIT 2`,
  );
  const deskCtx: ServiceContext = { db, actor: desk, requestId: 'seed-demo-desk' };
  const at: PipelineDeps = { ...deps, now: () => realNow };
  const [held, refused] = waiting;
  if (held)
    await recordOutcome(deskCtx, at, held.batch_id, {
      caseId: held.id,
      outcome: 'administrative_processing',
      on: isoDay(now - 12 * DAY),
      reason: 'Proof of the sale contract with the seller-service clause, and the training plan',
      followUpOn: isoDay(now + 18 * DAY),
    });
  if (refused)
    await recordOutcome(deskCtx, at, refused.batch_id, {
      caseId: refused.id,
      outcome: 'refused_214b',
      on: isoDay(now - 5 * DAY),
      reason: 'Did not show that the intended activities are permissible business activities',
    });

  // A case outside any batch whose applicant's CEAC page shows administrative processing, entered by HR.
  const [solo] = await db.query<{ id: string; email: string }>(
    `SELECT c.id, u.email FROM cases c JOIN users u ON u.organization_id = c.organization_id AND u.role = 'admin'
      WHERE c.batch_id IS NULL AND c.status = 'open' AND c.stage = 'consular_interview'
      ORDER BY c.stage_entered_at, c.id LIMIT 1`,
  );
  if (solo) {
    const hr = await actorFor(db, solo.email);
    await recordCaseStatus({ db, actor: hr, requestId: 'seed-demo-desk' }, at, solo.id, {
      status: 'administrative_processing',
      on: isoDay(now - 9 * DAY),
      note: 'Refused under 221(g): the consulate asked for the employer letter again, signed',
    });
  }
}
