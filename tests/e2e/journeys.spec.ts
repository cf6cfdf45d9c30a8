import { mkdirSync } from 'node:fs';
import { type Browser, type Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { expectAccessible } from './axe.js';
import { signIn } from './session.js';

/**
 * Each user's whole journey through the demo data, in the browser (issue 13): the partner's HR from an
 * assessment to a worker on the site roster, the investor's HR with the roster's warnings, the worker on a phone,
 * counsel on a client's case, the officer's figures. Three of the five run in Korean. With
 * `KORUS_JOURNEY_SHOTS=docs/journeys` the screenshots are written for the documentation (`docs/journeys/`).
 */

const password = 'KorusDemo!2026';
/**
 * Every step's screenshot goes to test-results/journeys/. With `KORUS_JOURNEY_SHOTS=docs/journeys` (`npm run
 * docs:screenshots`), each journey's last screen is also written there under the role's name, and the investor's
 * overview becomes the README's picture (docs/screenshot.png), so the documentation shows today's app.
 */
const docs = process.env.KORUS_JOURNEY_SHOTS;
const steps = 'test-results/journeys';
mkdirSync(steps, { recursive: true });
if (docs) mkdirSync(docs, { recursive: true });
async function shot(page: Page, name: string, last?: string) {
  await page.screenshot({ path: `${steps}/${name}.png`, fullPage: true });
  if (docs && last) await page.screenshot({ path: `${docs}/${last}.png`, fullPage: true });
}

const day = (offset = 0) => {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};
const months = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
/** A date as the CBP I-94 website prints it: "2026 December 07". */
const i94Day = (iso: string) =>
  `${iso.slice(0, 4)} ${months[Number(iso.slice(5, 7)) - 1]} ${iso.slice(8, 10)}`;

async function newPage(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}) {
  const context = await browser.newContext(options);
  return context.newPage();
}

