import { label } from '../../../contract/labels.js';
import type { BilingualText } from '../../../contract/assessment.js';
import type { IsoDate } from '../../../core/dates/index.js';
import type { Database } from '../../db/database.js';
import { recordAudit } from '../../audit/audit.js';
import type { MailTransport } from '../../mail/mail.js';

export interface DigestMail {
  transport: MailTransport;
  /** The sender, e.g. `KORUS Mobility <alerts@example.com>`. */
  from: string;
  /** The web app's address, for a link to the alerts centre (optional). */
  baseUrl?: string | undefined;
}

/**
 * `in_progress`: another run holds a live claim on the digest (it will send it, or its claim lapses after
 * DIGEST_LEASE_MS and a later run sends it).
 */
export type DigestOutcome = 'sent' | 'nothing_new' | 'already_sent' | 'in_progress' | 'no_recipient';

const severityOrder = { critical: 0, warning: 1, info: 2 } as const;

/** The digest of one user's alerts of a day, in their language (null locale: English). */
export function digestText(
  locale: 'en' | 'ko',
  date: IsoDate,
  displayName: string,
  items: readonly { severity: keyof typeof severityOrder; message: BilingualText; dueOn: IsoDate }[],
  baseUrl?: string,
): { subject: string; text: string } {
  const n = items.length;
  const lines = [...items]
    .sort((a, b) => severityOrder[a.severity] - severityOrder[b.severity] || (a.dueOn < b.dueOn ? -1 : 1))
    .map((i) => `- [${label(locale, 'alertSeverity', i.severity).toUpperCase()}] ${i.message[locale]}`);
  const link = baseUrl ? `${baseUrl.replace(/\/$/, '')}/alerts` : undefined;
  if (locale === 'ko') {
    return {
      subject: `KORUS Mobility 알림 요약: 새 알림 ${n}건 (${date})`,
      text: [
        `${displayName}님,`,
        '',
        `${date} 기준 새 알림 ${n}건입니다.`,
        '',
        ...lines,
        '',
        ...(link ? [`알림 센터: ${link}`, ''] : []),
        '이 메일은 KORUS Mobility가 하루에 한 번, 새 알림이 있을 때만 보냅니다.',
      ].join('\n'),
    };
  }
  return {
    subject: `KORUS Mobility digest: ${n} new alert${n === 1 ? '' : 's'} (${date})`,
    text: [
      `Hello ${displayName},`,
      '',
      `${n} new alert${n === 1 ? '' : 's'} as of ${date}:`,
      '',
      ...lines,
      '',
      ...(link ? [`Alerts centre: ${link}`, ''] : []),
      'KORUS Mobility sends this once a day, only when there is something new.',
    ].join('\n'),
  };
}

/**
 * How long a claim of a digest holds: a `pending` e-mail log row claimed longer ago than this was left by a run
 * that died between claim and send (a crash, a killed process), and the next run claims it again. Longer than
 * a send should take (the SMTP transport gives up on a server silent for 2 minutes, `SMTP_TIMEOUTS`), and
 * equal to the pg-boss digest job's expiry, so a live send is normally never taken over.
 * See docs/decisions/035-digest-lease.md.
 */
export const DIGEST_LEASE_MS = 15 * 60_000;
/** How many days back the daily run looks for digests that were never sent (failed, or a lapsed claim). */
export const DIGEST_RETRY_DAYS = 7;

export interface DigestOptions {
  /** The clock (injected by tests; default: the system clock). */
  now?: () => Date;
}

/**
 * Sends one user's digest of the notifications raised by the scan of `date` (their `as_of`), at least once and
 * normally once. The e-mail log's (user, kind, day) row is claimed before sending; a claim is a lease of
 * DIGEST_LEASE_MS: while it holds, another run (a re-run, a second server) sends nothing (`in_progress`); once
 * sent, nothing is sent again (`already_sent`). A failed send is marked `failed` with its error (and rethrown,
 * so pg-boss retries the job); the next run claims it again at once. A claim whose run died before sending
 * lapses after the lease and the next run claims it again: a run that was merely slow past the lease may then
 * e-mail the digest a second time, which is preferred to never e-mailing a status-expiry alert.
 */
