import { describe, expect, it } from 'vitest';
import { niceMax, percentUsed, ticks, usePath, xOf } from './chart.js';

describe('quota dashboard charts', () => {
  it('rounds axes up to 1, 2 or 5 times a power of ten', () => {
    expect(niceMax(15_000)).toBe(20_000);
    expect(niceMax(65_000)).toBe(100_000);
    expect(niceMax(5_400)).toBe(10_000);
    expect(niceMax(1_400)).toBe(2_000);
    expect(niceMax(10_500)).toBe(20_000);
    expect(niceMax(0)).toBe(1);
    expect(ticks(20_000)).toEqual([0, 5_000, 10_000, 15_000, 20_000]);
  });
  it('draws cumulative use across the fiscal year, clamped to the box', () => {
    const path = usePath(
      [
        { date: '2026-10-01', used: 0, cap: 100 },
        { date: '2027-04-01', used: 50, cap: 100 },
        { date: '2028-01-01', used: 300, cap: 100 },
      ],
      '2026-10-01',
      '2027-09-30',
      100,
      364,
      100,
    );
    expect(path).toBe('M0.0,100.0 L182.0,50.0 L364.0,0.0');
    expect(xOf('2027-09-30', '2026-10-01', '2027-09-30', 364)).toBe(364);
    // A single day of movements still draws a line from the start of the year.
    expect(
      usePath([{ date: '2026-10-02', used: 7, cap: 100 }], '2026-10-01', '2027-09-30', 100, 364, 100),
    ).toBe('M0.0,100.0 L1.0,93.0');
  });
  it('reports the share used', () => {
    expect(percentUsed(7_500, 15_000)).toBe(50);
    expect(percentUsed(1, 3)).toBe(33.3);
    expect(percentUsed(5, null)).toBe(0);
  });
});
