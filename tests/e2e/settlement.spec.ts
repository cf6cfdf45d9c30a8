import { readFileSync } from 'node:fs';
import { readPdf } from '../../src/server/letters/testing/pdf-text.js';
import { expect, test } from './fixtures.js';
import { expectAccessible } from './axe.js';
import { signIn } from './session.js';

/**
 * The settlement planner (issue 19), in Korean: the investor's HR opens the demo worker with a spouse and two
 * children (강민석), picks "permanent residence", sees at least two ranked paths on the timeline with the
 * children's school years and age-out dates, and downloads the family plan PDF in Korean (Hangul text read back
 * from the file); the worker reads their own plan and the directory near the site on a phone; a working-group
 * officer reads the aggregates.
 */
test('HR plans a family’s permanent residence and downloads the Korean family plan; the worker and the working group read theirs', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  await signIn(page, '한국어');
  await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '근로자' }).click();
  await page.getByRole('searchbox').fill('강민석');
  await page
    .getByRole('link', { name: /강민석/ })
    .first()
    .click();
  await expect(page.getByRole('heading', { level: 1, name: /강민석/ })).toBeVisible();
  const panel = page.locator('section.plan-panel');
  await expect(panel.getByRole('heading', { name: '정착 계획' })).toBeVisible();
  // A stay of years first, then permanent residence: the plan is computed for the goal picked.
  const paths = panel.locator('ol.plan-paths > li');
  await expect(paths.first()).toBeVisible();
  await panel.getByRole('radio', { name: '일정 기간 체류' }).check();
  await panel.getByRole('spinbutton', { name: '연수' }).fill('8');
  await panel.getByRole('button', { name: /다시 계획|계획 세우기/ }).click();
  // For a stay of years, E-2 renewals come first (no total limit).
  await expect(paths.first().getByRole('heading', { level: 3 })).toContainText('E-2');
  await expect(panel.getByText('새 목표로 다시 계획했습니다.')).toBeVisible();
  await panel.getByRole('radio', { name: '영주권' }).check();
  await panel.getByRole('button', { name: /다시 계획|계획 세우기/ }).click();
  await expect(paths.first().getByRole('heading', { level: 3 })).toContainText('영주권');
  expect(await paths.count()).toBeGreaterThanOrEqual(2);
  const first = paths.first();
  await expect(first.getByRole('heading', { level: 3 })).toContainText('영주권');
  await expect(paths.nth(1).getByRole('heading', { level: 3 })).toContainText('영주권');
  // The timeline: the worker's status, the green card steps, the spouse, both children with school years.
  const timeline = first.getByRole('img', { name: /연도별 일정/ });
  await expect(timeline.getByText('근로자', { exact: true })).toBeVisible();
  await expect(timeline.getByText('강민지')).toBeVisible();
  await expect(timeline.getByText('강도윤')).toBeVisible();
  await expect(timeline.locator('.stl-bar-school').first()).toBeVisible();
  // The details: age-out dates and school years of each child, the citations.
  await expect(first.getByText(/연령 초과 \d{4}-\d{2}-\d{2}/)).toHaveCount(2);
  await expect(first.getByRole('table', { name: /GA 학년/ }).first()).toContainText('학년');
  await expect(first.locator('cite').first()).toBeVisible();
  await expect(panel.getByText(/추정/).first()).toBeVisible();
  await expectAccessible(page, 'settlement plan (ko)');

  // The family plan PDF in Korean: downloaded, Hangul text in it, the Korean font embedded.
  const downloading = page.waitForEvent('download');
  await panel.getByRole('link', { name: '가족 계획 PDF(한국어)' }).click();
  const download = await downloading;
  const pdf = readPdf(readFileSync((await download.path())!));
  expect(pdf.fonts.some((f) => f.includes('NotoSansKR'))).toBe(true);
  const text = pdf.text.replace(/\s+/g, ' ');
  for (const s of ['가족 정착 계획', '강민지', '강도윤', '연령 초과', '학년', '영주권'])
    expect(text, s).toContain(s);

  // HR corrects what the records do not say: without an affiliate abroad there is no L-1 and no EB-1C.
  await panel.getByRole('checkbox', { name: /해외 관계 회사/ }).uncheck();
  await panel.getByRole('button', { name: /다시 계획/ }).click();
  await expect(paths.first().getByRole('heading', { level: 3 })).not.toContainText('EB-1C');
  await expect(panel.getByText(/EB-1C는 해외 관계 회사가 필요합니다/)).toBeAttached();
  await panel.getByRole('checkbox', { name: /해외 관계 회사/ }).check();
  await panel.getByRole('button', { name: /다시 계획/ }).click();
  await expect(paths.first().getByRole('heading', { level: 3 })).toContainText('EB-1C');

  // The worker, on a phone: their own plan and the directory near the site.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const worker = await phone.newPage();
  await signIn(worker, '한국어', { email: 'worker@hanbit-energy.example', password: 'KorusDemo!2026' });
  await worker.goto('/family');
  await expect(worker.getByRole('heading', { level: 1, name: '우리 가족 정착 계획' })).toBeVisible();
  await expect(worker.locator('ol.plan-paths > li').first()).toBeVisible();
  const directory = worker.getByRole('region', { name: /인근 안내/ });
  await expect(directory.getByText('영사관').first()).toBeVisible();
  await expect(directory.getByText('주말 한국학교').first()).toBeVisible();
  await expect(directory.getByText('가상').first()).toBeVisible();
  await expectAccessible(worker, 'family plan on a phone (ko)');
  await phone.close();

  // A working-group officer: the aggregates on the console, no person.
  const wg = await browser.newContext();
  const officer = await wg.newPage();
  await signIn(officer, '한국어', { email: 'officer@visa-desk.example', password: 'KorusDemo!2026' });
  await officer.goto('/console');
  const figures = officer.getByTestId('console-settlement');
  await expect(figures.getByRole('heading', { name: '정착: 가족과 영주권' })).toBeVisible();
  await expect(figures).not.toContainText('강민석');
  await wg.close();
});
