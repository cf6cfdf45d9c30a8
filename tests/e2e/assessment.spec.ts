import { type Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { expectAccessible } from './axe.js';
import { signIn } from './session.js';

async function yes(page: Page, id: string) {
  await page.locator(`#q-${id}`).check();
}
async function no(page: Page, id: string) {
  await page.locator(`#q-${id}-no`).check();
}
/** The travel-history step: an e-passport, no refusal, violation or restricted travel; a detention when given. */
async function answerTravel(page: Page, detainedOn?: string) {
  await yes(page, 'electronicPassport');
  await no(page, 'priorRefusalOrDenial');
  await no(page, 'priorOverstayOrViolation');
  await no(page, 'restrictedCountryTravelOrNationality');
  if (!detainedOn) return no(page, 'detained');
  // The date is asked only once the answer is yes.
  await expect(page.locator('#q-detainedOn')).toHaveCount(0);
  await yes(page, 'detained');
  await page.locator('#q-detainedOn').fill(detainedOn);
}

test('a technician installing Korean equipment: the wizard in Korean, the result cards, printable', async ({
  page,
}) => {
  await signIn(page, '한국어');
  await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '비자 판정' }).click();
  await expect(page).toHaveURL(/\/assessments$/);
  await expect(page.getByRole('heading', { level: 1, name: '비자 판정' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: '주 메뉴' });
  await expect(nav.getByRole('link', { name: '비자 판정' })).toHaveAttribute('aria-current', 'page');
  await page.getByRole('link', { name: '새 판정' }).click();

  // Step 1: the work. Continuing without answers names every missing answer.
  await expect(page.getByRole('heading', { name: '5단계 중 1단계: 업무' })).toBeVisible();
  await page.getByRole('button', { name: '다음' }).click();
  await expect(page.getByRole('alert')).toContainText('활동을 하나 이상 선택하세요.');
  await expect(page.locator('#q-startDate-error')).toHaveText('이 질문에 답하세요.');
  await page.getByLabel('장비 설치', { exact: true }).check();
  await page.getByLabel('미국 근로자 교육', { exact: true }).check();
  await page.locator('#q-startDate').fill('2026-04-01');
  await page.locator('#q-endDate').fill('2026-06-15');
  await page.getByLabel('한국 회사').check();
  // Equipment activities make the judgement step relevant: six steps now.
  await expect(page.getByRole('heading', { name: '6단계 중 1단계: 업무' })).toBeVisible();
  await expectAccessible(page, 'wizard step 1 (ko)');
  await page.screenshot({ path: 'test-results/wizard-work-ko.png', fullPage: true });
  await page.getByRole('button', { name: '다음' }).click();

  // Step 2: the worker.
  await expect(page.getByRole('heading', { name: '6단계 중 2단계: 근로자' })).toBeFocused();
  await page.locator('#q-birthDate').fill('1986-05-14');
  await page.getByLabel('이번 파견에서의 역할').selectOption('technician');
  await page.getByLabel('최종 학력').selectOption('high_school');
  await expect(page.locator('#q-usAdvancedDegree')).toHaveCount(0);
  await page.getByLabel('이 분야의 경력 연수').fill('12');
  await page.locator('#q-employedSince').fill('2014-03-01');
  await page.getByRole('button', { name: '다음' }).click();

  // Step 3: travel history (ESTA).
  await answerTravel(page);
  await page.getByRole('button', { name: '다음' }).click();

  // Step 4: the employer; L-1 questions appear only for a qualifying relationship.
  await expect(page.locator('#q-blanketL')).toHaveCount(0);
  await page.getByLabel('미국 법인은 한국 회사와 어떤 관계입니까?').selectOption('subsidiary');
  await expect(page.locator('#q-blanketL')).toHaveCount(1);
  await page.locator('#q-koreanOwnershipPercent').fill('100');
  await page.locator('#q-usEntityYearsInBusiness').fill('3');
  await no(page, 'blanketL');
  await page.getByRole('button', { name: '다음' }).click();

  // Step 5: judgement questions, with help; the contract clause is asked because of the equipment work.
  await expect(page.getByRole('group', { name: /판매자가 설치·정비·교육을 하도록/ })).toBeVisible();
  await expect(page.getByText('영사관과 CBP가 요구할 수 있으니 사본을 지참하세요.')).toBeVisible();
  await expect(page.locator('#q-temporaryNeed')).toHaveCount(0);
  await yes(page, 'equipmentFromAbroad');
  await yes(page, 'contractRequiresSellerService');
  await yes(page, 'specializedKnowledgeEssential');
  await expectAccessible(page, 'wizard judgement step (ko)');
  await page.screenshot({ path: 'test-results/wizard-judgement-ko.png', fullPage: true });
  await page.getByRole('button', { name: '다음' }).click();

  // Step 6: review; the rules of a fixed date, so the expectations do not depend on today.
  await expect(page.getByRole('heading', { name: '6단계 중 6단계: 검토 및 판정' })).toBeVisible();
  await page.locator('#q-asOf').fill('2026-03-02');
  await expectAccessible(page, 'wizard review (ko)');
  await page.screenshot({ path: 'test-results/wizard-review-ko.png', fullPage: true });
  await page.getByRole('button', { name: '판정하기' }).click();

  // The result: a card per category, verdicts as text, reasons with citations that link to their sources.
  await expect(page).toHaveURL(/\/assessments\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: '판정 결과' })).toBeVisible();
  const cards = page.locator('.result-card');
  await expect(cards).toHaveCount(12);
  const b1 = page.locator('#result-B1');
  await expect(b1.getByRole('heading', { level: 3 })).toBeVisible();
  await expect(b1.locator('.verdict')).toHaveText(/조건부 적격/);
  await expect(b1.getByText('설치 조항')).toBeVisible();
  await expect(b1.getByRole('table', { name: /활동/ }).getByRole('row')).toHaveCount(3);
  const citation = b1.locator('a.citation').first();
  await expect(citation).toHaveAttribute('href', /^https:\/\//);
  await expect(b1.getByRole('heading', { name: '확인이 필요한 조건' })).toBeVisible();
  await expect(page.locator('#result-E4 .verdict')).toHaveText(/이용 불가/);
  await expect(page.locator('#result-H2B .verdict')).toHaveText(/부적격/);
  await expect(page.getByRole('complementary', { name: '면책 고지' })).toContainText('법률 자문이 아닙니다');
  await expectAccessible(page, 'result (ko)');
  await page.screenshot({ path: 'test-results/result-ko.png', fullPage: true });

  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: '주 메뉴' })).toBeHidden();
  await expect(page.getByRole('button', { name: '인쇄' })).toBeHidden();
  await page.screenshot({ path: 'test-results/result-print-ko.png', fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  // The list shows it; a reload of the result keeps the language and the page.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: '판정 결과' })).toBeVisible();
  await nav.getByRole('link', { name: '비자 판정' }).click();
  await expect(page.getByRole('table', { name: '우리 조직의 지난 판정' }).getByRole('row')).not.toHaveCount(
    1,
  );
  await expectAccessible(page, 'assessment list (ko)');
});

