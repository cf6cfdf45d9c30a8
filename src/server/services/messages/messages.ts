import type { z } from 'zod';
import type {
  CaseMessage,
  caseMessageListSchema,
  caseMessageRequestSchema,
} from '../../../contract/messages.js';
import { recordAudit } from '../../audit/audit.js';
import type { Queryable } from '../../db/database.js';
import { ApiError } from '../../http/problem.js';
import { auditContextOf, iso, type ServiceContext } from '../context.js';
import type { CaseDocument } from '../../../contract/pipeline.js';
import { fieldError, type PipelineDeps } from '../pipeline/common.js';
import { openDocument, uploadDocument, type Upload } from '../pipeline/documents.js';
import { caseScope } from '../pipeline/scope.js';

export const MESSAGE_ATTACHMENT = 'message_attachment';

/**
 * Messages on a case (issue 18, item 2). Who takes part is who sees the case: the worker's employer and the
 * project's investor (HR), counsel working on it, and the worker (their own case only). The caller's scope is
 * the pipeline's (`caseScope`), so a case out of reach is simply not found. Internal notes are for HR and counsel;
 * a worker neither reads nor writes one. Every message is audited and notifies the other participants.
 */
type Side = CaseMessage['side'];

interface CaseRef {
  id: string;
  organization_id: string;
  project_org: string;
  counsel_organization_id: string | null;
  worker_user_id: string | null;
  worker_name: string;
  [key: string]: unknown;
}

function sideOf(ctx: ServiceContext): Side {
  if (ctx.actor.role === 'worker') return 'worker';
  return ctx.actor.organizationKind === 'law_firm' ? 'counsel' : 'employer';
}

async function caseOf(ctx: ServiceContext, q: Queryable, id: string): Promise<CaseRef> {
  const scope = caseScope(ctx.actor, 'c', 2);
  const [row] = await q.query<CaseRef>(
    `SELECT c.id, c.organization_id, p.organization_id AS project_org, c.counsel_organization_id,
            w.user_id AS worker_user_id, w.family_name || ' ' || w.given_name AS worker_name
       FROM cases c JOIN projects p ON p.id = c.project_id JOIN workers w ON w.id = c.worker_id
      WHERE c.id = $1 AND ${scope.sql}`,
    [id, ...scope.params],
  );
  if (!row) throw new ApiError('resource.not_found');
  return row;
}

export async function listMessages(
  ctx: ServiceContext,
  caseId: string,
): Promise<z.infer<typeof caseMessageListSchema>> {
  const c = await caseOf(ctx, ctx.db, caseId);
  const worker = sideOf(ctx) === 'worker';
  const rows = await ctx.db.query<{
    id: string;
    author_label: string;
    author_side: Side;
    organization_name: string | null;
    internal: boolean;
    body: string;
    document_id: string | null;
    filename: string | null;
    created_at: Date;
    author_user_id: string | null;
    read_at: Date | null;
  }>(
    `SELECT m.id, m.author_label, m.author_side, o.name AS organization_name, m.internal, m.body, m.document_id,
            d.filename, m.created_at, m.author_user_id, r.read_at
       FROM case_messages m LEFT JOIN organizations o ON o.id = m.author_organization_id
       LEFT JOIN case_documents d ON d.id = m.document_id
       LEFT JOIN case_message_reads r ON r.case_id = m.case_id AND r.user_id = $2
      WHERE m.case_id = $1 AND ($3::boolean = false OR NOT m.internal)
      ORDER BY m.created_at, m.id`,
    [c.id, ctx.actor.userId, worker],
  );
  const items = rows.map((r) => {
    const mine = r.author_user_id === ctx.actor.userId;
    return {
      id: r.id,
      author: r.author_label,
      side: r.author_side,
      // A worker sees who wrote as a person and side; the organizations' names are shown to HR and counsel.
      organizationName: r.author_side === 'worker' ? null : r.organization_name,
      internal: r.internal,
      body: r.body,
      document: r.document_id ? { id: r.document_id, filename: r.filename! } : null,
      createdAt: iso(r.created_at)!,
      mine,
      unread: !mine && (r.read_at === null || new Date(r.created_at) > new Date(r.read_at)),
    };
  });
  return { items, unread: items.filter((m) => m.unread).length, mayWriteInternal: !worker };
}

