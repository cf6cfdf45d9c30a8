import { type Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { expectAccessible } from './axe.js';

const admin = { email: 'admin@hanbit-energy.example', password: 'KorusDemo!2026' };

async function login(page: Page, email: string, password: string) {
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('button[type="submit"]').click();
}

test('the demo admin signs in in Korean, sees the frame, and the language persists', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: '한국어' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
  await expect(page.getByRole('heading', { name: '로그인' })).toBeVisible();
  await expectAccessible(page, 'login (ko)');
  await page.screenshot({ path: 'test-results/login-ko.png', fullPage: true });

  await login(page, admin.email, 'wrong-password');
  await expect(page.getByRole('alert')).toHaveText('이메일 주소 또는 비밀번호가 올바르지 않습니다.');

  await login(page, admin.email, admin.password);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('환영합니다');
  await expect(page.getByTestId('whoami')).toContainText('Hanbit Energy Solutions (fictional)');
  await expect(page.getByRole('navigation', { name: '주 메뉴' })).toBeVisible();
  // The overview: today's figures, and each site's headcount linking to its roster.
  await expect(page.getByRole('heading', { level: 2, name: '오늘의 현장' })).toBeVisible();
  await expect(
    page.getByRole('link', { name: /Bryan County Battery Plant \(fictional\) \(GA\)/ }),
  ).toHaveAttribute('href', /^\/roster\?site=/);
  await expectAccessible(page, 'frame (ko)');
  await page.screenshot({ path: 'test-results/frame-ko.png', fullPage: true });

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
  await expect(
    page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '관리' }),
  ).toBeVisible();

  await page.getByRole('button', { name: '로그아웃' }).click();
  await expect(page.getByRole('heading', { name: '로그인' })).toBeVisible();
});

test('the demo admin signs in in English, manages users and API tokens', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'English' }).click();
  await login(page, admin.email, admin.password);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Welcome');
  await expectAccessible(page, 'frame (en)');
  await page.screenshot({ path: 'test-results/frame-en.png', fullPage: true });

  // Keyboard: the skip link is the first stop, and leads to the main content.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();

  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Administration' })
    .click();
  await expect(page).toHaveURL(/\/admin$/);
  await page.getByRole('tab', { name: 'Users' }).click();
  await page.locator('#user-email').fill('new.hire@hanbit-energy.example');
  await page.locator('#user-name').fill('신입 직원 (New Hire)');
  await page.locator('#user-role').selectOption('staff');
  await page.locator('#user-password').fill('short');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.locator('#user-password-error')).toHaveText('Must be at least 12 characters long.');
  // Long enough but guessable: the reason, under the field.
  await page.locator('#user-password').fill('password1234');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.locator('#user-password-error')).toContainText('close to a commonly used password');
  await page.locator('#user-password').fill('a-long-enough-password');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByText('User new.hire@hanbit-energy.example created.')).toBeVisible();
  await expect(page.getByRole('cell', { name: 'new.hire@hanbit-energy.example', exact: true })).toBeVisible();
  await expectAccessible(page, 'admin users');

  await page.getByRole('tab', { name: 'API tokens' }).click();
  await page.locator('#token-name').fill('payroll sync');
  await page.getByRole('button', { name: 'Create' }).click();
  const secret = await page.getByTestId('new-token').locator('code').textContent();
  expect(secret).toMatch(/^korus_pat_/);
  // The token works for a machine client, without cookies.
  const me = await page.request.get('/api/me', {
    headers: { authorization: `Bearer ${secret}`, cookie: '' },
  });
  expect(me.status()).toBe(200);
  await page.getByRole('button', { name: 'Revoke token payroll sync' }).click();
  await expect(page.getByText('Token revoked.')).toBeVisible();
  await page.screenshot({ path: 'test-results/admin-tokens-en.png', fullPage: true });
  await expectAccessible(page, 'admin tokens');

  // Everything above left audit events, visible to the organization's administrator.
  await page.getByRole('tab', { name: 'Audit log' }).click();
  await expect(page.getByRole('cell', { name: /API token revoked/ }).first()).toBeVisible();
  await expect(page.getByRole('cell', { name: /User created/ }).first()).toBeVisible();
  await expectAccessible(page, 'admin audit log');
});

test('unknown pages inside the app say so; the API documentation is served', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'English' }).click();
  await login(page, admin.email, admin.password);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Welcome');
  await page.goto('/no-such-page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  const openapi = await page.request.get('/api/openapi.json');
  expect((await openapi.json()).openapi).toBe('3.1.0');
});
