import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeHeader, formatMessage, outboxTransport } from './mail.js';

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