export async function postMessage(
  ctx: ServiceContext,
  caseId: string,
  input: z.output<typeof caseMessageRequestSchema>,
  now: Date,
): Promise<z.infer<typeof caseMessageListSchema>> {
  const side = sideOf(ctx);
  await ctx.db.transaction(async (tx) => {
    // The case first (not found is the answer for a case out of reach), then what the caller may write on it.
    const c = await caseOf(ctx, tx, caseId);
    if (input.internal && side === 'worker')
      throw new ApiError('request.invalid', {
        errors: [
          fieldError(
            'internal',
            'a worker cannot write an internal note',
            '근로자는 내부 메모를 쓸 수 없습니다',
          ),
        ],
      });
    if (input.documentId) {
      const [doc] = await tx.query('SELECT 1 FROM case_documents WHERE id = $1 AND case_id = $2', [
        input.documentId,
        c.id,
      ]);
      if (!doc)
        throw new ApiError('request.invalid', {
          errors: [fieldError('documentId', 'is not a document of this case', '이 사건의 서류가 아닙니다')],
        });
    }
    const label = ctx.actor.displayName || ctx.actor.email;
    const [message] = await tx.query<{ id: string }>(
      `INSERT INTO case_messages (case_id, author_user_id, author_label, author_organization_id, author_side, internal,
         body, document_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        c.id,
        ctx.actor.userId,
        label,
        ctx.actor.organizationId,
        side,
        input.internal ?? false,
        input.body,
        input.documentId ?? null,
        now.toISOString(),
      ],
    );
    // Writing is reading: the author's own read mark moves to now.
    await tx.query(
      `INSERT INTO case_message_reads (user_id, case_id, read_at) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, case_id) DO UPDATE SET read_at = $3`,
      [ctx.actor.userId, c.id, now.toISOString()],
    );
    await notifyParticipants(tx, c, {
      messageId: message!.id,
      author: label,
      authorUserId: ctx.actor.userId,
      internal: input.internal ?? false,
      body: input.body,
      today: now.toISOString().slice(0, 10),
    });
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'case.message',
      targetType: 'case',
      targetId: c.id,
      organizationId: c.organization_id,
      after: { body: input.body, internal: input.internal ?? false, documentId: input.documentId ?? null },
      details: { messageId: message!.id, side },
    });
  });
  return listMessages(ctx, caseId);
}

export async function markMessagesRead(
  ctx: ServiceContext,
  caseId: string,
  now: Date,
): Promise<{ unread: number }> {
  const c = await caseOf(ctx, ctx.db, caseId);
  await ctx.db.query(
    `INSERT INTO case_message_reads (user_id, case_id, read_at) VALUES ($1, $2, $3)
     ON CONFLICT (user_id, case_id) DO UPDATE SET read_at = greatest(case_message_reads.read_at, $3)`,
    [ctx.actor.userId, c.id, now.toISOString()],
  );
  return { unread: 0 };
}

/**
 * The other participants hear of a message in their notification centre (and the daily e-mail): the HR
 * (administrators and staff) of the employer and of the investor, counsel's users (the firm granted the case or
 * named by either organization), and the worker unless the note is internal; never the author.
 */
async function notifyParticipants(
  tx: Queryable,
  c: CaseRef,
  m: {
    messageId: string;
    author: string;
    authorUserId: string;
    internal: boolean;
    body: string;
    today: string;
  },
): Promise<void> {
  const recipients = await tx.query<{ id: string; organization_id: string }>(
    `SELECT u.id, u.organization_id FROM users u
      WHERE NOT u.disabled AND u.role IN ('admin', 'staff') AND u.id <> $5
        AND (u.organization_id = ANY(ARRAY[$1, $2]::uuid[])
             OR u.organization_id = $3
             OR u.organization_id IN (SELECT law_firm_id FROM counsel_engagements WHERE client_id = ANY(ARRAY[$1, $2]::uuid[])))
     UNION
     SELECT u.id, u.organization_id FROM users u
      WHERE u.id = $4 AND NOT $6::boolean AND NOT u.disabled AND u.id <> $5`,
    [
      c.organization_id,
      c.project_org,
      c.counsel_organization_id,
      c.worker_user_id,
      m.authorUserId,
      m.internal,
    ],
  );
  if (recipients.length === 0) return;
  const excerpt = m.body.length > 140 ? `${m.body.slice(0, 137)}…` : m.body;
  const message = m.internal
    ? {
        en: `Internal note on the case of ${c.worker_name}, from ${m.author}: “${excerpt}”`,
        ko: `${c.worker_name} 사건의 내부 메모(${m.author}): “${excerpt}”`,
      }
    : {
        en: `Message on the case of ${c.worker_name}, from ${m.author}: “${excerpt}”`,
        ko: `${c.worker_name} 사건의 메시지(${m.author}): “${excerpt}”`,
      };
  await tx.query(
    `INSERT INTO notifications (organization_id, user_id, kind, severity, subject_type, subject_id, case_id, due_on,
       dedupe_key, message, as_of)
     SELECT r.organization_id, r.id, 'case_message', 'info', 'case', $2, $2, $3, $4, $5, $3
       FROM jsonb_to_recordset($1::jsonb) AS r (id uuid, organization_id uuid)
     ON CONFLICT (organization_id, user_id, dedupe_key) DO NOTHING`,
    [JSON.stringify(recipients), c.id, m.today, `message:${m.messageId}`, JSON.stringify(message)],
  );
}

/**
 * A file attached to a message (issue 18): stored like every case document (checked by content, encrypted), of
 * type `message_attachment`, by anyone who may write on the thread (the worker too); the message then names it.
 */
export async function uploadAttachment(
  ctx: ServiceContext,
  deps: PipelineDeps,
  caseId: string,
  upload: Upload,
): Promise<CaseDocument> {
  await caseOf(ctx, ctx.db, caseId);
  return uploadDocument(ctx, deps, caseId, { docType: MESSAGE_ATTACHMENT }, upload);
}

/** A file attached to a message the caller can read on this case (never one of an internal note for a worker). */
export async function openAttachment(
  ctx: ServiceContext,
  deps: PipelineDeps,
  caseId: string,
  documentId: string,
): ReturnType<typeof openDocument> {
  const c = await caseOf(ctx, ctx.db, caseId);
  const [attached] = await ctx.db.query(
    `SELECT 1 FROM case_messages WHERE case_id = $1 AND document_id = $2 AND ($3 OR NOT internal) LIMIT 1`,
    [c.id, documentId, sideOf(ctx) !== 'worker'],
  );
  if (!attached) throw new ApiError('resource.not_found');
  return openDocument(ctx, deps, documentId);
}
