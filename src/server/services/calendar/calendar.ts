import { recordAudit } from '../../audit/audit.js';
import { newSecret, sha256 } from '../../auth/secrets.js';
import type { Database } from '../../db/database.js';
import type { Actor } from '../../policies/capabilities.js';
import { auditContextOf, iso, type ServiceContext } from '../context.js';
import { caseScope, workerScope } from '../pipeline/scope.js';
import { currentStageTarget, stageOf, workflowById } from '../pipeline/workflow-bridge.js';
import type { CasePlan } from '../../../contract/workflow.js';
import { noticeOfStage } from '../uscis/stages.js';

/**
 * A calendar feed per user (issue 18, item 5): the deadlines the user's cases carry, in iCalendar, behind a secret
 * URL a calendar application polls. What it lists is what the user sees in the app (the pipeline's scope): the
 * target date of each open case's current stage and of its admission, consular interviews and 221(g) follow-ups,
 * and the admit-until dates of the people present. The secret is shown once; only its hash is kept; a new one
 * revokes the old; revoking ends the feed.
 */
const CALENDAR_PREFIX = 'kcal_';

export async function calendarStatus(
  ctx: ServiceContext,
): Promise<{ active: boolean; createdAt: string | null }> {
  const [row] = await ctx.db.query<{ created_at: Date }>(
    'SELECT created_at FROM calendar_feeds WHERE user_id = $1 AND revoked_at IS NULL',
    [ctx.actor.userId],
  );
  return { active: !!row, createdAt: iso(row?.created_at ?? null) };
}

/** A new secret URL (the previous one stops working). */
export async function createCalendar(
  ctx: ServiceContext,
  publicBase: string,
  now: Date,
): Promise<{ url: string; createdAt: string }> {
  const token = newSecret(CALENDAR_PREFIX);
  await ctx.db.transaction(async (tx) => {
    await tx.query('UPDATE calendar_feeds SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL', [
      ctx.actor.userId,
      now.toISOString(),
    ]);
    await tx.query('INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3)', [
      ctx.actor.userId,
      sha256(token),
      now.toISOString(),
    ]);
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'calendar.create',
      targetType: 'user',
      targetId: ctx.actor.userId,
      organizationId: ctx.actor.organizationId,
    });
  });
  return { url: `${publicBase}/calendar/${token}.ics`, createdAt: now.toISOString() };
}

export async function revokeCalendar(ctx: ServiceContext, now: Date): Promise<{ active: false }> {
  await ctx.db.transaction(async (tx) => {
    const revoked = await tx.query(
      'UPDATE calendar_feeds SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL RETURNING id',
      [ctx.actor.userId, now.toISOString()],
    );
    if (revoked.length)
      await recordAudit(tx, auditContextOf(ctx), {
        action: 'calendar.revoke',
        targetType: 'user',
        targetId: ctx.actor.userId,
        organizationId: ctx.actor.organizationId,
      });
  });
  return { active: false };
}

interface FeedEvent {
  uid: string;
  date: string; // YYYY-MM-DD, an all-day event
  summary: string;
  description: string;
  url: string | null;
}