test('meetings: only the relevant judgement question; the server’s refusal is shown; the Rules page in English', async ({
  page,
}) => {
  await signIn(page, 'English');
  await page.goto('/assessments/new');
  await page.getByLabel('Business meetings', { exact: true }).check();
  await page.locator('#q-startDate').fill('2026-05-04');
  await page.locator('#q-endDate').fill('2026-05-15');
  await page.getByLabel('The Korean employer').check();
  // Nothing chosen makes the judgement questions relevant: five steps.
  const steps = page.getByRole('navigation', { name: 'Assessment steps' }).getByRole('listitem');
  await expect(steps).toHaveText([/The work/, /The worker/, /Travel history/, /The employer/, /Review/]);
  await expectAccessible(page, 'wizard step 1 (en)');
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.locator('#q-birthDate').fill('1979-11-02');
  await page.getByLabel('Role on this assignment').selectOption('manager');
  await page.getByLabel('Highest completed education').selectOption('master');
  // A master's degree makes the US-degree question relevant.
  await no(page, 'usAdvancedDegree');
  await page.getByLabel('Years of experience in this specialty').fill('15');
  await page.locator('#q-employedSince').fill('2010-01-04');
  await page.getByRole('button', { name: 'Continue' }).click();
  await answerTravel(page);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('How is the US company related to the Korean employer?').selectOption('customer');
  await page.locator('#q-koreanOwnershipPercent').fill('0');
  await page.getByRole('button', { name: 'Continue' }).click();
  // The master's degree made the specialty-occupation question relevant, and only that one.
  await expect(page.getByRole('heading', { name: 'Step 5 of 6: Judgement questions' })).toBeVisible();
  await expect(page.locator('.question')).toHaveCount(1);
  await no(page, 'occupationRequiresDegree');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Step 6 of 6: Review and assess' })).toBeVisible();

  // The server refuses an as-of date before the rules begin; its message appears in the UI language.
  await page.locator('#q-asOf').fill('2023-06-01');
  await page.getByRole('button', { name: 'Assess' }).click();
  await expect(page.getByRole('alert')).toContainText('Rules as of');
  await expect(page.locator('#q-asOf-error')).toContainText('2024-01-01');
  await expect(page).toHaveURL(/\/assessments\/new$/);
  await expectAccessible(page, 'wizard with a server error (en)');
  await page.locator('#q-asOf').fill('2026-03-02');
  await page.getByRole('button', { name: 'Assess' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Assessment result' })).toBeVisible();
  await expect(page.locator('#result-ESTA .verdict')).toHaveText(/Eligible/);
  await expect(page.getByRole('heading', { name: 'Recommended' })).toBeVisible();
  await expectAccessible(page, 'result (en)');
  await page.screenshot({ path: 'test-results/result-en.png', fullPage: true });

  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Rules and sources' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Rules and sources' })).toBeVisible();
  const parameters = page.locator('article.parameter');
  expect(await parameters.count()).toBeGreaterThan(20);
  await expect(page.locator('.parameter .badge-verify').first()).toBeVisible();
  await expect(page.locator('.parameter .sources a').first()).toHaveAttribute('href', /^https?:\/\//);
  await page.getByLabel('Filter values').fill('ESTA');
  await expect(page.getByText(/^\d+ of \d+ shown$/)).toBeVisible();
  expect(await parameters.count()).toBeLessThan(20);
  await page.getByLabel('Filter values').fill('');
  await page.locator('details.rule-category').first().locator('summary').click();
  await expectAccessible(page, 'rules (en)');
  await page.screenshot({ path: 'test-results/rules-en.png', fullPage: false });
});

