import { expect, test } from './fixtures.js';
import { expectAccessible } from './axe.js';
import { signIn } from './session.js';

/**
 * USCIS tracking (issue 18), in Korean on the demo data: HR pastes the text of a receipt notice (I-797C), checks
 * what was read and records it; then a request for evidence whose deadline appears on the case, in the calendar
 * feed and in the alerts; then records the approval by hand, and the case moves on to the consular stage.
 */
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']; // prettier-ignore

test('a petition case gets its receipt from a pasted I-797, an RFE with a deadline in the calendar and alerts, and is approved', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signIn(page, '한국어');
  const list = (await (await page.request.get('/api/cases?status=open&limit=2000')).json()) as {
    items: { id: string; workflowId: string; stage: string }[];
  };
  const before = ['prepare_petition', 'uscis_petition', 'petition', 'labor_certification', 'labor_condition_application', 'training_plan']; // prettier-ignore
  const candidate = list.items
    .filter((c) => ['l1-individual', 'h1b', 'h2b', 'h3'].includes(c.workflowId) && before.includes(c.stage))
    .at(-1);
  expect(candidate, 'the demo data has an open petition case before its approval').toBeTruthy();
  const today = new Date();
  const us = (d: Date) =>
    `${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/${d.getUTCFullYear()}`;
  const due = new Date(today.getTime() + 20 * 86_400_000);
  const dueIso = due.toISOString().slice(0, 10);

  await page.goto(`/cases/${candidate!.id}`);
  const uscis = page.getByTestId('case-uscis');
  await expect(uscis.getByRole('heading', { name: 'USCIS 청원' })).toBeVisible();
  await uscis
    .getByLabel('USCIS 통지서(I-797) 내용 붙여넣기')
    .fill(
      `I-797C, Notice of Action\nReceipt Number: EAC2690001234\nCase Type: I129 - PETITION FOR A NONIMMIGRANT WORKER\nReceived Date: ${us(today)}\nNotice Date: ${us(today)}\nNotice Type: Receipt Notice`,
    );
  await uscis.getByRole('button', { name: '통지서 읽기' }).click();
  const parsed = uscis.getByTestId('uscis-parsed');
  await expect(parsed.getByText('EAC2690001234')).toBeVisible();
  await expect(parsed.getByText('접수', { exact: true })).toBeVisible();
  await parsed.getByRole('button', { name: '읽은 내용 기록' }).click();
  await expect(uscis.getByTestId('uscis-receipt')).toContainText('EAC2690001234 · 버몬트 서비스 센터');
  await expect(uscis.getByTestId('uscis-status')).toContainText('접수');

  // A request for evidence with its deadline printed in words.
  await uscis
    .getByLabel('USCIS 통지서(I-797) 내용 붙여넣기')
    .fill(
      `I-797E, Notice of Action\nReceipt Number EAC2690001234\nNotice Date: ${us(today)}\nNotice Type: Request for Evidence\nYour response must be received in this office by ${MONTHS[due.getUTCMonth()]} ${due.getUTCDate()}, ${due.getUTCFullYear()}.`,
    );
  await uscis.getByRole('button', { name: '통지서 읽기' }).click();
  await expect(uscis.getByTestId('uscis-parsed').getByText(dueIso)).toBeVisible();
  await uscis.getByTestId('uscis-parsed').getByRole('button', { name: '읽은 내용 기록' }).click();
  await expect(uscis.getByTestId('uscis-pending')).toContainText(`${dueIso}까지`);
  await expect(uscis.getByTestId('uscis-pending')).toContainText('20일 남음');
  await expectAccessible(page, 'USCIS section with an RFE (ko)');

  // The deadline is in the calendar feed and in the alerts.
  const feed = (await (await page.request.post('/api/me/calendar', { data: {}, headers: { 'x-csrf-token': await csrf(page) } })).json()) as { url: string }; // prettier-ignore
  const ics = (await (await page.request.get(feed.url)).text()).replace(/\r\n /g, '');
  expect(ics).toContain(`DTSTART;VALUE=DATE:${dueIso.replaceAll('-', '')}`);
  expect(ics).toContain('USCIS RFE response due');
  await page.goto('/alerts');
  await expect(page.getByText(/USCIS 답변 기한/).first()).toBeVisible();
  await expect(
    page.getByText(new RegExp(`답변은 ${dueIso}까지 USCIS에 도착해야 합니다`)).first(),
  ).toBeVisible();

  // The response, then the approval by hand: the case moves on.
  await page.goto(`/cases/${candidate!.id}`);
  const form = uscis.locator('form');
  await form.getByLabel('USCIS 처리 상태').selectOption({ label: '답변 제출' });
  await form.getByRole('button', { name: '상태 기록' }).click();
  await expect(uscis.getByTestId('uscis-pending')).toHaveCount(0);
  await form.getByLabel('USCIS 처리 상태').selectOption({ label: '승인' });
  await form.getByRole('button', { name: '상태 기록' }).click();
  await expect(uscis.getByTestId('uscis-status')).toContainText('승인');
  await expect(uscis.getByTestId('uscis-history').locator('li')).toHaveCount(4);
  const after = (await (await page.request.get(`/api/cases/${candidate!.id}`)).json()) as { stage: string };
  expect(['visa_application', 'consular_interview', 'travel']).toContain(after.stage);
});

async function csrf(page: import('@playwright/test').Page): Promise<string> {
  const cookies = await page.context().cookies();
  return cookies.find((c) => c.name === 'korus_csrf')?.value ?? '';
}
