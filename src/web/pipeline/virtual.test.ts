import { describe, expect, it } from 'vitest';
import { listWindow, pagesFor } from './virtual.js';

describe('listWindow', () => {
  it('renders only the visible rows plus overscan at the top', () => {
    expect(listWindow(0, 400, 40, 10_000, 5)).toEqual({
      start: 0,
      end: 16,
      offsetTop: 0,
      totalHeight: 400_000,
    });
  });
  it('follows the scroll position deep into a long list', () => {
    const w = listWindow(200_000, 400, 40, 10_000, 5);
    expect(w.start).toBe(4995);
    expect(w.end).toBe(5016);
    expect(w.offsetTop).toBe(4995 * 40);
  });
  it('clamps at the end and for short or empty lists', () => {
    expect(listWindow(399_800, 400, 40, 10_000).end).toBe(10_000);
    expect(listWindow(0, 400, 40, 3)).toEqual({ start: 0, end: 3, offsetTop: 0, totalHeight: 120 });
    expect(listWindow(500, 400, 40, 0)).toEqual({ start: 0, end: 0, offsetTop: 0, totalHeight: 0 });
  });
  it('rejects a non-positive row height', () => {
    expect(() => listWindow(0, 100, 0, 10)).toThrow(RangeError);
  });
});

describe('pagesFor', () => {
  it('lists the page offsets covering a row range', () => {
    expect(pagesFor(0, 16, 100)).toEqual([0]);
    expect(pagesFor(95, 120, 100)).toEqual([0, 100]);
    expect(pagesFor(4995, 5016, 100)).toEqual([4900, 5000]);
    expect(pagesFor(10, 10, 100)).toEqual([]);
  });
});
