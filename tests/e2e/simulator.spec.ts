import { expect, test } from './fixtures.js';
import { expectAccessible } from './axe.js';
import { signIn } from './session.js';

/**
 * The policy simulator (issue 21), in Korean: HR moves the levers (demand, the desk's capacity, the E-4 and an SME
 * pool), runs, follows the progress and reads the comparison with today as a table with intervals and a chart.
 */
test('HR edits a scenario, runs it, and sees the comparison chart (Korean)', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, '한국어');
  await page
    .getByRole('navigation', { name: '주 메뉴' })
    .getByRole('link', { name: '정책 시뮬레이터' })
    .click();
  const sim = page.getByTestId('simulator');
  await expect(sim.getByRole('heading', { level: 1, name: '정책 시뮬레이터' })).toBeVisible();
  await expect(sim.getByText('시뮬레이션은 예측이 아닙니다')).toBeVisible();
  await sim.getByLabel(/필요 인원/).fill('200');
  await expect(sim.getByText('필요 인원: 계획의 200%')).toBeVisible();
  await sim.getByLabel(/대사관 창구: 주당/).fill('40');
  await sim.getByLabel(/중소 협력사 몫/).fill('20');
  await sim.getByLabel(/반복 횟수/).fill('10');
  await sim.getByRole('button', { name: '실행하고 현재와 비교' }).click();
  const chart = sim.getByTestId('simulation-chart');
  await expect(chart).toBeVisible({ timeout: 60_000 });
  const table = sim.getByTestId('simulation-table');
  await expect(table.getByRole('rowheader', { name: '소요 기간 중앙값(일)' })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: '사용자 시나리오' })).toBeVisible();
  await expect(chart.getByRole('img')).toHaveAttribute('aria-label', /소요 기간 분포/);
  await expect(sim.getByText(/완료/).first()).toBeVisible();
  await expectAccessible(page, 'policy simulator with a comparison (ko)');
});
