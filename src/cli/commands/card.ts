import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../../server/config/config.js';
import { loadCardKeys, rotateCardKeys, verifyCard, type PublicJwk } from '../../server/cards/jws.js';
import { CliInputError, printJson } from '../output.js';

const reasons: Record<string, { en: string; ko: string }> = {
  malformed: {
    en: 'not a status card (damaged or truncated)',
    ko: '확인증이 아닙니다(손상되었거나 잘렸습니다)',
  },
  unknown_key: { en: 'signed with a key that is not published', ko: '공개되지 않은 키로 서명되었습니다' },
  bad_signature: {
    en: 'the signature does not match: the card was altered',
    ko: '서명이 일치하지 않습니다: 변조된 확인증입니다',
  },
  expired: { en: 'the card has expired', ko: '확인증이 만료되었습니다' },
  not_yet_valid: { en: 'the card is dated in the future', ko: '확인증 발급 시각이 미래입니다' },
};

async function publishedKeys(source: string): Promise<PublicJwk[]> {
  let text: string;
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source);
    if (!res.ok) throw new CliInputError(`cannot fetch the keys from ${source}: HTTP ${res.status}`);
    text = await res.text();
  } else {
    try {
      text = readFileSync(source, 'utf8');
    } catch {
      throw new CliInputError(`cannot read the keys file ${source}`);
    }
  }
  try {
    const keys = (JSON.parse(text) as { keys?: PublicJwk[] }).keys;
    if (!Array.isArray(keys)) throw new Error('no keys');
    return keys;
  } catch {
    throw new CliInputError(`${source} is not a key set like /.well-known/korus-keys.json`);
  }
}

/** `korus card verify` checks a status card offline; `korus card rotate-keys` starts a new signing key. */
export function registerCardCommands(program: Command): void {
  const card = program.command('card').description('Worker status cards');
  card
    .command('verify <token>')
    .description(
      'Check a card offline: signature against the published keys, and its dates (revocation needs the server: POST /api/cards/verify)',
    )
    .option(
      '--keys <file|url>',
      'the published key set (a saved /.well-known/korus-keys.json, or its URL); default: this data directory’s keys',
    )
    .option('--data-dir <dir>', 'data directory whose keys to use (env KORUS_DATA_DIR)')
    .option('--json', 'print the result as JSON')
    .action(async (token: string, options: { keys?: string; dataDir?: string; json?: boolean }) => {
      const keys = options.keys
        ? await publishedKeys(options.keys)
        : loadCardKeys(loadConfig({ dataDir: options.dataDir }).dataDir).publicKeys;
      const check = verifyCard(token, keys, Math.floor(Date.now() / 1000));
      if (options.json)
        printJson(
          check.valid
            ? { valid: true, reason: null, claims: check.claims }
            : { valid: false, reason: check.reason, claims: check.claims },
        );
      else if (check.valid) {
        const c = check.claims as Record<string, unknown> & { names?: { hangul: string; romanized: string } };
        process.stdout.write(
          `VALID / 유효: ${c.names?.hangul ?? ''} ${c.names?.romanized ?? ''}, ${String(c.classOfAdmission)} until ${String(c.admitUntil)}, expires ${new Date(check.claims.exp * 1000).toISOString()}\n`,
        );
      } else {
        const r = reasons[check.reason]!;
        process.stderr.write(`korus: INVALID card: ${r.en}\nkorus: 유효하지 않은 확인증: ${r.ko}\n`);
      }
      process.exitCode = check.valid ? 0 : 1;
    });
  card
    .command('rotate-keys')
    .description('Start signing cards with a new key; the older keys stay published for cards they signed')
    .option('--data-dir <dir>', 'data directory (env KORUS_DATA_DIR)')
    .action((options: { dataDir?: string }) => {
      const kid = rotateCardKeys(loadConfig({ dataDir: options.dataDir }).dataDir);
      process.stdout.write(`New card signing key ${kid}. Restart the server to use it.\n`);
    });
}
