import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LeadTimeRecord } from '../../contract/workflow.js';
import { doorToDoorDays, leadTimeStats, median, percentileCont } from './stats.js';

describe('percentileCont (linear interpolation, as PostgreSQL percentile_cont)', () => {
  it('matches hand-computed values', () => {
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(percentileCont([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 12); // h = 0.9·3 = 2.7 → 3 + 0.7·(4 − 3)
    expect(median([5, 1, 9, 3, 7])).toBe(5);
    expect(percentileCont([5, 1, 9, 3, 7], 0.9)).toBeCloseTo(8.2, 12); // h = 3.6 → 7 + 0.6·2
    expect(percentileCont([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 12); // SELECT percentile_cont(0.9) … = 9.1
    expect(percentileCont([10], 0.9)).toBe(10);
    expect(percentileCont([3, 8], 0)).toBe(3);
    expect(percentileCont([3, 8], 1)).toBe(8);
    expect(median([])).toBeNull();
    expect(() => percentileCont([1], 1.5)).toThrow(RangeError);
  });

  it('keeps the median between min and max, p90 at or above the median, and does not reorder its input', () => {
    const values = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), {
      minLength: 1,
      maxLength: 200,
    });
    fc.assert(
      fc.property(
        values,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (xs, p, q) => {
          const before = [...xs];
          const m = median(xs)!;
          const p90 = percentileCont(xs, 0.9)!;
          expect(m).toBeGreaterThanOrEqual(Math.min(...xs));
          expect(m).toBeLessThanOrEqual(Math.max(...xs));
          expect(p90).toBeGreaterThanOrEqual(m - 1e-9 * Math.max(1, Math.abs(m)));
          const [lo, hi] = p <= q ? [p, q] : [q, p];
          expect(percentileCont(xs, hi)!).toBeGreaterThanOrEqual(
            percentileCont(xs, lo)! - 1e-9 * Math.max(1, Math.abs(m)),
          );
          expect(xs).toEqual(before);
        },
      ),
    );
  });
});

const base = {
  organizationId: 'org-a',
  organizationName: 'Alpha',
  projectId: 'p-1',
  projectName: 'Plant 1',
  targetDate: '2026-06-01',
};
function admitted(category: string, days: number, extra: Partial<LeadTimeRecord> = {}): LeadTimeRecord {
  const opened = Date.parse('2026-01-01T00:00:00Z');
  return {
    ...base,
    category,
    status: 'admitted',
    openedAt: new Date(opened).toISOString(),
    admittedAt: new Date(opened + days * 86_400_000).toISOString(),
    ...extra,
  };
}
const open = (category: string, targetDate: string, extra: Partial<LeadTimeRecord> = {}): LeadTimeRecord => ({
  ...base,
  category,
  status: 'open',
  openedAt: '2026-01-01T00:00:00Z',
  admittedAt: null,
  targetDate,
  ...extra,
});

describe('leadTimeStats', () => {
  it('measures door-to-door (opened → admitted) per category with open and late counts', () => {
    const records = [
      admitted('B1', 40),
      admitted('B1', 10),
      admitted('B1', 30),
      admitted('B1', 20),
      admitted('E2', 75.25),
      open('B1', '2026-03-01'),
      open('B1', '2026-02-28'),
      open('E2', '2026-03-05'),
      { ...open('B1', '2026-01-01'), status: 'withdrawn' as const },
    ];
    const groups = leadTimeStats(records, 'category', { today: '2026-03-01T12:00:00Z' });
    expect(groups).toEqual([
      { key: 'B1', label: 'B1', count: 4, medianDays: 25, p90Days: 37, open: 2, late: 1 },
      { key: 'E2', label: 'E2', count: 1, medianDays: 75.3, p90Days: 75.3, open: 1, late: 0 },
    ]);
    expect(doorToDoorDays(admitted('B1', 1.5))).toBe(1.5);
    expect(doorToDoorDays(open('B1', '2026-03-01'))).toBeNull();
  });

  it('groups by organization and project with their names, null statistics when nothing is admitted yet', () => {
    const records = [
      admitted('B1', 12, {
        organizationId: 'org-b',
        organizationName: 'Beta',
        projectId: 'p-2',
        projectName: 'Annex',
      }),
      open('B1', '2026-12-01'),
    ];
    expect(leadTimeStats(records, 'organization', { today: '2026-03-01' })).toEqual([
      { key: 'org-a', label: 'Alpha', count: 0, medianDays: null, p90Days: null, open: 1, late: 0 },
      { key: 'org-b', label: 'Beta', count: 1, medianDays: 12, p90Days: 12, open: 0, late: 0 },
    ]);
    expect(leadTimeStats(records, 'project', { today: '2026-03-01' }).map((g) => g.label)).toEqual([
      'Annex',
      'Plant 1',
    ]);
  });

  it('measures the time in each stage per visit, counting open cases at their current stage', () => {
    const events = (...list: [string, number][]) =>
      list.map(([to, day]) => ({
        to,
        at: new Date(Date.parse('2026-01-01T00:00:00Z') + day * 86_400_000).toISOString(),
      }));
    const records = [
      admitted('B1', 9, {
        events: events(
          ['prepare_documents', 0],
          ['visa_application', 2],
          ['prepare_documents', 3],
          ['visa_application', 4],
          ['admitted', 9],
        ),
      }),
      open('B1', '2026-01-20', { events: events(['prepare_documents', 0], ['visa_application', 6]) }),
    ];
    const groups = leadTimeStats(records, 'stage', {
      today: '2026-02-01',
      stageLabel: (id) => id.toUpperCase(),
    });
    expect(groups).toEqual([
      { key: 'admitted', label: 'ADMITTED', count: 0, medianDays: null, p90Days: null, open: 0, late: 0 },
      // prepare_documents visits: 2, 1, 6 days → median 2, p90 = 2 + 0.8·(6 − 2) = 5.2
      {
        key: 'prepare_documents',
        label: 'PREPARE_DOCUMENTS',
        count: 3,
        medianDays: 2,
        p90Days: 5.2,
        open: 0,
        late: 0,
      },
      // visa_application visits: 1, 5 days (the open one is not finished) → median 3, p90 4.6
      {
        key: 'visa_application',
        label: 'VISA_APPLICATION',
        count: 2,
        medianDays: 3,
        p90Days: 4.6,
        open: 1,
        late: 1,
      },
    ]);
  });
});
