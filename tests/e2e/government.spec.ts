import { type Browser, type Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { expectAccessible } from './axe.js';
import { signIn } from './session.js';

/**
 * The government side (issue 17) in the browser, on the demo data: the investor's HR sends a batch to the KIT
 * Desk; a desk officer (in Korean, then in English) acknowledges it, books interviews and records one visa
 * issued with its annotation, one refused under 214(b) and one in 221(g) administrative processing; the cases
 * show those stages and the HR user is notified; the working-group officer's console shows the figures with
 * "<5" where the counts are small, and exports the PDF briefing.
 */
const password = 'KorusDemo!2026';
const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const letters = (n: number) =>
  Array.from({ length: n }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('');
/** The next weekday at least three days ahead (the desk interviews on weekdays unless it says otherwise). */
function interviewDay(): string {
  let d = Date.now() + 3 * DAY;
  while ([0, 6].includes(new Date(d).getUTCDay())) d += DAY;
  return isoDay(d);
}

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

async function write<T>(page: Page, method: 'POST' | 'PATCH', url: string, data: unknown) {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'korus_csrf')?.value ?? '';
  const res = await page.request.fetch(url, { method, data, headers: { 'x-csrf-token': csrf } });
  return { status: res.status(), body: (await res.json()) as T };
}

test('a batch goes to the embassy desk and comes back: issued, 214(b), 221(g); HR told; the console shows it', async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  // ------------------------------------------------ the investor's HR: three workers ready for the desk
  await signIn(page);
  const me = (await (await page.request.get('/api/me')).json()) as { organization: { id: string } };
  const { items } = (await (await page.request.get('/api/projects')).json()) as {
    items: { id: string; name: string; organizationId: string; startDate: string }[];
  };
  const project = items.find((p) => p.organizationId === me.organization.id)!;
  const start = Math.max(Date.now() + 40 * DAY, Date.parse(project.startDate));
  const tag = letters(4);
  const people: { given: string; hangul: string; caseId: string }[] = [];
  for (const [k, hangul] of ['민서', '지안', '하율'].entries()) {
    const given = `DESK${tag}${'ABC'[k]}`;
    const w = await write<{ id: string }>(page, 'POST', '/api/workers', {
      familyName: 'NAM',
      givenName: given,
      nameHangul: `남${hangul}`,
      birthDate: `1986-0${k + 3}-1${k}`,
      sex: 'M',
      nationality: 'KR',
      passportNumber: `K${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      passportExpiry: isoDay(Date.now() + 2000 * DAY),
      education: 'vocational',
      role: 'technician',
      employedSince: '2012-04-01',
    });
    expect(w.status).toBe(201);
    const a = await write<{ id: string }>(page, 'POST', '/api/assignments', {
      workerId: w.body.id,
      projectId: project.id,
      activities: ['equipment_installation'],
      startDate: isoDay(start),
      endDate: isoDay(start + 30 * DAY),
      payer: 'foreign',
    });
    expect(a.status).toBe(201);
    const c = await write<{ id: string }>(page, 'POST', '/api/cases', {
      assignmentId: a.body.id,
      category: 'B1',
      embassyDesk: true,
      assessment: {
        assignment: {
          equipmentFromAbroad: true,
          contractRequiresSellerService: true,
          specializedKnowledgeEssential: true,
        },
      },
    });
    expect(c.status).toBe(201);
    people.push({ given, hangul: `남${hangul}`, caseId: c.body.id });
  }

  // The batch is built and sent in the browser, to the desk chosen in the dialog.
  await page.goto('/batches/new');
  const builder = page.getByRole('form', { name: 'New batch' });
  await builder.getByLabel('Project', { exact: true }).selectOption(project.id);
  for (const p of people) await builder.getByRole('checkbox', { name: new RegExp(p.given) }).check();
  await builder.getByRole('button', { name: 'Create batch' }).click();
  await expect(page).toHaveURL(/\/batches\/[0-9a-f-]{36}$/);
  const batchId = page.url().split('/').pop()!;
  await page.getByRole('button', { name: 'Submit to the embassy desk' }).click();
  const confirm = page.getByRole('dialog', { name: 'Submit this batch?' });
  await expect(confirm.getByLabel('Send to')).toHaveValue(/[0-9a-f-]{36}/);
  await expect(confirm.getByLabel('Send to').locator('option:checked')).toHaveText(/KIT Desk/);
  await confirm.getByRole('button', { name: 'Yes, submit' }).click();
  await expect(page.getByTestId('batch-status')).toHaveText('Submitted, awaiting the desk');
  await expect(page.getByTestId('batch-history')).toContainText('Submitted to the desk');

  // ------------------------------------------------ the desk officer, in Korean
  const desk = await newPage(browser);
  await signIn(desk, '한국어', { email: 'consul@kit-desk.example', password });
  await desk.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '대사관 창구' }).click();
  await expect(desk.getByRole('heading', { level: 1, name: '대사관 창구 접수함' })).toBeVisible();
  await expect(desk.getByRole('cell', { name: '제출됨, 창구 확인 대기' }).first()).toBeVisible();
  await expectAccessible(desk, 'desk inbox (ko)');
  await desk.goto(`/desk/${batchId}`);
  await expect(desk.getByTestId('desk-status')).toHaveText('제출됨, 창구 확인 대기');
  // While open, the desk sees the people on the batch.
  for (const p of people)
    await expect(desk.getByRole('rowheader', { name: new RegExp(p.given) })).toBeVisible();
  await desk.getByRole('button', { name: '접수 확인' }).click();
  await expect(desk.getByTestId('desk-status')).toHaveText('창구 접수 확인');

  const schedule = desk.getByRole('form', { name: '인터뷰 예약' });
  await schedule.getByLabel('날짜').fill(interviewDay());
  await schedule.getByRole('button', { name: '인터뷰 예약하기' }).click();
  await expect(desk.getByRole('status').filter({ hasText: '인터뷰를 예약했습니다' })).toBeVisible();
  await expect(desk.getByRole('cell', { name: interviewDay() })).toHaveCount(3);

  const decide = desk.getByRole('form', { name: '결정 기록' });
  const nameOf = (p: (typeof people)[number]) => `${p.hangul} · NAM ${p.given}`;
  // Issued, with the batch's annotation and a validity.
  await decide.getByLabel('신청자').selectOption({ label: nameOf(people[0]!) });
  await decide.getByRole('button', { name: '결정 기록하기' }).click();
  await expect(desk.getByRole('status').filter({ hasText: '결정을 기록했습니다' })).toBeVisible();
  // Refused under 214(b), with the reason.
  await decide.getByLabel('신청자').selectOption({ label: nameOf(people[1]!) });
  await decide.locator('select[name="outcome"]').selectOption({ label: '214(b) 거절' });
  await decide.getByLabel('214(b) 거절 사유').fill('방문 목적이 허용되는 상용 활동임을 보이지 못함');
  await decide.getByRole('button', { name: '결정 기록하기' }).click();
  await expect(desk.getByRole('cell', { name: /214\(b\) 거절 · 방문 목적/ })).toBeVisible();
  // 221(g): not final, a follow-up date.
  await decide.getByLabel('신청자').selectOption({ label: nameOf(people[2]!) });
  await decide.locator('select[name="outcome"]').selectOption({ label: '행정 처리(221(g)), 최종 결정 아님' });
  await expect(decide.getByText('221(g)는 최종 거절이 아닙니다')).toBeVisible();
  await decide.getByLabel('영사관이 요청한 사항').fill('교육 계획서');
  await decide.getByRole('button', { name: '결정 기록하기' }).click();
  await expect(desk.getByRole('cell', { name: /행정 처리\(221\(g\)\), 최종 결정 아님/ })).toBeVisible();
  await expect(desk.getByTestId('batch-history')).toContainText('결정 기록: 발급');
  await expectAccessible(desk, 'desk batch (ko)');

  // The same page in English.
  await desk.getByRole('button', { name: 'English' }).click();
  await expect(desk.getByTestId('desk-status')).toHaveText('Acknowledged by the desk');
  await expect(desk.getByRole('cell', { name: /Refused under 214\(b\)/ })).toBeVisible();
  await expect(
    desk.getByRole('cell', { name: /Administrative processing \(221\(g\)\), not final/ }),
  ).toBeVisible();
  await expectAccessible(desk, 'desk batch (en)');

  // ------------------------------------------------ back at HR: the cases, the notifications
  await page.goto(`/cases/${people[0]!.caseId}`);
  await expect(page.getByTestId('ceac-status')).toContainText('Issued');
  await expect(page.getByTestId('case-consular')).toContainText(/valid until/);
  await page.goto(`/cases/${people[1]!.caseId}`);
  await expect(page.getByTestId('desk-outcome')).toContainText('Refused under 214(b)');
  await page.goto(`/cases/${people[2]!.caseId}`);
  await expect(page.getByTestId('ceac-status')).toContainText('Administrative processing (221(g))');
  await expect(page.getByTestId('admin-processing')).toContainText('Not a refusal');
  await expectAccessible(page, 'case in 221(g)');
  await page.goto('/alerts');
  await expect(page.getByText(/Refused under 214\(b\) on .* \(embassy desk\)/).first()).toBeVisible();
  await expect(page.getByText(/Not a final refusal/).first()).toBeVisible();
  await page.goto(`/batches/${batchId}`);
  await expect(page.getByTestId('batch-history')).toContainText('Acknowledged by the desk');

  // ------------------------------------------------ the working group's console, in Korean
  const group = await newPage(browser);
  await signIn(group, '한국어', { email: 'admin@visa-desk.example', password });
  await group
    .getByRole('navigation', { name: '주 메뉴' })
    .getByRole('link', { name: '실무 협의체 통계' })
    .click();
  await expect(group.getByRole('heading', { level: 1, name: '실무 협의체 통계' })).toBeVisible();
  await group.getByRole('button', { name: '지금 다시 계산' }).click();
  await expect(group.getByTestId('console-freshness')).toContainText('기준 수치입니다');
  await expect(group.getByTestId('figure-lead-times')).toBeVisible();
  // Small groups read "<5": somewhere in the figures (the demo's months, the refusals).
  await expect(group.getByRole('cell', { name: '<5' }).first()).toBeVisible();
  await expect(group.getByTestId('figure-outcomes')).toContainText('주한미국대사관');
  // No person appears anywhere in the console.
  for (const p of people) await expect(group.getByText(p.given)).toHaveCount(0);
  await expectAccessible(group, 'console (ko)');
  const pdfHref = await group.getByRole('link', { name: '실무 협의체 자료(PDF)' }).getAttribute('href');
  const pdf = await group.request.get(pdfHref!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 4).toString()).toBe('%PDF');
  // Filtered to partner firms, in English: the totals change and the exports carry the filter.
  await group.getByRole('button', { name: 'English' }).click();
  await expect(group.getByTestId('console-freshness')).toContainText('Figures as of');
  const allFirms = await group.getByTestId('console-totals').innerText();
  await group.getByLabel('Sending firm').selectOption('partner');
  await group.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(group.getByTestId('console-totals')).not.toHaveText(allFirms);
  await expect(group.getByRole('link', { name: 'This figure as CSV' }).first()).toHaveAttribute(
    'href',
    /firmKind=partner/,
  );
  await expect(group.getByTestId('figure-partners')).toContainText('Partner firms (SME)');
  await expectAccessible(group, 'console (en)');
});