test('the re-entry track in Korean: a worker detained in Georgia goes by B-1 through the KIT Desk; pending changes on the rules page', async ({
  page,
}) => {
  await signIn(page, '한국어');
  await page.goto('/assessments/new');
  await page.getByLabel('장비 설치', { exact: true }).check();
  await page.getByLabel('미국 근로자 교육', { exact: true }).check();
  await page.locator('#q-startDate').fill('2027-03-02');
  await page.locator('#q-endDate').fill('2027-04-10');
  await page.getByLabel('한국 회사').check();
  await page.getByRole('button', { name: '다음' }).click();
  await page.locator('#q-birthDate').fill('1986-05-14');
  await page.getByLabel('이번 파견에서의 역할').selectOption('technician');
  await page.getByLabel('최종 학력').selectOption('high_school');
  await page.getByLabel('이 분야의 경력 연수').fill('12');
  await page.locator('#q-employedSince').fill('2014-03-01');
  await page.getByRole('button', { name: '다음' }).click();
  await answerTravel(page, '2025-09-04');
  await expectAccessible(page, 'wizard travel step with the detention (ko)');
  await page.getByRole('button', { name: '다음' }).click();
  await page.getByLabel('미국 법인은 한국 회사와 어떤 관계입니까?').selectOption('subsidiary');
  await page.locator('#q-koreanOwnershipPercent').fill('100');
  await page.locator('#q-usEntityYearsInBusiness').fill('3');
  await no(page, 'blanketL');
  await page.getByRole('button', { name: '다음' }).click();
  await yes(page, 'equipmentFromAbroad');
  await yes(page, 'contractRequiresSellerService');
  await yes(page, 'specializedKnowledgeEssential');
  await page.getByRole('button', { name: '다음' }).click();
  await page.locator('#q-asOf').fill('2026-12-07');
  await page.getByRole('button', { name: '판정하기' }).click();

  await expect(page.getByRole('heading', { level: 1, name: '판정 결과' })).toBeVisible();
  const esta = page.locator('#result-ESTA');
  await expect(esta.locator('.verdict')).toHaveText(/부적격/);
  await expect(esta).toContainText('KIT 데스크');
  const b1 = page.locator('#result-B1');
  await expect(b1.locator('.verdict')).toHaveText(/조건부 적격/);
  await expect(b1).toContainText('재입국 경로');
  await expect(b1).toContainText('구금과 그 후 출국 기록');
  await expect(b1.locator('a.citation').first()).toHaveAttribute('href', /^https:\/\//);
  await expectAccessible(page, 'result of the re-entry track (ko)');

  // The rules page: pending changes with their status (never as law), and the review dates.
  await page.goto('/rules');
  const pending = page.locator('.pending-changes');
  await expect(pending).toContainText('CBP의 ESTA 신청 변경안');
  await expect(pending).toContainText('제안 단계이며 시행되지 않았습니다');
  await expect(page.getByRole('heading', { level: 2, name: '규칙 검토' })).toBeVisible();
  await expect(page.getByText(/마지막 검토 2026-12-07/).first()).toBeVisible();
  await expectAccessible(page, 'rules page with pending changes (ko)');
});
