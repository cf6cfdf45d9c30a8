import { type Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { expectAccessible } from './axe.js';

const password = 'KorusDemo!2026';
const fiscalYear =
  new Date().getUTCMonth() >= 9 ? new Date().getUTCFullYear() + 1 : new Date().getUTCFullYear();

async function login(page: Page, email: string) {
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('button[type="submit"]').click();
}

test('the quota dashboard shows use against the cap, pools, the chart, the waitlist and the comparison, in English and Korean', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'English' }).click();
  await login(page, 'officer@visa-desk.example');
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();

  // Reserve E-4 numbers through the API as the officer (with the page's session and CSRF token).
  const reserved = await page.evaluate(async (year) => {
    const csrf =
      document.cookie
        .split('; ')
        .find((c) => c.startsWith('korus_csrf='))
        ?.split('=')[1] ?? '';
    let ok = 0;
    for (let i = 0; i < 7; i++) {
      const res = await fetch(`/api/quota/E4/${year}/reservations`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-csrf-token': csrf,
          'idempotency-key': `e2e-quota-${year}-${i}-${Date.now()}`,
        },
        body: JSON.stringify({ caseRef: `E2E-${i}` }),
      });
      if (res.status === 201) ok++;
    }
    return ok;
  }, fiscalYear);
  expect(reserved).toBe(7);
  const api = await page.evaluate(async (year) => (await fetch(`/api/quota/E4/${year}`)).json(), fiscalYear);

  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Visa quotas' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Visa quotas' })).toBeVisible();
  await expect(page.getByTestId('quota-cap')).toHaveText('15,000');
  await expect(page.getByTestId('quota-reserved')).toHaveText(
    new Intl.NumberFormat('en-US').format(api.reserved),
  );
  await expect(page.getByTestId('quota-available')).toHaveText(
    new Intl.NumberFormat('en-US').format(api.available),
  );
  await expect(page.getByText('Proposed: the E-4 is a bill')).toBeVisible();
  await expect(page.getByRole('meter')).toHaveAttribute('aria-valuenow', String(api.reserved + api.issued));
  await expect(page.getByRole('img', { name: 'Use over the fiscal year' })).toBeVisible();
  await expect(page.getByTestId('quota-usage-line')).toBeVisible();
  await expect(page.getByTestId('compare-TN')).toContainText('no annual cap');
  await expect(page.getByTestId('compare-E3')).toContainText('10,500');
  await expect(page.getByTestId('compare-H1B')).toContainText('65,000 + 20,000');
  await expectAccessible(page, 'quota dashboard (en)');
  await page.screenshot({ path: 'test-results/quota-en.png', fullPage: true });

  // Another program and year through the selectors; the address follows, so the view can be shared.
  await page.getByLabel('Program', { exact: true }).selectOption('H2B');
  await expect(page).toHaveURL(new RegExp(`/quota/H2B/${fiscalYear}$`));
  await expect(page.getByTestId('quota-cap')).toHaveText('66,000');
  await page.getByLabel('Fiscal year', { exact: true }).selectOption(String(fiscalYear + 1));
  await expect(page).toHaveURL(new RegExp(`/quota/H2B/${fiscalYear + 1}$`));

  await page.getByRole('button', { name: '한국어' }).click();
  await page.goto(`/quota/E4/${fiscalYear}`);
  await expect(page.getByRole('heading', { level: 1, name: '비자 쿼터' })).toBeVisible();
  await expect(page.getByText('발의안: E-4는 법안')).toBeVisible();
  await expect(page.getByTestId('compare-TN')).toContainText('연간 한도 없음');
  await expectAccessible(page, 'quota dashboard (ko)');
  await page.screenshot({ path: 'test-results/quota-ko.png', fullPage: true });
});
