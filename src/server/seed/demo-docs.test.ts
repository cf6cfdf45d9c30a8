import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../package-root.js';
import { DEMO_PASSWORD, demoLoginLines, demoLogins } from './demo.js';

/** What a newcomer reads (README) and sees (the start banner) names every login the demo creates (issue 13). */
describe('demo logins in the README and the start banner', () => {
  const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
  const banner = demoLoginLines().join('\n');

  it('lists every demo login, with the password, in both', () => {
    expect(demoLogins.length).toBeGreaterThan(10);
    for (const login of demoLogins) {
      expect(readme, login.email).toContain(`\`${login.email}\``);
      expect(banner, login.email).toContain(login.email);
    }
    expect(readme).toContain(DEMO_PASSWORD);
    expect(banner).toContain(DEMO_PASSWORD);
  });

  it('names no login the demo does not create', () => {
    const known = new Set(demoLogins.map((l) => l.email));
    const inReadme = [...readme.matchAll(/`([a-z]+@[a-z.-]+\.example)`/g)].map((m) => m[1]!);
    expect(inReadme.filter((email) => !known.has(email))).toEqual([]);
  });

  it('says what a role is in words, in English and Korean', () => {
    expect(banner).toContain('Administrator / 관리자');
    expect(banner).not.toMatch(/\bplatform_admin\b/);
  });
});
