import { type Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { expectAccessible } from './axe.js';
import { signIn } from './session.js';

const ROWS_NEEDED = 250;

async function post<T>(page: Page, url: string, data: unknown): Promise<T> {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'korus_csrf')?.value ?? '';
  const res = await page.request.post(url, { data, headers: { 'x-csrf-token': csrf } });
  expect(res.status(), `${url}: ${await res.text()}`).toBeLessThan(300);
  return (await res.json()) as T;
}

const letters = (n: number) =>
  Array.from({ length: n }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('');

function workerBody(familyName: string, nameHangul: string) {
  return {
    familyName,
    givenName: `TEST${letters(6)}`,
    nameHangul,
    birthDate: '1988-04-12',
    sex: 'M',
    nationality: 'KR',
    passportNumber: `M${Math.floor(10_000_000 + Math.random() * 89_999_999)}`,
    passportExpiry: '2033-01-31',
    education: 'vocational',
    role: 'technician',
    employedSince: '2012-03-01',
  };
}

/** Enough workers for a list that must scroll; made through the API when the demo data is small. */
async function ensureWorkers(page: Page): Promise<void> {
  const { total } = (await (await page.request.get('/api/workers?limit=1')).json()) as { total: number };
  const missing = Math.max(0, ROWS_NEEDED - total);
  for (let i = 0; i < missing; i += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, missing - i) }, () =>
        post(page, '/api/workers', workerBody('PARK', '박용접')),
      ),
    );
  }
}

