import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** An e-mail of the application: plain text, UTF-8. */
export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
}

/** Where e-mail goes: an outbox folder (the default: a demo sends nothing) or an SMTP server. */
export interface MailTransport {
  readonly kind: 'outbox' | 'smtp';
  send(message: MailMessage): Promise<{ messageId: string; location?: string }>;
  close?(): Promise<void>;
}

/** RFC 2047 encoded-word for a header value that is not plain ASCII ("B" encoding, UTF-8, ≤ 75 chars each). */
export function encodeHeader(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  const words: string[] = [];
  let chunk = '';
  // Each encoded word carries at most 45 bytes (60 base64 characters + 12 of framing < 75); never split a
  // character across two words.
  for (const ch of value) {
    if (Buffer.byteLength(chunk + ch, 'utf8') > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

/** An address header: `Name <addr>` with the name encoded when needed. */
function encodeAddress(value: string): string {
  const match = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(value);
  if (!match || !match[1]) return value.trim();
  const name = match[1].replace(/^"|"$/g, '');
  return `${/^[\w .-]*$/.test(name) ? name : encodeHeader(name)} <${match[2]}>`;
}

function domainOf(address: string): string {
  const at = /@([^>\s]+)/.exec(address);
  return at?.[1] ?? 'korus.invalid';
}

/**
 * The message as RFC 5322 text (CRLF line ends): MIME 1.0, `text/plain; charset=utf-8`, the body in base64
 * (lines of 76 characters: safe over any SMTP server, 7-bit clean), the subject encoded per RFC 2047.
 */
export function formatMessage(
  message: MailMessage,
  options: { date?: Date; messageId?: string } = {},
): { raw: string; messageId: string } {
  const messageId = options.messageId ?? `<${randomUUID()}@${domainOf(message.from)}>`;
  const body = Buffer.from(message.text.replace(/\r?\n/g, '\r\n'), 'utf8').toString('base64');
  const lines = body.match(/.{1,76}/g) ?? [];
  const headers = [
    `From: ${encodeAddress(message.from)}`,
    `To: ${encodeAddress(message.to)}`,
    `Subject: ${encodeHeader(message.subject)}`,
    `Date: ${(options.date ?? new Date()).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
  ];
  return { raw: `${headers.join('\r\n')}\r\n\r\n${lines.join('\r\n')}\r\n`, messageId };
}

/** Writes each message as an `.eml` file into a folder (written under a temporary name, then renamed). */
export function outboxTransport(dir: string): MailTransport {
  return {
    kind: 'outbox',
    async send(message) {
      mkdirSync(dir, { recursive: true });
      const { raw, messageId } = formatMessage(message);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const name = `${stamp}-${randomUUID().slice(0, 8)}.eml`;
      const path = join(dir, name);
      writeFileSync(`${path}.tmp`, raw, { encoding: 'utf8', mode: 0o600 });
      renameSync(`${path}.tmp`, path);
      return { messageId, location: path };
    },
  };
}

/**
 * Timeouts of an SMTP send, well inside the digest's claim lease (15 minutes, `DIGEST_LEASE_MS`): a send that
 * hangs fails (and is retried) instead of outliving its claim. nodemailer's own defaults are 2 minutes to
 * connect and 10 minutes of silence.
 */
export const SMTP_TIMEOUTS = {
  connectionTimeout: 60_000,
  greetingTimeout: 30_000,
  socketTimeout: 120_000,
} as const;

/**
 * Sends over SMTP with nodemailer (`smtp://user:pass@host:587`, STARTTLS when the server offers it;
 * `smtps://…:465`); loaded only when used. Tested against a real SMTP server (`smtp-server`) in mail.test.ts
 * and alerts.test.ts. A refusal (4xx/5xx) or a connection failure rejects the promise.
 */
export async function smtpTransport(url: string): Promise<MailTransport> {
  const nodemailer = await import('nodemailer');
  const transporter = nodemailer.createTransport({ url, ...SMTP_TIMEOUTS });
  return {
    kind: 'smtp',
    async send(message) {
      const info = await transporter.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
      });
      return { messageId: String(info.messageId) };
    },
    async close() {
      transporter.close();
    },
  };
}

/** The transport of the configuration: SMTP when a URL is given, the outbox folder otherwise. */
export async function mailTransportOf(config: { smtpUrl?: string | undefined; outboxDir: string }) {
  return config.smtpUrl ? smtpTransport(config.smtpUrl) : outboxTransport(config.outboxDir);
}
