import { expect, test, type Page } from '@playwright/test';
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
