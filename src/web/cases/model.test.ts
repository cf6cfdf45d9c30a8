import { describe, expect, it } from 'vitest';
import type { CaseSummary } from '../../contract/pipeline.js';
import { slaStates } from '../../contract/workflow.js';
import en from '../i18n/en.json' with { type: 'json' };
import ko from '../i18n/ko.json' with { type: 'json' };
import { flatten } from '../i18n/i18n.js';
import { flatLabels } from '../../contract/labels.js';
import {
  boardUrl,
  chartGeometry,
  checkUpload,
  columnsFor,
  filtersFromSearch,
  listUrl,
  matchesWorker,
  MAX_UPLOAD_BYTES,
  nextStage,
  niceTicks,
  searchFromFilters,
  slaMark,
  type BoardColumn,
} from './model.js';
import { caseMessageKeys } from './keys.js';

const card = (over: Partial<CaseSummary>): CaseSummary =>
  ({
    id: '00000000-0000-4000-8000-000000000001',
    workerName: 'KIM MINJUN',
    workerNameHangul: '김민준',
    stage: 'prepare_documents',
    stageTitle: { en: 'Prepare documents', ko: '서류 준비' },
    targetDate: '2026-12-01',
    ...over,
  }) as CaseSummary;

const column = (stage: string, cards: CaseSummary[] = []): BoardColumn => ({
  stage,
  title: { en: stage, ko: stage },
  count: cards.length,
  cards,
});

describe('board filters', () => {
  it('round-trip through the query string and ignore an unknown SLA state', () => {
    const f = { projectId: 'p1', category: 'B1', sla: 'late' as const, q: '김 ' };
    expect(searchFromFilters(f)).toBe('?project=p1&category=B1&sla=late&q=%EA%B9%80');
    expect(filtersFromSearch(searchFromFilters(f), slaStates)).toEqual({ ...f, q: '김' });
    expect(filtersFromSearch('?project=p1&sla=soon', slaStates).sla).toBe('');
  });

  it('use the board alone without SLA or search, the case list with them', () => {
    const f = { projectId: 'p1', category: 'ESTA', sla: '' as const, q: '' };
    expect(boardUrl(f, 25)).toBe('/api/cases/board?projectId=p1&perStage=25&category=ESTA');
    expect(listUrl(f, 2000)).toBeNull();
    expect(listUrl({ ...f, sla: 'at_risk' }, 2000)).toBe(
      '/api/cases?projectId=p1&limit=2000&category=ESTA&sla=at_risk',
    );
    expect(listUrl({ ...f, q: 'kim' }, 10)).toBe('/api/cases?projectId=p1&limit=10&category=ESTA');
  });

  it('match workers in Hangul or romanized names, in either order, ignoring case and spaces', () => {
    const c = card({});
    expect(matchesWorker(c, '민준')).toBe(true);
    expect(matchesWorker(c, 'kim min')).toBe(true);
    expect(matchesWorker(c, 'minjun kim')).toBe(true);
    expect(matchesWorker(c, 'lee')).toBe(false);
    expect(matchesWorker(c, '  ')).toBe(true);
  });
});

describe('board columns', () => {
  const board = [column('prepare_documents'), column('travel'), column('admitted')];

  it('keep the board when no list is loaded', () => {
    expect(columnsFor(board, null, 'x')).toBe(board);
  });

  it('place listed cases in their stage, drop empty columns, add unknown stages at the end, due first', () => {
    const a = card({ id: 'a', stage: 'travel', targetDate: '2026-12-09' });
    const b = card({ id: 'b', stage: 'travel', targetDate: '2026-12-02', workerName: 'LEE SEOYEON' });
    const c = card({ id: 'c', stage: 'esta_review', stageTitle: { en: 'ESTA review', ko: 'ESTA 심사' } });
    const cols = columnsFor(board, [a, b, c], '');
    expect(cols.map((x) => [x.stage, x.count])).toEqual([
      ['travel', 2],
      ['esta_review', 1],
    ]);
    expect(cols[0]!.cards.map((x) => x.id)).toEqual(['b', 'a']);
    expect(cols[1]!.title.ko).toBe('ESTA 심사');
    expect(columnsFor(board, [a, b, c], 'seoyeon').flatMap((x) => x.cards.map((y) => y.id))).toEqual(['b']);
  });

  it('find the one-step forward move only', () => {
    const t = (to: string, kind: 'forward' | 'skip' | 'back' | 'exit') => ({
      to,
      kind,
      title: { en: to, ko: to },
      needsOverride: kind === 'skip',
    });
    expect(nextStage({ allowedTransitions: [t('withdrawn', 'exit'), t('travel', 'forward')] })?.to).toBe(
      'travel',
    );
    expect(nextStage({ allowedTransitions: [t('admitted', 'skip')] })).toBeUndefined();
  });
});