test('workers: Korean search, a long windowed list, a worker page and a dependent', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page);
  await ensureWorkers(page);
  const unique = `${letters(4)}`;
  const worker = await post<{ id: string }>(page, '/api/workers', {
    ...workerBody('SEO', '서하늘'),
    givenName: `HANEUL${unique}`,
  });

  await page.goto('/workers');
  await expect(page.getByRole('heading', { level: 1, name: 'Workers' })).toBeVisible();
  const count = page.locator('.workers-count');
  await expect(count).toContainText(/\d+ workers/);
  const total = Number((await count.textContent())!.replace(/\D/g, ''));
  expect(total).toBeGreaterThanOrEqual(ROWS_NEEDED);

  // Only the visible window is in the DOM, and scrolling far down loads further pages.
  const list = page.getByRole('region', { name: /Workers, scroll/ });
  const rendered = await page.locator('.virtual-row').count();
  expect(rendered).toBeLessThan(40);
  await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(page.locator('.virtual-row a').last()).toBeVisible();
  expect(await page.locator('.virtual-row').count()).toBeLessThan(40);
  await expectAccessible(page, 'workers list');

  // Search in Hangul (server-side, debounced).
  await page.getByLabel('Search by name').fill('서하늘');
  await expect(page.getByRole('link', { name: new RegExp(`HANEUL${unique}`) })).toBeVisible();
  await page.getByRole('link', { name: new RegExp(`HANEUL${unique}`) }).click();
  await expect(page).toHaveURL(new RegExp(`/workers/${worker.id}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText('서하늘');
  await expect(page.getByText(/•+/)).toBeVisible();

  // Add a dependent; first a bad name, whose error shows next to the field.
  const form = page.getByRole('form', { name: 'Add dependent' });
  await form.getByLabel('Family name (as in passport)').fill('seo1');
  await form.getByLabel('Given name (as in passport)').fill('BOM');
  await form.getByLabel('Date of birth').fill('2015-05-05');
  await form.getByRole('button', { name: 'Add dependent' }).click();
  await expect(form.locator('.field-error')).toBeVisible();
  await form.getByLabel('Family name (as in passport)').fill('SEO');
  await form.getByLabel('Relationship').selectOption('child');
  await form.getByRole('button', { name: 'Add dependent' }).click();
  await expect(page.getByText(/Child: SEO BOM \(2015-05-05\)/)).toBeVisible();
  await expectAccessible(page, 'worker page');

  // Korean rendering.
  await page.getByRole('button', { name: '한국어' }).click();
  await expect(page.getByRole('heading', { name: '동반 가족' })).toBeVisible();
  await expect(page.getByText(/자녀: SEO BOM/)).toBeVisible();
});

test('workers: HR edits a worker; a refused value shows in Korean and saves nothing; a viewer cannot edit', async ({
  page,
}) => {
  await signIn(page);
  const body = { ...workerBody('HAN', '한가람'), givenName: `GARAM${letters(4)}`, phone: '+82 10-1111-2222' };
  const worker = await post<{ id: string }>(page, '/api/workers', body);
  const workerUrl = new RegExp(`/workers/${worker.id}$`);
  const stored = async () =>
    (await (await page.request.get(`/api/workers/${worker.id}`)).json()) as Record<string, unknown>;

  await page.goto(`/workers/${worker.id}`);
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/workers/${worker.id}/edit$`));
  await expect(page.getByRole('heading', { level: 1, name: 'Edit worker' })).toBeVisible();
  // Pre-filled from the worker; the passport number is not shown, only its ending in the hint.
  await expect(page.getByLabel('Family name (as in passport)')).toHaveValue('HAN');
  await expect(page.getByLabel('Name in Hangul')).toHaveValue('한가람');
  await expect(page.getByLabel('Phone', { exact: true })).toHaveValue('+82 10-1111-2222');
  await expect(page.getByLabel('Passport expiry')).toHaveValue('2033-01-31');
  await expect(page.getByLabel('Role')).toHaveValue('technician');
  const passport = page.getByLabel('Passport number');
  await expect(passport).toHaveValue('');
  await expect(passport).toHaveAccessibleDescription(
    new RegExp(`keep the current passport number \\(ends in ${body.passportNumber.slice(-4)}\\)`),
  );
  await expectAccessible(page, 'worker edit form');

  // Cancel returns without saving.
  await page.getByLabel('Phone', { exact: true }).fill('+82 10-9999-9999');
  await page.getByRole('link', { name: 'Cancel' }).click();
  await expect(page).toHaveURL(workerUrl);
  await expect(page.getByText('+82 10-1111-2222')).toBeVisible();
  expect((await stored()).phone).toBe('+82 10-1111-2222');

  // Change the phone and the passport expiry: only those two fields are sent, and the page shows them.
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await page.getByLabel('Phone', { exact: true }).fill('+82 10-3333-4444');
  await page.getByLabel('Passport expiry').fill('2035-06-30');
  const patch = page.waitForRequest(
    (r) => r.method() === 'PATCH' && r.url().endsWith(`/api/workers/${worker.id}`),
  );
  await page.getByRole('button', { name: 'Save changes' }).click();
  expect((await patch).postDataJSON()).toEqual({ phone: '+82 10-3333-4444', passportExpiry: '2035-06-30' });
  await expect(page).toHaveURL(workerUrl);
  await expect(page.getByText('+82 10-3333-4444')).toBeVisible();
  await expect(page.getByText('expires 2035-06-30')).toBeVisible();

  // The re-entry track (issue 16): the employer records that the worker was detained; the page says so.
  await expect(page.getByTestId('reentry-track')).toHaveCount(0);
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await page.getByLabel('Detained by US immigration authorities on (if ever)').fill('2025-09-04');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(workerUrl);
  await expect(page.getByTestId('reentry-track')).toContainText(
    'detained by US immigration authorities on 2025-09-04',
  );
  expect((await stored()).detainedOn).toBe('2025-09-04');

  // A partner firm's worker is visible to the investor but not the investor's to change: no Edit button, and
  // the edit address (bookmarked) gets the server's 403 saying why.
  const projects = (await (await page.request.get('/api/projects')).json()) as {
    items: { partners: { id: string }[] }[];
  };
  const partnerId = projects.items.flatMap((p) => p.partners)[0]?.id;
  expect(partnerId, 'the demo projects have partner firms').toBeDefined();
  const partners = (await (
    await page.request.get(`/api/workers?organizationId=${partnerId}&limit=1`)
  ).json()) as {
    items: { id: string; phone: string | null }[];
  };
  const partnerWorker = partners.items[0];
  expect(partnerWorker, 'the demo data has partner workers on the investor projects').toBeDefined();
  await page.goto(`/workers/${partnerWorker!.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Edit' })).toHaveCount(0);
  await page.goto(`/workers/${partnerWorker!.id}/edit`);
  await page.getByLabel('Phone', { exact: true }).fill('+82 10-7777-8888');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    "Only the worker's own employer can change this record or add to it.",
  );
  await expect(page).toHaveURL(/\/edit$/);
  const partnerAfter = (await (await page.request.get(`/api/workers/${partnerWorker!.id}`)).json()) as {
    phone: string | null;
  };
  expect(partnerAfter.phone).toBe(partnerWorker!.phone);
  // An unknown worker: the server's 404.
  await page.goto('/workers/00000000-0000-4000-8000-000000000000/edit');
  await expect(page.getByRole('alert')).toHaveText('Not found, or not visible to your organization.');
  await page.goto(`/workers/${worker.id}`);

  // In Korean, a family name with a digit is refused next to its field, and nothing is saved.
  await page.getByRole('button', { name: '한국어' }).click();
  await page.getByRole('link', { name: '수정', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '근로자 정보 수정' })).toBeVisible();
  await expect(page.getByLabel('여권번호')).toHaveAccessibleDescription(/현재 여권번호\(끝자리 \d{4}\)/);
  const familyName = page.getByLabel('성(여권 표기)');
  await familyName.fill('HAN2');
  await page.getByLabel('전화번호', { exact: true }).fill('+82 10-5555-6666');
  await page.getByRole('button', { name: '변경 사항 저장' }).click();
  await expect(familyName).toHaveAttribute('aria-invalid', 'true');
  await expect(familyName).toHaveAccessibleDescription('여권에 적힌 대로 영문 대문자여야 합니다.');
  await expect(familyName).toBeFocused();
  await expect(page.getByRole('alert')).toContainText('표시된 항목을 고쳐 주세요');
  await expect(page).toHaveURL(/\/edit$/);
  await expectAccessible(page, 'worker edit form with a refused field (ko)');
  expect(await stored()).toMatchObject({ familyName: 'HAN', phone: '+82 10-3333-4444' });
  await page.getByRole('link', { name: '취소' }).click();
  await expect(page).toHaveURL(workerUrl);
  await expect(page.getByText('+82 10-3333-4444')).toBeVisible();

  // The viewer sees the worker but no Edit, and the edit address says why.
  await page.context().clearCookies();
  await signIn(page, 'English', { email: 'viewer@hanbit-energy.example', password: 'KorusDemo!2026' });
  await page.goto(`/workers/${worker.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('한가람');
  await expect(page.getByText('+82 10-3333-4444')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Edit', exact: true })).toHaveCount(0);
  await page.goto(`/workers/${worker.id}/edit`);
  await expect(page.getByRole('alert')).toContainText('Your role cannot change workers');
  await expect(page.getByRole('textbox')).toHaveCount(0);
});