export async function sendDigest(
  db: Database,
  mail: DigestMail,
  userId: string,
  date: IsoDate,
  options: DigestOptions = {},
): Promise<DigestOutcome> {
  const now = options.now ?? (() => new Date());
  const [user] = await db.query<{
    email: string;
    display_name: string;
    locale: 'en' | 'ko' | null;
    organization_id: string | null;
    disabled: boolean;
  }>('SELECT email, display_name, locale, organization_id, disabled FROM users WHERE id = $1', [userId]);
  if (!user || user.disabled) return 'no_recipient';
  const items = await db.query<{
    severity: keyof typeof severityOrder;
    message: BilingualText;
    due_on: string;
  }>(
    `SELECT severity, message, due_on FROM notifications
      WHERE user_id = $1 AND as_of = $2 AND organization_id IS NOT DISTINCT FROM $3
      ORDER BY due_on, id`,
    [userId, date, user.organization_id],
  );
  if (items.length === 0) return 'nothing_new';
  const locale = user.locale ?? 'en';
  const { subject, text } = digestText(
    locale,
    date,
    user.display_name,
    items.map((i) => ({ severity: i.severity, message: i.message, dueOn: i.due_on })),
    mail.baseUrl,
  );
  const claimedAt = now();
  // Claim: a new row, or a failed one, or a pending one whose lease has lapsed (the claim is taken again, its
  // number `attempts` goes up). A row that is sent, or pending under a live lease, is left alone.
  const [claim] = await db.query<{ id: string; attempts: number }>(
    `INSERT INTO email_log (organization_id, user_id, kind, digest_date, to_address, locale, subject, notifications,
       status, transport, claimed_at)
     VALUES ($1, $2, 'digest', $3, $4, $5, $6, $7, 'pending', $8, $9)
     ON CONFLICT (user_id, kind, digest_date) DO UPDATE
       SET status = 'pending', error = NULL, to_address = EXCLUDED.to_address, locale = EXCLUDED.locale,
           subject = EXCLUDED.subject, notifications = EXCLUDED.notifications, transport = EXCLUDED.transport,
           claimed_at = EXCLUDED.claimed_at, attempts = email_log.attempts + 1
       WHERE email_log.status = 'failed'
          OR (email_log.status = 'pending' AND email_log.claimed_at < $10)
     RETURNING id, attempts`,
    [
      user.organization_id,
      userId,
      date,
      user.email,
      locale,
      subject,
      items.length,
      mail.transport.kind,
      claimedAt,
      new Date(claimedAt.getTime() - DIGEST_LEASE_MS),
    ],
  );
  if (!claim) {
    const [row] = await db.query<{ status: string }>(
      `SELECT status FROM email_log WHERE user_id = $1 AND kind = 'digest' AND digest_date = $2`,
      [userId, date],
    );
    return row?.status === 'sent' ? 'already_sent' : 'in_progress';
  }
  let messageId: string;
  try {
    messageId = (await mail.transport.send({ from: mail.from, to: user.email, subject, text })).messageId;
  } catch (error) {
    // Only this claim may mark its own failure: a later claim (after this one's lease lapsed) may be sending.
    await db.query(
      `UPDATE email_log SET status = 'failed', error = $3 WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
      [claim.id, claim.attempts, String((error as Error).message ?? error).slice(0, 500)],
    );
    throw error;
  }
  await db.transaction(async (tx) => {
    // The first send to succeed is the one on record (a slow run that lost its lease may also have sent it).
    await tx.query(
      `UPDATE email_log SET status = 'sent', error = NULL, message_id = $2, sent_at = $3
        WHERE id = $1 AND status <> 'sent'`,
      [claim.id, messageId, now()],
    );
    await recordAudit(
      tx,
      {
        actorUserId: null,
        actorLabel: 'system:alerts-digest',
        organizationId: user.organization_id,
        requestId: null,
      },
      {
        action: 'email.digest',
        targetType: 'user',
        targetId: userId,
        details: {
          date,
          notifications: items.length,
          transport: mail.transport.kind,
          locale,
          attempt: claim.attempts,
        },
      },
    );
  });
  return 'sent';
}

/**
 * Digests of the last DIGEST_RETRY_DAYS days (up to `date`) that were never sent: failed, or claimed by a run
 * whose lease has lapsed. The daily run queues them again (pg-boss's own retries of a job are limited).
 */
export async function unsentDigests(
  db: Database,
  date: IsoDate,
  options: DigestOptions = {},
): Promise<{ userId: string; date: IsoDate }[]> {
  const now = (options.now ?? (() => new Date()))();
  const rows = await db.query<{ user_id: string; digest_date: string }>(
    `SELECT user_id, digest_date FROM email_log
      WHERE kind = 'digest' AND status <> 'sent'
        AND digest_date BETWEEN $1::date - $2::int AND $1::date
        AND (status = 'failed' OR claimed_at < $3)
      ORDER BY digest_date, user_id`,
    [date, DIGEST_RETRY_DAYS, new Date(now.getTime() - DIGEST_LEASE_MS)],
  );
  return rows.map((r) => ({ userId: r.user_id, date: r.digest_date }));
}

/** Users who got notifications from the scan of `date` (candidates for that day's digest). */
export async function digestRecipients(db: Database, date: IsoDate): Promise<string[]> {
  const rows = await db.query<{ user_id: string }>(
    'SELECT DISTINCT user_id FROM notifications WHERE as_of = $1 ORDER BY user_id',
    [date],
  );
  return rows.map((r) => r.user_id);
}