describe('upload checks', () => {
  it('accept PDF, JPEG and PNG up to 10 MB, by type and name', () => {
    expect(checkUpload({ name: 'Passport.PDF', size: 10, type: 'application/pdf' })).toEqual({
      ok: true,
      contentType: 'application/pdf',
    });
    expect(checkUpload({ name: 'photo.jpeg', size: 10, type: '' })).toEqual({
      ok: true,
      contentType: 'image/jpeg',
    });
    expect(checkUpload({ name: 'a.png', size: MAX_UPLOAD_BYTES, type: 'image/png' }).ok).toBe(true);
  });

  it('refuse empty, too large, other types and a name that contradicts the type', () => {
    expect(checkUpload({ name: 'a.pdf', size: 0, type: 'application/pdf' })).toEqual({
      ok: false,
      error: 'empty',
    });
    expect(checkUpload({ name: 'a.pdf', size: MAX_UPLOAD_BYTES + 1, type: 'application/pdf' })).toEqual({
      ok: false,
      error: 'tooLarge',
    });
    expect(checkUpload({ name: 'a.docx', size: 5, type: 'application/msword' })).toEqual({
      ok: false,
      error: 'type',
    });
    expect(checkUpload({ name: 'page.pdf', size: 5, type: 'text/html' })).toEqual({
      ok: false,
      error: 'type',
    });
    expect(checkUpload({ name: 'scan.png', size: 5, type: 'application/pdf' })).toEqual({
      ok: false,
      error: 'type',
    });
  });
});

describe('lead-time chart', () => {
  it('picks nice ticks that cover the maximum', () => {
    expect(niceTicks(0)).toEqual([0]);
    expect(niceTicks(37)).toEqual([0, 10, 20, 30, 40]);
    expect(niceTicks(9.2)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(120)).toEqual([0, 25, 50, 75, 100, 125]);
  });

  it('scales median and p90 bars to the axis; a group without samples has no bar', () => {
    const g = chartGeometry(
      [
        { key: 'B1', label: 'B-1', count: 4, medianDays: 20, p90Days: 37, open: 1, late: 0 },
        { key: 'H1B', label: 'H-1B', count: 1, medianDays: null, p90Days: null, open: 1, late: 1 },
      ],
      { width: 416, labelWidth: 100, rowHeight: 40, top: 20 },
    );
    expect(g.max).toBe(40);
    expect(g.plotWidth).toBe(300);
    expect(g.bars[0]).toMatchObject({ y: 20, medianWidth: 150, p90Width: 277.5 });
    expect(g.bars[1]).toMatchObject({ y: 60, medianWidth: 0, p90Width: 0, median: null });
    expect(g.height).toBe(20 + 80 + 24);
  });
});

describe('messages of the case screens', () => {
  it('exist in both languages for every code the screens translate', () => {
    const flatEn = { ...flatten(en), ...flatLabels('en') };
    const flatKo = { ...flatten(ko), ...flatLabels('ko') };
    const keys = caseMessageKeys();
    expect(keys.filter((k) => !(k in flatEn))).toEqual([]);
    expect(keys.filter((k) => !(k in flatKo))).toEqual([]);
    expect(Object.keys(slaMark).sort()).toEqual([...slaStates].sort());
  });
});
