import { type Browser, type Page } from '@playwright/test';
import { readPdf } from '../../src/server/letters/testing/pdf-text.js';
import { expect, test } from './fixtures.js';
import { expectAccessible } from './axe.js';
import { signIn } from './session.js';

/**
 * The worker's questionnaire (issue 18), on the demo data: HR sends the DS-160 questionnaire; the worker, in Korean
 * on a phone, fills it in part, leaves, comes back to what was saved, finishes with an upload and submits; HR
 * returns one answer with a comment; the worker corrects it and submits again; HR accepts; the PDF carries the
 * answers with the questions in English and Korean.
 */
const password = 'KorusDemo!2026';

async function phone(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  return context.newPage();
}

async function fillIfEmpty(page: Page, label: string | RegExp, value: string) {
  for (const input of await page.getByTestId('worker-questionnaire').getByLabel(label).all())
    if ((await input.inputValue()) === '') await input.fill(value);
}

test('HR sends a questionnaire; the worker fills it in on a phone over two visits; HR returns an item, then accepts', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const worker = await phone(browser);
  await signIn(worker, '한국어', { email: 'worker@hanbit-energy.example', password });
  const mine = (await (await worker.request.get('/api/workers/me/cases')).json()) as {
    items: { id: string; status: string; projectId: string }[];
  };

  // HR plans the worker's next dispatch (phase 2 of the plant, in four months) and opens its case.
  await signIn(page);
  const csrf = (await page.context().cookies()).find((c) => c.name === 'korus_csrf')?.value ?? '';
  const post = async (url: string, data: unknown) => {
    const res = await page.request.post(url, { data, headers: { 'x-csrf-token': csrf } });
    expect(res.status(), await res.text()).toBe(201);
    return (await res.json()) as { id: string };
  };
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const me = (await (await worker.request.get('/api/workers/me')).json()) as { id: string; role: string };
  const assignment = await post('/api/assignments', {
    workerId: me.id,
    projectId: mine.items[0]!.projectId,
    activities: ['equipment_installation'],
    startDate: day(120),
    endDate: day(170),
    payer: 'foreign',
  });
  const opened = await post('/api/cases', {
    assignmentId: assignment.id,
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
  const caseId = opened.id;

  await page.goto(`/cases/${caseId}`);
  const panel = page.getByTestId('case-questionnaire');
  await panel.getByRole('button', { name: 'Send "Visa application data (DS-160)" to the worker' }).click();
  await expect(panel.getByTestId('questionnaire-status')).toContainText('Sent to the worker');

  // The worker's first visit: the first section, prefilled; two answers, then leaves.
  await worker.goto('/');
  const form = worker.getByTestId('worker-questionnaire');
  await expect(form.getByRole('heading', { name: '비자 신청서 정보(DS-160)' })).toBeVisible();
  await expect(form.getByLabel('성(여권과 같이) (필수)')).not.toHaveValue('');
  await form.getByLabel('출생지(시·도) (필수)').fill('경상남도 창원시');
  await form.getByLabel('혼인 여부 (필수)').fill('기혼');
  await form.getByLabel('혼인 여부 (필수)').blur();
  await expect(form.getByRole('status')).toContainText('저장됨');
  await expectAccessible(worker, 'worker questionnaire on a phone (ko)');
  expect(await worker.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  // Back later: what was saved is there; the rest, section by section.
  await worker.goto('/me');
  await worker.goto('/');
  await expect(form.getByLabel('출생지(시·도) (필수)')).toHaveValue('경상남도 창원시');
  await form.getByRole('button', { name: '저장하고 다음' }).click();
  await expect(form.getByRole('heading', { name: /6단계 중 2단계/ })).toBeVisible();
  await form.getByLabel('발급일 (필수)').fill('2021-03-02');
  await form
    .getByRole('group', { name: /여권을 분실한 적이/ })
    .getByLabel('아니요')
    .check();
  await form.getByRole('button', { name: '저장하고 다음' }).click();
  await expect(form.getByRole('heading', { name: /6단계 중 3단계/ })).toBeVisible();
  await fillIfEmpty(worker, '체류 일수 (필수)', '14');
  await fillIfEmpty(worker, '입국일 (필수)', '2025-05-01');
  await form
    .getByRole('group', { name: /미국 비자를 받은 적이/ })
    .getByLabel('아니요')
    .check();
  await form
    .getByRole('group', { name: /거절, 입국 거부/ })
    .getByLabel('아니요')
    .check();
  await form.getByRole('button', { name: '저장하고 다음' }).click();
  await expect(form.getByRole('heading', { name: /6단계 중 4단계/ })).toBeVisible();
  await fillIfEmpty(worker, '자택 주소 (필수)', '경상남도 창원시 성산구 중앙대로 1');
  await fillIfEmpty(worker, '주 전화번호 (필수)', '+82 10-1234-5678');
  await fillIfEmpty(worker, '이메일 주소 (필수)', 'worker@example.com');
  await form.getByRole('button', { name: '저장하고 다음' }).click();
  await expect(form.getByRole('heading', { name: /6단계 중 5단계/ })).toBeVisible();
  await form.getByLabel('아버지 성명 (필수)').fill('김아버지');
  await form.getByLabel('어머니 성명 (필수)').fill('이어머니');
  await form.getByRole('button', { name: '저장하고 다음' }).click();
  await expect(form.getByRole('heading', { name: /6단계 중 6단계/ })).toBeVisible();
  await fillIfEmpty(worker, '현 직위 (필수)', '전기 반장');
  await fillIfEmpty(worker, '입사일 (필수)', '2015-03-02');
  await form.getByLabel('담당 업무를 간단히 적으세요 (필수)').fill('배터리 공장 전기 설비 설치 감독');
  await form.getByLabel('담당 업무를 간단히 적으세요 (필수)').blur();
  await expect(form.getByTestId('questionnaire-missing')).toHaveCount(0);

  // …and finishes with an upload the case asks for, then submits.
  const docs = worker.getByTestId('worker-docs');
  await docs
    .getByLabel(/ 파일$/)
    .first()
    .setInputFiles({
      name: '여권-사본.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'), // prettier-ignore
    });
  await expect(docs.getByRole('status')).toContainText('여권-사본.pdf');
  await form.getByRole('button', { name: '검토 요청(제출)' }).click();
  await expect(form.getByRole('status')).toHaveText('제출했습니다. 인사 담당자가 답변을 검토합니다.');

  // HR returns one answer with a comment.
  await page.reload();
  await expect(panel.getByTestId('questionnaire-status')).toContainText('Submitted for review');
  await panel
    .getByLabel('Return "City and province of birth" with a comment')
    .fill('Write it as in the passport, in English too');
  await panel.getByRole('button', { name: 'Return 1 items to the worker' }).click();
  await expect(panel.getByTestId('questionnaire-status')).toContainText('Returned for corrections');

  // The worker sees the comment, corrects, submits again.
  await worker.reload();
  await expect(form.getByTestId('questionnaire-returned')).toContainText('Write it as in the passport');
  await form.getByLabel('출생지(시·도) (필수)').fill('Changwon, Gyeongsangnam-do (경상남도 창원시)');
  await form.getByLabel('출생지(시·도) (필수)').blur();
  await expect(form.getByRole('status')).toContainText('저장됨');
  for (let k = 2; k <= 6; k++) {
    await form.getByRole('button', { name: '저장하고 다음' }).click();
    await expect(form.getByRole('heading', { name: new RegExp(`6단계 중 ${k}단계`) })).toBeVisible();
  }
  await form.getByRole('button', { name: '검토 요청(제출)' }).click();
  await expect(form.getByRole('status')).toHaveText('제출했습니다. 인사 담당자가 답변을 검토합니다.');

  // HR accepts; the PDF has the answers with the questions in both languages.
  await page.reload();
  await panel.getByRole('button', { name: 'Accept the answers' }).click();
  await expect(panel.getByTestId('questionnaire-status')).toContainText('Accepted');
  await expectAccessible(page, 'questionnaire review (en)');
  const pdf = await page.request.get(`/api/cases/${caseId}/questionnaire.pdf`);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  const text = readPdf(await pdf.body()).text.replace(/\n/g, ' ');
  for (const s of [
    'Visa application data (DS-160)',
    '비자 신청서 정보(DS-160)',
    'City and province of birth',
    '출생지(시·도)',
    'Changwon',
    '김아버지',
    '배터리 공장 전기 설비 설치 감독',
  ])
    // prettier-ignore
    expect(text).toContain(s);

  // The accepted answers feed the support letter: the position is the title the worker confirmed.
  const letter = await page.request.post(`/api/cases/${caseId}/letters`, {
    headers: { 'x-csrf-token': csrf },
    data: {
      kind: 'support',
      language: 'en',
      signatory: { name: 'Kim Seo-yeon', title: 'HR Director' },
      contact: { address: '1 Demo-ro, Seoul', phone: '+82-2-000-0000', email: 'hr@example.com' },
      equipment: {
        description: 'Electrode coating line',
        seller: 'Seller Co.',
        buyer: 'Buyer LLC',
        contractReference: 'C-1',
        contractDate: '2026-09-01',
        clause: 'Seller shall install the line (art. 9).',
      },
    },
  });
  expect(letter.status(), (await letter.text()).slice(0, 300)).toBe(200);
  expect(readPdf(await letter.body()).text).toContain('전기 반장');

  // The attestation the B-1 result relies on: signed by HR, then void when a covered fact changes.
  await page.reload();
  const attestation = page.getByTestId('attestation-specialized_knowledge');
  await attestation.getByLabel('Your full name').fill('Kim Seo-yeon');
  await attestation.getByLabel('Your title or role').fill('HR Director');
  await attestation.getByLabel('I have read this attestation and confirm it is true.').check();
  await attestation.getByRole('button', { name: 'Sign' }).click();
  await expect(attestation.getByTestId('attestation-signed')).toContainText(
    'Signed by Kim Seo-yeon, HR Director',
  );
  const patched = await page.request.patch(`/api/workers/${me.id}`, {
    data: { role: me.role === 'engineer' ? 'specialist' : 'engineer' },
    headers: { 'x-csrf-token': csrf },
  });
  expect(patched.status()).toBe(200);
  await page.reload();
  await expect(attestation.getByTestId('attestation-void')).toContainText(
    "the facts changed since (worker's role)",
  );
  await expectAccessible(page, 'case with a void attestation (en)');
});
