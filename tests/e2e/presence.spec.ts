import { readFile } from 'node:fs/promises';
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { expectAccessible } from './axe.js';
import { signIn } from './session.js';

async function post<T>(page: Page, url: string, data?: unknown): Promise<T> {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'korus_csrf')?.value ?? '';
  const res = await page.request.post(url, {
    ...(data !== undefined ? { data } : {}),
    headers: { 'x-csrf-token': csrf },
  });
  expect(res.status(), `${url}: ${await res.text()}`).toBeLessThan(300);
  return (await res.json()) as T;
}

const letters = (n: number) =>
  Array.from({ length: n }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('');
const localDay = (offset: number) => {
  const d = new Date(Date.now() + offset * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

test('presence: roster with a red flag, CSV export, a status card with its QR, public verification', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signIn(page);

  // An ESTA (WB) entrant assigned construction work at a demo site: red on the roster.
  const { items: sites } = (await (await page.request.get('/api/sites')).json()) as {
    items: { id: string; name: string }[];
  };
  const site = sites[0]!;
  const project = await post<{ id: string }>(page, '/api/projects', {
    siteId: site.id,
    code: `E2E-${letters(4)}`,
    name: 'Presence e2e',
    sector: 'battery',
    investmentUsd: 1,
    startDate: localDay(-60),
  });
  const given = `MINJUN${letters(4)}`;
  const worker = await post<{ id: string }>(page, '/api/workers', {
    familyName: 'CHOI',
    givenName: given,
    nameHangul: '최민준',
    birthDate: '1987-07-07',
    sex: 'M',
    nationality: 'KR',
    passportNumber: `M${Math.floor(10_000_000 + Math.random() * 89_999_999)}`,
    passportExpiry: '2034-01-31',
    education: 'vocational',
    role: 'technician',
    employedSince: '2012-03-01',
  });
  await post(page, '/api/assignments', {
    workerId: worker.id,
    projectId: project.id,
    activities: ['construction_work'],
    startDate: localDay(-10),
    endDate: localDay(30),
    payer: 'foreign',
  });
  await post(page, `/api/workers/${worker.id}/entries`, {
    admittedOn: localDay(-5),
    classOfAdmission: 'WB',
    admitUntil: localDay(84),
  });

  await page.goto('/roster');
  await expect(page.getByRole('heading', { level: 1, name: 'Site roster' })).toBeVisible();
  await page.getByRole('combobox', { name: /^Site/ }).selectOption(site.id);
  const counts = page.getByTestId('roster-counts');
  await expect(counts).toContainText(/Expected: \d+/);
  await page.getByLabel('Search by name').fill(given);
  const row = page.getByRole('row', { name: new RegExp(given) });
  await expect(row).toBeVisible();
  await expect(row.locator('.flag-red').first()).toContainText('Not permitted');
  await expect(row).toContainText('WB');
  expect(
    Number((await counts.locator('li').nth(2).locator('strong').textContent()) ?? 0),
  ).toBeGreaterThanOrEqual(1);
  await expect(page.getByRole('heading', { name: 'Korean consulate of jurisdiction' })).toBeVisible();
  await expectAccessible(page, 'roster');
  await page.screenshot({ path: 'test-results/roster-en.png', fullPage: true });

  // The CSV export: UTF-8 with a byte-order mark, bilingual header, our worker flagged red.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^roster-.*\.csv$/);
  const csv = await readFile((await download.path())!);
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = csv.subarray(3).toString('utf8');
  expect(text).toContain('Name (Hangul) / 성명(한글)');
  expect(text).toMatch(new RegExp(`최민준,CHOI ${given},.*,WB,.*Red: not permitted / 적색: 불허`));

  // Korean rendering of the roster.
  await page.getByRole('button', { name: '한국어' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '현장 인원 명단' })).toBeVisible();
  await expect(row.locator('.flag-red').first()).toContainText('불허');
  await page.screenshot({ path: 'test-results/roster-ko.png', fullPage: true });
  await page.getByRole('button', { name: 'English' }).click();

  // The worker page: the stay, then a status card.
  await page.goto(`/workers/${worker.id}`);
  await expect(page.getByRole('heading', { name: 'Stays in the US' })).toBeVisible();
  await expect(page.locator('.stays-timeline')).toContainText('WB');
  await expect(page.locator('.stays-timeline')).toContainText('days left');
  // A pasted I-94 text that cannot be read: the errors show under the text, in the current language.
  const entryForm = page.getByRole('form', { name: 'Add an admission' });
  await entryForm.getByLabel('Paste the I-94 text').check();
  await entryForm.getByLabel('Text from the I-94 website').fill('Class of Admission: WB\nsomething else');
  await entryForm.getByRole('button', { name: 'Save admission' }).click();
  await expect(entryForm.locator('.field-error li').first()).toBeVisible();
  await expectAccessible(page, 'worker stays');
  await page.locator('.worker-stays').screenshot({ path: 'test-results/worker-stays-en.png' });
  await page.getByRole('button', { name: 'Issue status card' }).click();
  await page.getByRole('link', { name: 'Open the card' }).click();
  await expect(page).toHaveURL(/\/card\/[\w-]+\.[\w-]+\.[\w-]+$/);
  const token = page.url().split('/card/')[1]!;
  await expect(page.getByRole('heading', { level: 1, name: 'Status card' })).toBeVisible();
  await expect(page.locator('.status-card')).toContainText('최민준');
  await expect(page.locator('.status-card')).toContainText('Not a government document');
  await expect(page.getByTestId('card-qr')).toBeVisible();
  // Permitted activities by name, English first and Korean beside it, from the map bundled into the app.
  const activities = page.locator('.status-card').getByTestId('card-activities');
  await expect(activities.getByRole('listitem').filter({ hasText: 'Business meetings' })).toContainText(
    'Business meetings · 업무 회의',
  );
  await expect(activities).not.toContainText('Hands-on construction work');
  await expect(activities).not.toContainText('_');
  await page.screenshot({ path: 'test-results/card-en.png', fullPage: true });
  await page.getByRole('button', { name: '한국어' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '체류 신분 카드' })).toBeVisible();
  await expect(activities.getByRole('listitem').filter({ hasText: '업무 회의' })).toContainText(
    '업무 회의 · Business meetings',
  );
  await page.getByRole('button', { name: 'English' }).click();
  // The card stays on the device: /card shows it again.
  await page.goto('/card');
  await expect(page.locator('.status-card')).toContainText(`CHOI ${given}`);
  // Once the service worker holds the app shell, the card opens offline.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await page.context().setOffline(true);
  await page.goto('/card');
  await expect(page.locator('.status-card')).toContainText(`CHOI ${given}`);
  await expect(page.getByTestId('card-qr')).toBeVisible();
  // No connection, no rules catalog: the activity names still show, in both languages.
  await expect(activities).toContainText('Business meetings · 업무 회의');
  await page.context().setOffline(false);

  // Verification is public: no session needed.
  await page.context().clearCookies();
  await page.goto(`/verify#${token}`);
  const result = page.getByTestId('verify-result');
  await expect(result).toContainText('VALID');
  await expect(result).not.toContainText('INVALID');
  await expect(result).toContainText('최민준');
  // Signed out, the verify page names the activities too (no rules catalog without a session).
  await expect(result.getByTestId('card-activities')).toContainText('Business meetings · 업무 회의');
  await expectAccessible(page, 'verify (valid)');

  // One character changed in the signature: invalid, with the reason.
  const sig = token.length - 20;
  const tampered = token.slice(0, sig) + (token[sig] === 'A' ? 'B' : 'A') + token.slice(sig + 1);
  await page.getByLabel('Card token or link').fill(tampered);
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(result).toContainText('INVALID');
  await expect(result).toContainText('bad_signature');
  await page.getByRole('button', { name: '한국어' }).click();
  await expect(result).toContainText('무효');
  await expectAccessible(page, 'verify (invalid, Korean)');
  await page.screenshot({ path: 'test-results/verify-invalid-ko.png', fullPage: true });
});

test('a worker finds their status card from /me; an account without a worker record sees no card link', async ({
  page,
}) => {
  await signIn(page, 'English', { email: 'worker@hanbit-energy.example', password: 'KorusDemo!2026' });
  await page.goto('/me');
  await expect(page.getByRole('heading', { level: 1, name: 'My profile' })).toBeVisible();
  const link = page.getByRole('main').getByRole('link', { name: 'My status card' });
  await expect(link).toHaveAttribute('href', '/card');
  await expectAccessible(page, 'own profile with the card link');
  await page.getByRole('button', { name: '한국어' }).click();
  await expect(page.getByRole('main').getByRole('link', { name: '내 체류 신분 카드' })).toBeVisible();
  await page.getByRole('button', { name: 'English' }).click();
  await link.click();
  await expect(page).toHaveURL(/\/card$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Status card' })).toBeVisible();

  // The HR administrator's account is not a worker's: no "My profile" or card in the menu, and /me is not theirs.
  await page.context().clearCookies();
  await signIn(page);
  await expect(
    page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'My profile' }),
  ).toHaveCount(0);
  await page.goto('/me');
  await expect(page.getByRole('heading', { level: 1, name: 'Not available to you' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'My status card' })).toHaveCount(0);
});
