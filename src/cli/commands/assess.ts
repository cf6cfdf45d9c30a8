import { screenText, textProblemMessages } from '../../contract/text.js';
import { pathOf } from '../../server/http/problem.js';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { AssessmentResponse, CategoryResult } from '../../contract/assessment.js';
import { isIsoDate } from '../../core/dates/index.js';
import {
  assess,
  AssessmentInputError,
  loadRules,
  parseAssessmentRequest,
  withDefaultAsOf,
  type Rules,
} from '../../core/rules/index.js';

/**
 * `korus assess [FILE|-]`: which visa category fits, from the rules engine alone (no database).
 * Exit codes: 0 done, 2 invalid input (the message names the field), 1 anything else.
 */

type Lang = 'en' | 'ko';
const EXIT_INVALID = 2;

interface AssessOptions {
  json?: boolean;
  batch?: string;
  asOf?: string;
  lang: string;
}

const text = {
  en: {
    category: 'Category',
    verdict: 'Verdict',
    provision: 'Provision',
    maxStay: 'Max stay',
    lead: 'Lead time',
    fees: 'Fees (USD)',
    days: 'days',
    activities: 'Activities',
    reasons: 'Key reasons',
    confirm: 'To attest or confirm',
    verify: 'Uncertain (verify)',
    recommended: 'Recommended',
    none: 'none',
    asOf: 'Rules as of',
    version: 'rules version',
    verdicts: {
      eligible: 'eligible',
      conditional: 'conditional',
      ineligible: 'ineligible',
      unavailable: 'unavailable',
    },
    statuses: { permitted: 'permitted', conditional: 'conditional', not_permitted: 'not permitted' },
  },
  ko: {
    category: '비자',
    verdict: '판정',
    provision: '조항',
    maxStay: '최대 체류',
    lead: '준비 기간',
    fees: '수수료(USD)',
    days: '일',
    activities: '활동',
    reasons: '주요 사유',
    confirm: '확인·증명 사항',
    verify: '불확실(확인 필요)',
    recommended: '추천',
    none: '없음',
    asOf: '규칙 기준일',
    version: '규칙 버전',
    verdicts: { eligible: '가능', conditional: '조건부 가능', ineligible: '불가', unavailable: '시행 전' },
    statuses: { permitted: '허용', conditional: '조건부', not_permitted: '불허' },
  },
} as const;

/** Terminal width of a string: Hangul and other East Asian wide characters take two columns. */
function width(value: string): number {
  let w = 0;
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    w +=
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xff00 && code <= 0xff60)
        ? 2
        : 1;
  }
  return w;
}

