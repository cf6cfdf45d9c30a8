import { type Browser } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { expectAccessible } from './axe.js';
import { signIn } from './session.js';

/**
 * Messages on a case (issue 18), in the browser on the demo data: HR writes to the worker and leaves an internal
 * note for counsel; the worker, in Korean on a phone, reads the message (never the note) and answers; HR sees the
 * answer marked new.
 */
const password = 'KorusDemo!2026';

async function phone(browser: Browser) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  return context.newPage();
}

test('HR and the worker talk on a case and the worker sends a document; the internal note stays with HR and counsel', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const worker = await phone(browser);
  await signIn(worker, '한국어', { email: 'worker@hanbit-energy.example', password });
  const cases = (await (await worker.request.get('/api/workers/me/cases')).json()) as {
    items: { id: string }[];
  };
  const caseId = cases.items[0]!.id;
  const stamp = String(Date.now()).slice(-6);

  await signIn(page);
  await page.goto(`/cases/${caseId}`);
  const thread = page.getByTestId('case-messages');
  await thread.getByLabel('Write a message').fill(`Please upload your passport copy (${stamp}).`);
  await thread.getByRole('button', { name: 'Send' }).click();
  await expect(thread.getByText(`Please upload your passport copy (${stamp}).`)).toBeVisible();
  await thread.getByLabel('Write a message').fill(`Counsel: check the 2019 refusal (${stamp}).`);
  await thread.getByLabel(/Internal note/).check();
  await thread.getByRole('button', { name: 'Send' }).click();
  await expect(thread.getByText('Internal note: not shown to the worker')).toBeVisible();
  await expectAccessible(page, 'case messages (en)');

  await worker.goto('/');
  const mine = worker.getByTestId('case-messages');
  await expect(mine.getByText(`Please upload your passport copy (${stamp}).`)).toBeVisible();
  await expect(mine.getByText(`2019 refusal (${stamp})`)).toHaveCount(0);
  await expect(mine.getByLabel(/내부 메모/)).toHaveCount(0);
  await mine.getByLabel('메시지 쓰기').fill(`오늘 저녁에 올리겠습니다 (${stamp}).`);
  await mine.getByLabel('파일 첨부(선택)').setInputFiles({
    name: `사진-${stamp}.png`,
    mimeType: 'image/png',
    buffer: Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    ),
  });
  await mine.getByRole('button', { name: '보내기' }).click();
  await expect(mine.getByText(`오늘 저녁에 올리겠습니다 (${stamp}).`)).toBeVisible();
  // …and sends a document the case asks for, from the phone.
  const docs = worker.getByTestId('worker-docs');
  await expect(docs.getByRole('heading', { name: '나의 사건 서류' })).toBeVisible();
  await docs
    .getByLabel(/ 파일$/)
    .first()
    .setInputFiles({
      name: `여권-${stamp}.pdf`,
      mimeType: 'application/pdf',
      buffer: Buffer.from(
        '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
      ),
    });
  await expect(docs.getByRole('status')).toHaveText(`여권-${stamp}.pdf을(를) 보냈습니다.`);
  expect(await worker.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expectAccessible(worker, 'worker messages and documents on a phone (ko)');

  await page.reload();
  await expect(thread.getByText(`오늘 저녁에 올리겠습니다 (${stamp}).`)).toBeVisible();
  // The worker's photo came with the answer, and HR opens it from the thread.
  const photo = thread.getByRole('link', { name: new RegExp(`사진-${stamp}\\.png`) });
  await expect(photo).toBeVisible();
  const download = await page.request.get((await photo.getAttribute('href'))!);
  expect(download.headers()['content-type']).toBe('image/png');
  await expect(page.getByText(`여권-${stamp}.pdf`).first()).toBeVisible();
  await expect(
    thread.locator('.message', { hasText: `오늘 저녁에` }).getByText('New', { exact: true }),
  ).toBeVisible();
});
