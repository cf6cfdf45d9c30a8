import { describe, expect, it } from 'vitest';
import { korus } from './testing.js';

describe('korus rules review', () => {
  it('lists what is due, overdue first, as JSON; --strict fails while something is overdue; a bad date is exit 2', async () => {
    const today = await korus(['rules', 'review', '--json', '--as-of', '2026-12-07']);
    expect(today.code, today.stderr).toBe(0);
    const now = JSON.parse(today.stdout) as { overdue: number; parameters: number; requirements: number };
    expect(now.overdue).toBe(0);
    expect(now.parameters).toBeGreaterThan(60);
    expect(now.requirements).toBeGreaterThan(50);

    const later = await korus(['rules', 'review', '--json', '--as-of', '2027-12-31', '--strict']);
    expect(later.code).toBe(1);
    const report = JSON.parse(later.stdout) as {
      overdue: number;
      items: { state: string; source: { href: string } | null }[];
    };
    expect(report.overdue).toBeGreaterThan(50);
    expect(report.items.every((i) => i.source?.href.startsWith('https://'))).toBe(true);

    const text = await korus(['rules', 'review', '--as-of', '2027-06-01']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/overdue/);
    expect(text.stdout).toMatch(/last reviewed 2026-/);

    const bad = await korus(['rules', 'review', '--as-of', '2027-02-30']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--as-of must be a date/);
  }, 60_000);
});
