import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCardKeys, rotateCardKeys, signCard } from '../server/cards/jws.js';
import { korus } from './testing.js';

describe('korus card verify (offline)', () => {
  it('accepts a card signed by a published key, after a rotation too, and refuses a tampered one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'korus-card-cli-'));
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: 'korus-mobility',
      sub: 'w',
      jti: 'c',
      iat: now,
      exp: now + 3600,
      names: { hangul: '홍길동', romanized: 'HONG GILDONG' },
      classOfAdmission: 'B1',
      admitUntil: '2027-01-01',
    };
    const token = signCard(loadCardKeys(dir), claims);
    rotateCardKeys(dir);
    const keysFile = join(dir, 'published.json');
    writeFileSync(keysFile, JSON.stringify({ keys: loadCardKeys(dir).publicKeys }));

    const ok = await korus(['card', 'verify', token, '--keys', keysFile]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('홍길동');
    const json = await korus(['card', 'verify', token, '--data-dir', dir, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: true, claims: { classOfAdmission: 'B1' } });

    const [h, , s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, classOfAdmission: 'E2' })).toString('base64url');
    const bad = await korus(['card', 'verify', `${h}.${forged}.${s}`, '--keys', keysFile]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('altered');
    expect(bad.stderr).toContain('변조');

    writeFileSync(join(dir, 'nonsense.json'), '{"nope": 1}');
    const wrongKeys = await korus(['card', 'verify', token, '--keys', join(dir, 'nonsense.json')]);
    expect(wrongKeys.code).toBe(2);
  }, 60_000);
});
