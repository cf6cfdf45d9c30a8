import { type Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { expectAccessible } from './axe.js';

const password = 'KorusDemo!2026';

async function signIn(page: Page, email: string, secret = password) {
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(secret);
  await page.locator('button[type="submit"]').click();
}

test('navigation follows capabilities: a viewer reads assessments, a worker reads only the rules', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'English' }).click();
  await signIn(page, 'viewer@hanbit-energy.example');
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav.getByRole('link')).toHaveText([
    'Overview',
    'Visa assessments',
    'Visa cases',
    'Workers',
    'Projects',
    'Embassy-desk batches',
    // Viewers read their organization's contribution ledger (issue 20).
    'Contribution',
    // The overseas-Korean directory near the sites (issue 19).
    'Near the sites',
    'Site roster',
    'Rules and sources',
  ]);
  await nav.getByRole('link', { name: 'Visa assessments' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Visa assessments' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'New assessment' })).toHaveCount(0);
  await page.goto('/assessments/new');
  await expect(page.getByRole('heading', { name: 'Not available to you' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();

  await signIn(page, 'worker@hanbit-energy.example');
  // The alerts link carries the unread count when earlier journeys left the worker some (a questionnaire sent…).
  await expect(nav.getByRole('link')).toHaveText([
    'Overview',
    // The worker's family plan and the directory near their site (issue 19).
    'Family plan',
    'My profile',
    /^Alerts/,
    'Rules and sources',
    'My status card',
  ]);
});

test('repeated failed sign-ins slow down, and the page says how many seconds to wait, in Korean', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: '한국어' }).click();
  for (let attempt = 0; attempt < 5; attempt++) {
    await signIn(page, 'staff@daeho-precision.example', 'not-the-password');
    await expect(page.getByRole('alert')).toHaveText('이메일 주소 또는 비밀번호가 올바르지 않습니다.');
  }
  await signIn(page, 'staff@daeho-precision.example', password);
  await expect(page.getByRole('alert')).toContainText('로그인 실패가 너무 많습니다.');
  await expect(page.getByRole('alert')).toContainText(
    /로그인 실패가 너무 많습니다. \d+초 후 다시 시도하세요./,
  );
  await expectAccessible(page, 'login throttled (ko)');
});