function pad(value: string, size: number): string {
  return value + ' '.repeat(Math.max(0, size - width(value)));
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => width(r[i] ?? ''))));
  const line = (r: string[]) =>
    r
      .map((c, i) => pad(c, widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function feeTotal(result: CategoryResult): number {
  return result.feesUsd.reduce((sum, f) => sum + f.amount, 0);
}

/** The readable report: a summary table, then each category's activities, reasons and open points. */
export function formatReport(response: AssessmentResponse, lang: Lang): string {
  const t = text[lang];
  const out: string[] = [];
  out.push(`${t.asOf}: ${response.asOf}  (${t.version} ${response.rulesVersion})`, '');
  const rows: string[][] = [[t.category, t.verdict, t.provision, t.maxStay, t.lead, t.fees]];
  for (const r of response.results) {
    rows.push([
      r.category,
      t.verdicts[r.verdict] + (r.verify ? ' *' : ''),
      r.provision ?? '-',
      r.maxStayDays === null ? '-' : `${r.maxStayDays} ${t.days}`,
      r.leadTimeDays
        ? `${r.leadTimeDays.min}–${r.leadTimeDays.max} (${r.leadTimeDays.typical}) ${t.days}`
        : '-',
      r.feesUsd.length ? feeTotal(r).toLocaleString('en-US') : '-',
    ]);
  }
  out.push(table(rows), '');
  out.push(`${t.recommended}: ${response.recommended ?? t.none}`, '');
  for (const r of response.results) {
    out.push(`== ${r.category} ${r.name ? '— ' + r.name[lang] : ''}: ${t.verdicts[r.verdict]}`);
    const acts = Object.entries(r.activities).map(([a, s]) => `${a}=${t.statuses[s]}`);
    if (acts.length) out.push(`  ${t.activities}: ${acts.join(', ')}`);
    const failed = r.reasons.filter((x) => !x.passed);
    const key = failed.length ? failed : r.reasons.filter((x) => !x.rule.includes('.activity.')).slice(0, 3);
    if (key.length) {
      out.push(`  ${t.reasons}:`);
      for (const x of key) out.push(`    ${x.passed ? '✓' : '✗'} ${x.message[lang]} [${x.citation}]`);
    }
    if (r.verdict !== 'unavailable' && r.attestations.length) {
      out.push(`  ${t.confirm}:`);
      for (const a of r.attestations) out.push(`    ? ${a.message[lang]}`);
    }
    const uncertain = (r.notes ?? []).filter((n) => n.verify);
    if (uncertain.length) {
      out.push(`  ${t.verify}:`);
      for (const n of uncertain) out.push(`    * ${n.message[lang]}`);
    }
    if (r.feesUsd.length)
      out.push(
        `  ${t.fees}: ${r.feesUsd.map((f) => `${f.label?.[lang] ?? f.item} ${f.amount.toLocaleString('en-US')}${f.verify ? ' *' : ''}`).join('; ')}`,
      );
    out.push('');
  }
  out.push(response.disclaimer[lang]);
  return out.join('\n') + '\n';
}

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

function invalid(issues: AssessmentInputError['issues'], prefix = ''): void {
  for (const issue of issues) {
    process.stderr.write(`korus: ${prefix}${issue.path || '(request)'}: ${issue.message.en}\n`);
    process.stderr.write(`korus: ${prefix}${issue.path || '(request)'}: ${issue.message.ko}\n`);
  }
  process.exitCode = EXIT_INVALID;
}

function parseJson(source: string, label: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (error) {
    throw new AssessmentInputError([
      {
        path: '',
        message: {
          en: `${label} is not valid JSON (${(error as Error).message})`,
          ko: `${label}이(가) 올바른 JSON이 아닙니다`,
        },
      },
    ]);
  }
  // The same text screen as the API: NUL, lone surrogates and control characters refused, the rest in NFC.
  const screened = screenText(parsed);
  if (screened.issues.length)
    throw new AssessmentInputError(
      screened.issues.map((issue) => ({
        path: pathOf(issue.path),
        message: textProblemMessages[issue.problem],
      })),
    );
  return screened.value;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let data = '';
  for await (const chunk of stream)
    data += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
  return data;
}

function assessOne(input: unknown, rules: Rules, asOf: string | undefined): AssessmentResponse {
  const request = parseAssessmentRequest(
    asOf && input && typeof input === 'object' ? { ...(input as object), asOf } : input,
  );
  return assess(withDefaultAsOf(request, todayUtc()), rules);
}

/** Progress on stderr: a bar on a terminal, a line every second otherwise. */
function progressReporter(total: number) {
  if (process.stderr.isTTY) {
    const bar = new SingleBar(
      { format: 'assess [{bar}] {percentage}% | {count} requests', stream: process.stderr, hideCursor: true },
      Presets.shades_classic,
    );
    bar.start(total, 0, { count: 0 });
    return { update: (done: number, count: number) => bar.update(done, { count }), stop: () => bar.stop() };
  }
  let last = 0;
  return {
    update(done: number, count: number) {
      const now = Date.now();
      if (now - last < 1000) return;
      last = now;
      process.stderr.write(`assess: ${count} requests (${total ? Math.round((done / total) * 100) : 0}%)\n`);
    },
    stop: () => undefined,
  };
}

async function runBatch(file: string, rules: Rules, asOf: string | undefined): Promise<void> {
  const fromStdin = file === '-';
  const total = fromStdin ? 0 : statSync(file).size;
  const input = fromStdin ? process.stdin : createReadStream(file);
  const progress = progressReporter(total);
  let bytes = 0;
  let count = 0;
  let failures = 0;
  const lines = createInterface({ input, crlfDelay: Infinity });
  let buffer = '';
  for await (const line of lines) {
    bytes += Buffer.byteLength(line) + 1;
    count++;
    if (line.trim() === '') continue;
    try {
      buffer += JSON.stringify(assessOne(parseJson(line, `line ${count}`), rules, asOf)) + '\n';
    } catch (error) {
      if (!(error instanceof AssessmentInputError)) throw error;
      failures++;
      buffer +=
        JSON.stringify({ line: count, error: { code: 'rules.invalid_request', issues: error.issues } }) +
        '\n';
      for (const issue of error.issues)
        process.stderr.write(`korus: line ${count}: ${issue.path || '(request)'}: ${issue.message.en}\n`);
    }
    if (buffer.length > 1 << 16) {
      if (!process.stdout.write(buffer))
        await new Promise((resolve) => process.stdout.once('drain', resolve));
      buffer = '';
    }
    if ((count & 255) === 0) progress.update(bytes, count);
  }
  if (buffer) process.stdout.write(buffer);
  progress.update(total || bytes, count);
  progress.stop();
  process.stderr.write(`assess: ${count - failures} assessed, ${failures} invalid\n`);
  if (failures > 0) process.exitCode = EXIT_INVALID;
}

export function registerAssessCommand(program: Command): void {
  program
    .command('assess')
    .description(
      'Assess which US visa category fits a worker and the planned activities (JSON request from FILE or - for stdin)',
    )
    .argument('[file]', 'request JSON file, or - for standard input', '-')
    .option('--json', 'print exactly the response JSON')
    .option(
      '--batch <file>',
      'assess many requests, one JSON per line (- for stdin), to JSON lines on stdout',
    )
    .option('--as-of <date>', 'rules as of this date (YYYY-MM-DD), overriding the request')
    .option('--lang <lang>', 'language of the table: en or ko', 'en')
    .action(async (file: string, options: AssessOptions) => {
      const lang = options.lang;
      if (lang !== 'en' && lang !== 'ko') {
        invalid([{ path: '--lang', message: { en: 'must be en or ko', ko: 'en 또는 ko여야 합니다' } }]);
        return;
      }
      if (options.asOf !== undefined && !isIsoDate(options.asOf)) {
        invalid([
          {
            path: '--as-of',
            message: { en: 'must be a date YYYY-MM-DD', ko: 'YYYY-MM-DD 형식의 날짜여야 합니다' },
          },
        ]);
        return;
      }
      const rules = loadRules();
      try {
        if (options.batch !== undefined) {
          await runBatch(options.batch, rules, options.asOf);
          return;
        }
        const source = file === '-' ? await readAll(process.stdin) : readFileSync(file, 'utf8');
        const response = assessOne(
          parseJson(source, file === '-' ? 'standard input' : file),
          rules,
          options.asOf,
        );
        process.stdout.write(
          options.json ? JSON.stringify(response, null, 2) + '\n' : formatReport(response, lang),
        );
      } catch (error) {
        if (error instanceof AssessmentInputError) invalid(error.issues);
        else if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          process.stderr.write(
            `korus: cannot read ${(error as NodeJS.ErrnoException).path ?? file}: no such file\n`,
          );
          process.exitCode = EXIT_INVALID;
        } else throw error;
      }
    });
}