/** The user's deadlines, as of `now`, from 30 days back to a year ahead. */
export async function calendarEvents(
  db: Database,
  actor: Actor,
  publicBase: string,
  now: Date,
): Promise<FeedEvent[]> {
  const from = new Date(now.getTime() - 30 * 86_400_000).toISOString().slice(0, 10);
  const to = new Date(now.getTime() + 366 * 86_400_000).toISOString().slice(0, 10);
  const cases = caseScope(actor, 'c', 3);
  const rows = await db.query<{
    id: string;
    workflow_id: string;
    stage: string;
    plan: { stages: { id: string; targetDate: string }[] };
    target_date: string;
    name: string;
    hangul: string;
    category: string;
    interview_on: string | null;
    follow_up_on: string | null;
    stage_entered_at: Date;
    stage_due_on: string | null;
  }>(
    `SELECT c.id, c.workflow_id, c.stage, c.plan, c.target_date::text, w.family_name || ' ' || w.given_name AS name,
            w.name_hangul AS hangul, c.category, ca.interview_on::text, ca.follow_up_on::text, c.stage_entered_at,
            CASE WHEN c.stage_due_for = c.stage THEN c.stage_due_on::text END AS stage_due_on
       FROM cases c JOIN workers w ON w.id = c.worker_id LEFT JOIN consular_applications ca ON ca.case_id = c.id
      WHERE c.status = 'open' AND c.target_date BETWEEN $1::date AND $2::date AND ${cases.sql}
      ORDER BY c.target_date, c.id LIMIT 2000`,
    [from, to, ...cases.params],
  );
  const events: FeedEvent[] = [];
  const link = (id: string) => (publicBase ? `${publicBase}/cases/${id}` : null);
  for (const r of rows) {
    const who = `${r.hangul} ${r.name}`;
    const stage = stageOf(workflowById(r.workflow_id), r.stage).title;
    const due = currentStageTarget(r.plan as CasePlan, {
      workflowId: r.workflow_id,
      stage: r.stage,
      stageEnteredAt: r.stage_entered_at,
      stageDueOn: r.stage_due_on,
    });
    const notice = r.stage_due_on ? noticeOfStage(r.stage) : null;
    if (due && due >= from && due <= to)
      events.push(
        notice
          ? {
              uid: `response-${r.id}-${r.stage}`,
              date: due,
              summary: `${who}: USCIS ${notice.toUpperCase()} response due / USCIS ${notice === 'rfe' ? '추가 증거 요청' : '거절 예정 통지'} 답변 기한`,
              description: `The response must reach USCIS by this date (${r.category}). 이 날짜까지 답변이 USCIS에 도착해야 합니다.`,
              url: link(r.id),
            }
          : {
              uid: `stage-${r.id}-${r.stage}`,
              date: due,
              summary: `${who}: ${stage.en} / ${stage.ko}`,
              description: `Target date of the current stage (${r.category}). 현재 단계의 목표일.`,
              url: link(r.id),
            },
      );
    events.push({
      uid: `admission-${r.id}`,
      date: r.target_date,
      summary: `${who}: admission target / 입국 목표일 (${r.category})`,
      description: 'The date the worker should be admitted. 입국 목표일.',
      url: link(r.id),
    });
    if (r.interview_on)
      events.push({
        uid: `interview-${r.id}`,
        date: r.interview_on,
        summary: `${who}: consular interview / 영사 인터뷰`,
        description: 'Booked by the embassy desk. 대사관 창구 예약.',
        url: link(r.id),
      });
    if (r.follow_up_on)
      events.push({
        uid: `follow-up-${r.id}`,
        date: r.follow_up_on,
        summary: `${who}: 221(g) follow-up / 221(g) 후속 확인`,
        description: 'Administrative processing: not a refusal. 행정 처리 중(거절 아님).',
        url: link(r.id),
      });
  }
  const workers = workerScope(actor, 'w', 3);
  const stays = await db.query<{
    id: string;
    admit_until: string;
    name: string;
    hangul: string;
    class: string;
  }>(
    `SELECT e.id, e.admit_until::text, w.family_name || ' ' || w.given_name AS name, w.name_hangul AS hangul,
            e.class_of_admission AS class
       FROM entries e JOIN workers w ON w.id = e.worker_id
      WHERE e.departed_on IS NULL AND e.dependent_id IS NULL AND e.admit_until BETWEEN $1::date AND $2::date
        AND ${workers.sql}
      ORDER BY e.admit_until, e.id LIMIT 2000`,
    [from, to, ...workers.params],
  );
  for (const s of stays)
    events.push({
      uid: `admit-until-${s.id}`,
      date: s.admit_until,
      summary: `${s.hangul} ${s.name}: I-94 admit-until / 체류 허가 만료 (${s.class})`,
      description: 'Leave or extend by this date. 이 날짜까지 출국하거나 연장하세요.',
      url: null,
    });
  return events.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.uid < b.uid ? -1 : 1));
}

/** RFC 5545 text: backslash, semicolon, comma and newlines escaped. */
function text(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Lines longer than 75 octets folded (a CRLF and a space), never inside a UTF-8 character. */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let size = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (size + n > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
      size = 0;
    }
    current += ch;
    size += n;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

export function toICalendar(events: readonly FeedEvent[], now: Date, name: string): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const next = (date: string) =>
    new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//KORUS Mobility//Deadlines//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${text(name)}`,
    ...events.flatMap((e) => [
      'BEGIN:VEVENT',
      `UID:${e.uid}@korus-mobility`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${e.date.replace(/-/g, '')}`,
      `DTEND;VALUE=DATE:${next(e.date)}`,
      `SUMMARY:${text(e.summary)}`,
      `DESCRIPTION:${text(e.description)}`,
      ...(e.url ? [`URL:${e.url}`] : []),
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}