test('partner HR, in Korean: an assessment becomes a case, a batch, an admitted worker on the site roster', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const suffix = String(Date.now()).slice(-5);
  const given = `JOURNEY${suffix.replace(/\d/g, (d) => 'ABCDEFGHIJ'[Number(d)]!)}`;
  const start = day(0);
  const end = day(60);

  // -------------------------------------------------- the partner's HR assesses the trip
  await signIn(page, '한국어', { email: 'staff@daeho-precision.example', password });
  const nav = page.getByRole('navigation', { name: '주 메뉴' });
  await nav.getByRole('link', { name: '비자 판정' }).click();
  await page.getByRole('link', { name: '새 판정' }).click();
  await page.getByLabel('장비 설치', { exact: true }).check();
  await page.getByLabel('미국 근로자 교육', { exact: true }).check();
  await page.locator('#q-startDate').fill(start);
  await page.locator('#q-endDate').fill(end);
  await page.getByLabel('한국 회사').check();
  await page.getByRole('button', { name: '다음' }).click();
  await page.locator('#q-birthDate').fill('1986-05-14');
  await page.getByLabel('이번 파견에서의 역할').selectOption('technician');
  await page.getByLabel('최종 학력').selectOption('vocational');
  await page.getByLabel('이 분야의 경력 연수').fill('12');
  await page.locator('#q-employedSince').fill('2014-03-01');
  await page.getByRole('button', { name: '다음' }).click();
  await page.locator('#q-electronicPassport').check();
  await page.locator('#q-priorRefusalOrDenial-no').check();
  await page.locator('#q-priorOverstayOrViolation-no').check();
  await page.locator('#q-restrictedCountryTravelOrNationality-no').check();
  await page.locator('#q-detained-no').check();
  await page.getByRole('button', { name: '다음' }).click();
  // The US company is the investor's (Korean-owned), not the partner's own affiliate.
  await page.getByLabel('미국 법인은 한국 회사와 어떤 관계입니까?').selectOption('none');
  await page.locator('#q-koreanOwnershipPercent').fill('100');
  await page.getByRole('button', { name: '다음' }).click();
  await page.locator('#q-equipmentFromAbroad').check();
  await page.locator('#q-contractRequiresSellerService').check();
  await page.locator('#q-specializedKnowledgeEssential').check();
  await page.getByRole('button', { name: '다음' }).click();
  await page.getByRole('button', { name: '판정하기' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '판정 결과' })).toBeVisible();
  await expect(page.locator('#result-B1 .verdict')).toHaveText(/조건부 적격|적격/);

  // -------------------------------------------------- a case from the result, for a worker added on the way
  const b1 = page.locator('#result-B1');
  await b1.getByRole('button', { name: /사건 열기/ }).click();
  await shot(page, '1-partner-open-case-ko');
  await b1.getByRole('link', { name: '근로자 추가' }).click();
  await expect(page).toHaveURL(/\/workers\/new\?assessment=/);
  // What the assessment knows is already filled in.
  await expect(page.getByLabel('생년월일')).toHaveValue('1986-05-14');
  await expect(page.getByLabel('입사일')).toHaveValue('2014-03-01');
  await page.getByLabel('성(여권 표기)').fill('PARK');
  await page.getByLabel('이름(여권 표기)').fill(given);
  await page.getByLabel('한글 성명').fill('박여정');
  await page.getByLabel('성별').selectOption('M');
  await page.getByLabel('여권번호').fill(`M7${suffix}1`);
  await page.getByLabel('여권 만료일').fill(day(2000));
  await page.getByRole('button', { name: '근로자 등록' }).click();

  // Back on the result, the new worker chosen: pick the investor's project and open the case.
  await expect(page).toHaveURL(/\/assessments\/[0-9a-f-]{36}\?category=B1&worker=/);
  const form = page.getByRole('form', { name: /사건 열기/ });
  await expect(form).toContainText(`박여정 · PARK ${given}`);
  const project = form.getByLabel('프로젝트');
  const battery = await project
    .locator('option', { hasText: 'Battery cell plant, phase 1' })
    .getAttribute('value');
  await project.selectOption(battery!);
  await expect(form.getByLabel(/대사관 데스크/)).toBeChecked();
  await expectAccessible(page, 'open a case from the assessment (ko)');
  await form.getByRole('button', { name: '사건 열기' }).click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  const caseUrl = new URL(page.url()).pathname;
  await expect(page.getByRole('heading', { level: 1 })).toContainText('박여정');

  // -------------------------------------------------- the partner prepares the case up to the batch
  const moves = page.locator('.case-moves');
  const dialog = page.getByRole('dialog');
  const move = async (stage: string) => {
    await moves.getByRole('button', { name: `‘${stage}’ 단계로 이동`, exact: true }).click();
    await dialog.getByRole('button', { name: '단계 이동' }).click();
    await expect(dialog).toBeHidden();
  };
  await move('DS-160 작성 및 비자 수수료 납부');
  await move('투자 기업의 일괄 신청 명단 편성');
  await shot(page, '2-partner-case-ko');

  // -------------------------------------------------- the investor batches it for the embassy desk
  const investor = await newPage(browser);
  await signIn(investor, '한국어');
  await investor.goto('/batches');
  await investor.getByRole('link', { name: '새 일괄 신청' }).click();
  const builder = investor.getByRole('form', { name: '새 일괄 신청' });
  await builder.getByLabel('프로젝트', { exact: true }).selectOption(battery!);
  await builder.getByRole('checkbox', { name: new RegExp(given) }).check();
  await builder.getByRole('button', { name: '일괄 신청 만들기' }).click();
  await expect(investor).toHaveURL(/\/batches\/[0-9a-f-]{36}$/);
  await investor.getByRole('button', { name: '대사관 데스크에 제출' }).click();
  await investor.getByRole('dialog').getByRole('button', { name: '제출' }).click();
  await expect(investor.getByTestId('batch-status')).toHaveText('제출됨, 창구 확인 대기');
  await shot(investor, '3-investor-batch-ko');

  // -------------------------------------------------- the partner follows it to the port of entry
  await page.reload();
  // Sending the batch brought the case to the desk-submission stage (issue 17); the partner goes on from there.
  await expect(
    moves.getByRole('button', { name: '‘KIT 데스크에 일괄 신청 제출’ 단계로 이동', exact: true }),
  ).toHaveCount(0);
  await move('영사 인터뷰 및 기재 비자 발급');
  const travel = await moves.getByRole('button').first().textContent();
  expect(travel).toContain('입국');
  await moves.getByRole('button').first().click();
  await dialog.getByRole('button', { name: '단계 이동' }).click();
  await expect(dialog).toBeHidden();
  // Admitted means present: the I-94, pasted as the CBP website shows it.
  await moves.getByRole('button', { name: '‘미국 입국항에서 입국 허가’ 단계로 이동', exact: true }).click();
  const i94 = (number: string) =>
    [
      'Most Recent I-94',
      `Admission I-94 Record Number: ${number}`,
      `Most Recent Date of Entry: ${i94Day(start)}`,
      'Class of Admission: B1',
      `Admit Until Date: ${i94Day(day(75))}`,
      'Details provided on the I-94 Information form:',
      'Last/Surname: PARK',
      `First (Given) Name: ${given}`,
      'Port of Entry: ATL',
    ].join('\n');
  // A mistyped record number is refused under the pasted text, by name; nothing is saved.
  const pasted = dialog.getByLabel(/I-94 내용/);
  await pasted.fill(i94(`${suffix}1234A56`));
  await dialog.getByRole('button', { name: '단계 이동' }).click();
  await expect(pasted).toHaveAttribute('aria-invalid', 'true');
  await expect(pasted).toBeFocused();
  await expect(dialog.locator('.field-error').first()).toContainText('I-94');
  await pasted.fill(i94(`${suffix}1234A5`));
  await expectAccessible(page, 'admit with the I-94 (ko)');
  await shot(page, '4-partner-admit-ko');
  await dialog.getByRole('button', { name: '단계 이동' }).click();
  await expect(dialog).toBeHidden();
  const stay = page.getByRole('region', { name: '미국 체류' });
  await expect(stay).toContainText(`${start}`);
  await expect(stay).toContainText(day(75));

  // -------------------------------------------------- and the investor sees the worker present on the site
  await investor.goto('/');
  await investor.getByRole('link', { name: /Bryan County Battery Plant \(fictional\)/ }).click();
  await expect(investor.getByRole('heading', { level: 1, name: '현장 인원 명단' })).toBeVisible();
  await investor.getByLabel('이름으로 검색').fill('박여정');
  const row = investor.locator('tbody tr', { hasText: '박여정' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('B1');
  await expect(row).toContainText(day(75));
  await expect(row.getByRole('link', { name: /박여정/ })).toHaveAttribute('href', /\/workers\//);
  await expectAccessible(investor, 'roster with the admitted worker (ko)');
  await shot(investor, '5-investor-roster-ko', 'partner-hr');
  expect(caseUrl).toMatch(/^\/cases\//);
  await investor.context().close();
});

test('investor HR: the overview leads to the roster, its warnings and the alert; the departure clears them', async ({
  page,
}) => {
  await signIn(page, 'English');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Welcome');
  const outTile = page.locator('.tile', { hasText: 'out of status' });
  await expect(outTile).toContainText(/[1-9]/);
  await shot(page, '6-investor-home-en');
  if (docs) await page.screenshot({ path: `${docs}/../screenshot.png` });
  await page.getByRole('link', { name: /Bryan County Battery Plant \(fictional\) \(GA\)/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Site roster' })).toBeVisible();
  const counts = page.getByTestId('roster-counts');
  await expect(counts).toContainText('Out of status');
  const overstay = page.locator('tbody tr', { hasText: 'Still present after the admit-until date' });
  await expect(overstay).toHaveCount(1);
  const who = (await overstay.getByRole('link').first().textContent())!.trim();
  await expectAccessible(page, 'roster with warnings (en)');
  await shot(page, '7-investor-roster-en');

  // The alert says what to do, and leads to the worker.
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: /Alerts/ })
    .click();
  const alert = page
    .getByTestId('alert')
    .filter({ hasText: /still recorded as present after the I-94 admit-until date/ })
    .first();
  await expect(alert).toContainText('record the departure or an extension now');
  await shot(page, '7b-investor-alerts-en');
  await alert.getByRole('link', { name: 'Worker' }).click();
  await expect(page).toHaveURL(/\/workers\/[0-9a-f-]{36}$/);
  const workerPath = new URL(page.url()).pathname;

  // HR learns the worker flew home yesterday and records it: the stay ends and the case is complete.
  const yesterday = day(-1);
  const stays = page.getByRole('list', { name: 'Stays, oldest first' });
  await stays.getByRole('button', { name: 'Record the departure' }).click();
  await stays.getByLabel('Date of departure').fill(yesterday);
  await stays.getByRole('button', { name: 'Record the departure' }).click();
  await expect(page.locator('.stays-timeline')).toContainText(`→ ${yesterday}`);
  await expect(stays.getByRole('button', { name: 'Record the departure' })).toHaveCount(0);
  await expect(page.getByRole('main')).toContainText('Departed (dispatch complete)');

  // Back on the roster: nobody out of status, the worker no longer present.
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Site roster' })
    .click();
  await expect(page.locator('tbody tr', { hasText: 'Still present after the admit-until date' })).toHaveCount(
    0,
  );
  await expect(counts).toContainText(/Out of status:\s*0/);
  await page.getByLabel('Search by name').fill(who.split(' · ')[0]!);
  await expect(page.locator('tbody tr', { has: page.locator(`a[href="${workerPath}"]`) })).toContainText(
    'Not present',
  );
  await shot(page, '7c-investor-roster-after-en', 'investor-admin');
});

test('a worker on a phone, in Korean: status first, the card, and both still there offline', async ({
  browser,
}) => {
  const page = await newPage(browser, {
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  await signIn(page, '한국어', { email: 'worker@hanbit-energy.example', password });
  const status = page.getByRole('region', { name: '나의 미국 체류 상태' });
  await expect(status).toContainText('미국 체류 중');
  await expect(status).toContainText(/\d+일 남음/);
  await expect(page.getByRole('region', { name: '나의 비자 사건' })).toContainText('입국 허가');
  // No sideways scrolling on a phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expectAccessible(page, 'worker home on a phone (ko)');
  await shot(page, '8-worker-home-ko');

  await status.getByRole('link', { name: '체류 신분 카드 보기' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '체류 신분 카드' })).toBeVisible();
  await page.getByRole('button', { name: '지금 카드 받기' }).click();
  await expect(page.getByTestId('card-qr')).toBeVisible();
  await shot(page, '9-worker-card-ko');

  // Offline (the service worker holds the app, the phone holds the records): status and card still show.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.goto('/');
  await expect(status).toContainText('미국 체류 중');
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await page.context().setOffline(true);
  await page.goto('/');
  await expect(page.getByText(/오프라인 상태입니다/)).toBeVisible();
  await expect(status).toContainText('미국 체류 중');
  // Words, never codes, offline too: the category's name comes from the saved rules catalog.
  const myCase = page.getByRole('region', { name: '나의 비자 사건' });
  await expect(myCase).toContainText('B-1');
  await expect(myCase).not.toContainText(/\bB1\b/);
  await shot(page, '10-worker-offline-ko', 'worker');
  await page.goto('/card');
  await expect(page.getByTestId('card-qr')).toBeVisible();
  // Their own record too: never a sign-in form while offline.
  await page.goto('/me');
  await expect(page.getByRole('heading', { level: 1, name: '내 정보' })).toBeVisible();
  await expect(page.locator('#email')).toHaveCount(0);
  await page.context().setOffline(false);
  await page.context().close();
});

test("counsel: a client's case, a document and a comment; the stages are HR's", async ({ page }) => {
  await signIn(page, 'English', { email: 'counsel@baek-lowell.example', password });
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav.getByRole('link', { name: 'Embassy-desk batches' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Site roster' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Import' })).toHaveCount(0);
  await expect(page.locator('.tile').first()).toContainText(/[1-9]/);
  await shot(page, '11-counsel-home-en');
  // The late stages of the clients' cases lead straight to the case.
  await page.locator('#home-late').locator('..').getByRole('link').first().click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  await expect(page.getByText('You can follow this case; your role cannot move it.')).toBeVisible();
  await expect(page.locator('.case-moves').getByRole('button')).toHaveCount(0);

  await page
    .getByLabel('Add a comment (HR, counsel)')
    .fill('RFE risk low: contract clause 7.2 covers training.');
  await page.getByRole('button', { name: 'Comment', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Comments' })).toContainText('RFE risk low');

  await page.getByLabel('File', { exact: true }).setInputFiles({
    name: 'counsel-memo.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'),
  });
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  await expect(page.getByText('counsel-memo.pdf was uploaded.')).toBeVisible();
  await expectAccessible(page, 'counsel on a case (en)');
  await shot(page, '12-counsel-case-en', 'counsel');
  // A screen that is not counsel's, opened by its address, says so (never an empty list).
  await page.goto('/imports');
  await expect(page.getByRole('heading', { level: 1, name: 'Not available to you' })).toBeVisible();
});

test('a government officer, in Korean: figures by state and stage, lead times, never a person', async ({
  page,
}) => {
  await signIn(page, '한국어', { email: 'officer@visa-desk.example', password });
  await expect(page.locator('.tile').first()).toContainText(/[1-9]/);
  await expect(page.getByRole('rowheader', { name: 'GA 주의 모든 현장' })).toBeVisible();
  await expect(page.getByText('Hanbit')).toHaveCount(0);
  await expect(
    page.locator('#main a[href^="/workers/"], #main a[href^="/cases/"]:not([href="/cases/stats"])'),
  ).toHaveCount(0);
  await expectAccessible(page, 'officer home (ko)');
  await shot(page, '13-officer-home-ko');
  await page.getByRole('link', { name: '유형·단계별 소요 기간' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '소요 기간' })).toBeVisible();
  await shot(page, '14-officer-lead-times-ko', 'officer');
});
