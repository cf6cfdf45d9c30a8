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

export type DigestOutcome = 'sent' | 'nothing_new' | 'already_sent' | 'no_recipient';

const severityOrder = { critical: 0, warning: 1, info: 2 } as const;
const severityLabel = {
  en: { critical: 'URGENT', warning: 'Soon', info: 'Note' },
  ko: { critical: '긴급', warning: '주의', info: '참고' },
} as const;

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
    .map((i) => `- [${severityLabel[locale][i.severity]}] ${i.message[locale]}`);
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
 * Sends one user's digest of the notifications raised by the scan of `date` (their `as_of`), once: the
 * e-mail log's (user, kind, day) key is claimed before sending, so a re-run (or a second server) sends nothing.
 * A failed send is marked `failed` and retried by a later run; a crash between claim and send leaves the
 * claim `pending` and the digest unsent (at most once, never twice).
 */
export async function sendDigest(
  db: Database,
  mail: DigestMail,
  userId: string,
  date: IsoDate,
): Promise<DigestOutcome> {
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
  const [claim] = await db.query<{ id: string }>(
    `INSERT INTO email_log (organization_id, user_id, kind, digest_date, to_address, locale, subject, notifications,
       status, transport)
     VALUES ($1, $2, 'digest', $3, $4, $5, $6, $7, 'pending', $8)
     ON CONFLICT (user_id, kind, digest_date) DO UPDATE
       SET status = 'pending', error = NULL, subject = EXCLUDED.subject, notifications = EXCLUDED.notifications
       WHERE email_log.status = 'failed'
     RETURNING id`,
    [user.organization_id, userId, date, user.email, locale, subject, items.length, mail.transport.kind],
  );
  if (!claim) return 'already_sent';
  let messageId: string;
  try {
    messageId = (await mail.transport.send({ from: mail.from, to: user.email, subject, text })).messageId;
  } catch (error) {
    await db.query(`UPDATE email_log SET status = 'failed', error = $2 WHERE id = $1`, [
      claim.id,
      String((error as Error).message ?? error).slice(0, 500),
    ]);
    throw error;
  }
  await db.transaction(async (tx) => {
    await tx.query(`UPDATE email_log SET status = 'sent', message_id = $2, sent_at = now() WHERE id = $1`, [
      claim.id,
      messageId,
    ]);
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
        details: { date, notifications: items.length, transport: mail.transport.kind, locale },
      },
    );
  });
  return 'sent';
}

/** Users who got notifications from the scan of `date` (candidates for that day's digest). */
export async function digestRecipients(db: Database, date: IsoDate): Promise<string[]> {
  const rows = await db.query<{ user_id: string }>(
    'SELECT DISTINCT user_id FROM notifications WHERE as_of = $1 ORDER BY user_id',
    [date],
  );
  return rows.map((r) => r.user_id);
}
