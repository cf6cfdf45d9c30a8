import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leadTimeFigures, quantile, showBreakdown, showCount, showRate } from './small-cells.js';

describe('the small-cell rule (issue 17)', () => {
  it('shows a count of fewer than five people as "<5", zero and five or more as themselves', () => {
    expect([0, 1, 4, 5, 120].map((n) => showCount(n))).toEqual([0, '<5', '<5', 5, 120]);
    expect(showCount(9, { minCell: 10 })).toBe('<10');
    expect(() => showCount(3, { minCell: 0 })).toThrow(RangeError);
  });

  it('hides a second cell when only one would be hidden, so the total does not give it away', () => {
    expect(showBreakdown({ seoul: 40, busan: 3, other: 12 })).toEqual({
      seoul: 40,
      busan: '<5',
      other: '<5',
    });
    expect(showBreakdown({ seoul: 40, busan: 3, jeju: 2 })).toEqual({ seoul: 40, busan: '<5', jeju: '<5' });
    expect(showBreakdown({ seoul: 40, busan: 0, other: 12 })).toEqual({ seoul: 40, busan: 0, other: 12 });
  });

  it('never leaves exactly one hidden cell among siblings, and never shows a count below the threshold', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.nat(40)),
        fc.integer({ min: 2, max: 10 }),
        (counts, minCell) => {
          const shown = showBreakdown(counts, { minCell });
          const values = Object.values(shown);
          for (const v of values) if (typeof v === 'number') expect(v === 0 || v >= minCell).toBe(true);
          const hidden = values.filter((v) => typeof v === 'string').length;
          const nonZero = Object.values(counts).filter((n) => n > 0).length;
          expect(hidden === 1 && nonZero > 1).toBe(false);
        },
      ),
    );
  });

  it('gives the median, the 90th percentile and the share under 30 days, or nothing for a small group', () => {
    const days = [12, 18, 25, 29, 31, 45, 60, 90, 120, 200];
    expect(leadTimeFigures(days)).toEqual({
      people: 10,
      median: 38,
      p90: 128,
      shareWithin: 0.4,
      withinDays: 30,
    });
    expect(leadTimeFigures([10, 20, 30])).toEqual({
      people: '<5',
      median: null,
      p90: null,
      shareWithin: null,
      withinDays: 30,
    });
    expect(() => leadTimeFigures([-1, 2, 3, 4, 5])).toThrow(RangeError);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  });

  it('hides a rate drawn from too few people', () => {
    expect(showRate(3, 100)).toBeNull();
    expect(showRate(0, 100)).toBe(0);
    expect(showRate(10, 40)).toBe(0.25);
    expect(showRate(2, 4)).toBeNull();
  });
});
