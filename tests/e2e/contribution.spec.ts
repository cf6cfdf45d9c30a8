import { expect, test } from './fixtures.js';
import { expectAccessible } from './axe.js';
import { signIn } from './session.js';

/**
 * The contribution ledger (issue 20), in Korean: a partner firm's HR records a training session given by one of
 * its Korean workers to three named US trainees, sees the project's indicators move, generates the training
 * evidence pack on the worker's B-1 specialized-trainer case (a PDF attached to its checklist), and a
 * working-group officer reads the sector report.
 */
const partner = { email: 'admin@daeho-precision.example', password: 'KorusDemo!2026' };
const officer = { email: 'officer@visa-desk.example', password: 'KorusDemo!2026' };

test('a partner records training, the indicators move, an evidence pack is attached, the working group reads it (Korean)', async ({
  page,
  browser,
}) => {
  // prettier-ignore
  test.setTimeout(120_000);
  await signIn(page, '한국어', partner);
  // The worker on the B-1 specialized-trainer case (the demo has one for this partner).
  const cases = await page.request.get('/api/cases?limit=500');
  const trainerCase = ((await cases.json()).items as { id: string; provision: string | null; workerNameHangul: string; workerId: string }[]).find((c) => c.provision === 'trainer')!; // prettier-ignore
  expect(trainerCase).toBeTruthy();

  await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '기여 원장' }).click();
  const page1 = page.getByTestId('contribution');
  await expect(page1.getByRole('heading', { level: 1, name: '기여 원장' })).toBeVisible();
  const projects = page1.getByTestId('contribution-projects');
  const row = projects.getByRole('row').filter({ hasText: 'Battery cell plant' });
  const traineesBefore = Number(await row.getByRole('cell').nth(4).innerText());

  const form = page1.getByRole('form', { name: '교육 세션 기록' });
  await form.getByLabel('한국인 트레이너').selectOption({ value: trainerCase.workerId });
  await form.getByLabel('시간', { exact: true }).fill('6');
  await form.getByLabel('주제').fill('전극 코팅 라인 가동 / Electrode coating line start-up');
  await form.getByLabel('장비').fill('Coater C-200');
  await form.getByLabel('장소').fill('Georgia plant, line 2');
  for (const [k, name] of ['Jamie Carter', 'Luis Ortega', 'Ava Brooks'].entries()) {
    await form.getByRole('button', { name: '교육생 추가' }).click();
    await form.getByLabel(`교육생 ${k + 1}`, { exact: true }).fill(name);
    if (k < 2) await form.getByLabel(`교육생 ${k + 1} 자격 취득`).check();
  }
  await form.getByRole('button', { name: '세션 기록' }).click();
  await expect(page1.getByRole('status').filter({ hasText: '세션을 기록했습니다' })).toBeVisible();
  // The project's trainee count moved by three; the session shows its named trainees to this firm.
  await expect(row.getByRole('cell').nth(4)).toHaveText(String(traineesBefore + 3));
  await expect(
    page1.getByTestId('sessions').getByText('Jamie Carter ✓, Luis Ortega ✓, Ava Brooks'),
  ).toBeVisible();
  await expectAccessible(page, 'contribution ledger (ko)');

  // The trainer's B-1 case: generate the evidence pack from the ledger; it is attached to the checklist.
  await page.goto(`/cases/${trainerCase.id}`);
  const item = page.locator('tr[data-doc="training_evidence_pack"]');
  await expect(item).toContainText('기여 원장의 교육 증빙 자료');
  await item.getByRole('button', { name: /기여 원장에서 생성|다시 생성/ }).click();
  await expect(item).toContainText('제출됨');
  const link = page.getByRole('link', { name: /training-evidence-pack-.*\.pdf/ });
  await expect(link).toBeVisible();
  const pdf = await page.request.get((await link.getAttribute('href'))!);
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

  // A working-group officer reads the sector report (aggregates only).
  const other = await browser.newContext();
  const officerPage = await other.newPage();
  await signIn(officerPage, '한국어', officer);
  await officerPage.goto('/contribution');
  const report = officerPage.getByTestId('contribution-report');
  await expect(report.getByRole('heading', { name: '기여 보고서(실무 협의체)' })).toBeVisible();
  await expect(
    report.getByTestId('report-bySector').getByRole('rowheader', { name: '배터리' }),
  ).toBeVisible();
  await expect(report.getByRole('link', { name: '보고서 내려받기(PDF)' })).toBeVisible();
  await expect(report.getByTestId('sector-chart').getByRole('img', { name: /산업별 100만 달러당 사용 비자/ })).toBeVisible(); // prettier-ignore
  await expect(officerPage.getByTestId('project-ledger')).toHaveCount(0);
  await other.close();
});
