import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkerSchema } from '../../contract/pipeline.js';
import { fieldErrorsFromIssues, issueMessages, contractHintsKo } from './problem.js';

describe('bilingual validation messages', () => {
  it('gives a pattern check its hint in English and in Korean, never "regex format"', () => {
    const result = createWorkerSchema.safeParse({
      familyName: 'Hong1',
      givenName: 'GILDONG',
      nameHangul: 'Hong',
      birthDate: '1984-02-29',
      sex: 'M',
      nationality: 'kor',
      passportNumber: 'M1',
      passportExpiry: '2032-05-01',
      education: 'vocational',
      role: 'technician',
      employedSince: '2010-03-02',
    });
    expect(result.success).toBe(false);
    const errors = fieldErrorsFromIssues(result.error!.issues, 'ko');
    const byPath = Object.fromEntries(errors.map((e) => [e.path, e.messages]));
    expect(byPath.familyName).toEqual({
      en: 'Latin capital letters as in the passport.',
      ko: '여권에 적힌 대로 영문 대문자여야 합니다.',
    });
    expect(byPath.nameHangul!.ko).toBe('가족관계등록부에 적힌 대로 한글이어야 합니다.');
    expect(byPath.passportNumber!.ko).toBe('영문자 또는 숫자 6~12자여야 합니다.');
    for (const e of errors) {
      expect(e.messages.ko).not.toMatch(/regex/);
      expect(e.messages.en).not.toMatch(/regex/);
    }
  });

  it('has Korean for every pattern and cross-field hint written in the contract', () => {
    const dir = join(import.meta.dirname, '../../contract');
    const hints = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const source = readFileSync(join(dir, file), 'utf8');
      for (const m of source.matchAll(
        /\.regex\(\s*\/(?:[^/\\\n]|\\.)+\/[a-z]*,\s*(?:\{\s*message:\s*)?'([^']+)'/g,
      ))
        hints.add(m[1]!);
      for (const m of source.matchAll(/\bmessage:\s*'([^']+)'(,\s*params:)?/g)) if (!m[2]) hints.add(m[1]!);
    }
    expect(hints.size).toBeGreaterThan(18);
    expect([...hints].filter((h) => !(h in contractHintsKo))).toEqual([]);
  });

  it('words a pattern without a hint plainly in both languages', () => {
    const messages = issueMessages({
      code: 'invalid_format',
      format: 'regex',
      pattern: '/^[a-z]+$/',
      path: ['x'],
      message: 'Invalid string: must match pattern /^[a-z]+$/',
      input: 'A',
    } as never);
    expect(messages).toEqual({
      en: 'Has characters or a form that is not allowed here.',
      ko: '허용되지 않는 문자나 형식입니다.',
    });
  });

  it('gives cross-field checks their Korean', () => {
    const messages = issueMessages({
      code: 'custom',
      path: ['endDate'],
      message: 'must not be before startDate',
      input: {},
    } as never);
    expect(messages).toEqual({ en: 'must not be before startDate', ko: '시작일보다 앞설 수 없습니다.' });
  });
});
