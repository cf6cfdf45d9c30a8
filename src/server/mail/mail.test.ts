import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, startSmtpServer, type TestSmtpServer } from '../testing/smtp-server.js';
import { encodeHeader, formatMessage, mailTransportOf, outboxTransport, smtpTransport } from './mail.js';

const decodeWords = (header: string) =>
  header
    .split(/\r\n /)
    .map((w) => Buffer.from(/^=\?UTF-8\?B\?(.*)\?=$/.exec(w)![1]!, 'base64').toString('utf8'))
    .join('');

describe('e-mail', () => {
  it('leaves ASCII headers alone and encodes others per RFC 2047, in words of at most 75 characters', () => {
    expect(encodeHeader('KORUS digest (2026-05-01)')).toBe('KORUS digest (2026-05-01)');
    const subject = 'KORUS Mobility 알림 요약: 새 알림 12건 — 김민준, 이소연, 박지훈 외 여러 명 (2026-05-01)';
    const encoded = encodeHeader(subject);
    for (const word of encoded.split('\r\n ')) expect(word.length).toBeLessThanOrEqual(75);
    expect(decodeWords(encoded)).toBe(subject);
  });
  it('writes a MIME message with a UTF-8 plain-text body into the outbox', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'korus-mail-'));
    try {
      const sent = await outboxTransport(dir).send({
        from: '코러스 알림 <alerts@korus.example>',
        to: 'staff@hanbit-energy.example',
        subject: '새 알림 2건',
        text: '안녕하세요\n- 여권 만료 임박',
      });
      const raw = readFileSync(sent.location!, 'utf8');
      expect(raw).toMatch(/^MIME-Version: 1\.0\r$/m);
      expect(raw).toMatch(/^Content-Type: text\/plain; charset=utf-8\r$/m);
      expect(raw).toMatch(/^From: =\?UTF-8\?B\?[^?]+\?= <alerts@korus\.example>\r$/m);
      expect(raw).toContain(`Message-ID: ${sent.messageId}`);
      expect(decodeWords(/^Subject: (.*)\r$/m.exec(raw)![1]!)).toBe('새 알림 2건');
      const [head, body] = raw.split('\r\n\r\n');
      expect(head).not.toMatch(/[^\x00-\x7f]/); // headers are 7-bit
      expect(Buffer.from(body!.replace(/\r\n/g, ''), 'base64').toString('utf8')).toBe(
        '안녕하세요\r\n- 여권 만료 임박',
      );
      for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('dates the message', () => {
    const { raw } = formatMessage(
      { from: 'a@b.example', to: 'c@d.example', subject: 's', text: 't' },
      { date: new Date('2026-05-01T06:00:00Z') },
    );
    expect(raw).toContain('Date: Fri, 01 May 2026 06:00:00 +0000');
  });
});

describe('e-mail over SMTP (a real SMTP server on 127.0.0.1)', () => {
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp?.close();
  });
  const message = {
    from: '코러스 알림 <alerts@korus.example>',
    to: '김민준 <minjun.kim@hanbit-energy.example>',
    subject: 'KORUS Mobility 알림 요약: 새 알림 2건 (2026-05-01)',
    text: '김민준님,\n\n- [긴급] 체류 만료 14일 전\n- [주의] 여권 만료 임박',
  };

  it('logs in and delivers a UTF-8 message that a MIME parser reads back exactly', async () => {
    smtp.reply = { accept: true };
    const transport = await mailTransportOf({ smtpUrl: smtp.url, outboxDir: '/nonexistent' });
    expect(transport.kind).toBe('smtp');
    try {
      const before = smtp.received.length;
      const sent = await transport.send(message);
      expect(smtp.received).toHaveLength(before + 1);
      const mail = smtp.received.at(-1)!;
      expect(mail.user).toBe('korus');
      expect(mail.envelope).toEqual({
        from: 'alerts@korus.example',
        to: ['minjun.kim@hanbit-energy.example'],
      });
      expect(mail.parsed.messageId).toBe(sent.messageId);
      expect(mail.parsed.subject).toBe(message.subject);
      expect(mail.parsed.from?.value).toEqual([{ name: '코러스 알림', address: 'alerts@korus.example' }]);
      expect(mail.parsed.text?.replace(/\r\n/g, '\n').trimEnd()).toBe(message.text);
      expect(mail.parsed.headers.get('content-type')).toMatchObject({ value: 'text/plain' });
      expect(
        (mail.parsed.headers.get('content-type') as { params: { charset: string } }).params.charset,
      ).toBe('utf-8');
      // On the wire: 7-bit headers (RFC 2047 words), nothing raw outside ASCII anywhere in the message.
      expect(mail.raw.toString('latin1')).not.toMatch(/[^\x00-\x7f]/);
      expect(mail.raw.toString('latin1')).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/im);
    } finally {
      await transport.close?.();
    }
  });

  it('rejects when the server refuses the recipient (5xx) or the message (4xx)', async () => {
    const transport = await smtpTransport(smtp.url);
    try {
      const before = smtp.received.length;
      smtp.reply = { at: 'rcpt', code: 550, message: 'No such user here' };
      await expect(transport.send(message)).rejects.toThrow(/550.*No such user here/);
      smtp.reply = { at: 'data', code: 451, message: 'Try again later' };
      await expect(transport.send(message)).rejects.toThrow(/451.*Try again later/);
      expect(smtp.received).toHaveLength(before);
      expect(smtp.refused).toBeGreaterThanOrEqual(2);
    } finally {
      smtp.reply = { accept: true };
      await transport.close?.();
    }
  });

  it('rejects a wrong login and a refused connection', async () => {
    const wrong = await smtpTransport(smtp.url.replace('secret-pw', 'wrong'));
    await expect(wrong.send(message)).rejects.toThrow(/535|Invalid login|Invalid username/i);
    await wrong.close?.();
    const nowhere = await smtpTransport(`smtp://127.0.0.1:${await closedPort()}`);
    await expect(nowhere.send(message)).rejects.toThrow(/ECONNREFUSED/);
    await nowhere.close?.();
  });
});
