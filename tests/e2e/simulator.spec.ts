import { expect, test } from './fixtures.js';
import { expectAccessible } from './axe.js';
import { signIn } from './session.js';

/**
 * The policy simulator (issue 21), in Korean: HR measures the figures from the demo cases of the last year (each
 * with its sample size), moves the levers (demand, the desk's and the consulate's capacity, the H-1B lottery, the
 * E-4 and an SME pool), runs, follows the progress and reads the comparison with today as a table with intervals,
 * the lead-time chart and the queue over time.
 */
test('HR calibrates and edits a scenario, runs it, and sees the comparison chart (Korean)', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signIn(page, '한국어');
  await page
    .getByRole('navigation', { name: '주 메뉴' })
    .getByRole('link', { name: '정책 시뮬레이터' })
    .click();
  const sim = page.getByTestId('simulator');
  await expect(sim.getByRole('heading', { level: 1, name: '정책 시뮬레이터' })).toBeVisible();
  await expect(sim.getByText('시뮬레이션은 예측이 아닙니다')).toBeVisible();
  // Measured figures: the demo's cases of the last year replace the entered durations, with their counts.
  await sim.getByRole('button', { name: '사건 기록으로 측정' }).click();
  const calibration = sim.getByTestId('calibration-table');
  await expect(calibration.getByText(/사건 \d+건에서 측정/)).toBeVisible({ timeout: 30_000 });
  const deskGroup = calibration.locator('tbody', { has: page.getByRole('rowheader', { name: '대사관 데스크를 통한 B-1' }) }); // prettier-ignore
  await expect(deskGroup.getByRole('row', { name: /서류 및 DS-160 소요 기간 \d+ .* 사용$/ })).toBeVisible();
  await expect(deskGroup.getByRole('row', { name: /데스크 일괄 신청 소요 기간 .*미사용: 처리 능력이 결정/ })).toBeVisible(); // prettier-ignore
  await sim.getByLabel(/필요 인원/).fill('200');
  await expect(sim.getByText('필요 인원: 계획의 200%')).toBeVisible();
  await sim.getByLabel(/대사관 창구: 주당/).fill('40');
  await sim.getByLabel(/서울 영사과/).fill('50');
  await expect(sim.getByText('서울 영사과(일반 대기열, 청원): 주당 인터뷰 50건')).toBeVisible();
  await sim.getByLabel(/H-1B 추첨/).fill('50');
  await sim.getByLabel(/중소 협력사 몫/).fill('20');
  await sim.getByLabel(/반복 횟수/).fill('10');
  await sim.getByRole('button', { name: '실행하고 현재와 비교' }).click();
  const chart = sim.getByTestId('simulation-chart');
  await expect(chart).toBeVisible({ timeout: 60_000 });
  const table = sim.getByTestId('simulation-table');
  await expect(table.getByRole('rowheader', { name: '소요 기간 중앙값(일)' })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: '사용자 시나리오' })).toBeVisible();
  await expect(chart.getByRole('img')).toHaveAttribute('aria-label', /소요 기간 분포/);
  await expect(
    table.getByRole('rowheader', { name: '대사관 데스크 인터뷰: 처리 능력 사용률' }),
  ).toBeVisible();
  // The queue over time, for a resource chosen by name.
  await sim.getByLabel('시간에 따른 대기열').selectOption({ label: '서울 영사과 인터뷰' });
  await expect(sim.getByTestId('queue-chart').getByRole('img')).toHaveAttribute(
    'aria-label',
    /서울 영사과 인터뷰/,
  );
  await expect(sim.getByText(/완료/).first()).toBeVisible();
  await expectAccessible(page, 'policy simulator with a comparison (ko)');
});
