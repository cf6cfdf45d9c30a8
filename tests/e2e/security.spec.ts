import { generate } from 'otplib';
import { expect, test } from './fixtures.js';
import { expectAccessible } from './axe.js';
import { startOidcProvider } from '../../src/server/testing/oidc-provider.js';

/**
 * Strong sign-in in the browser (issue 14), under the app's Content-Security-Policy (the fixtures fail on any
 * violation): two-factor set-up and sign-in in Korean; an organization that requires it of its administrators;
 * single sign-on through a real OpenID Connect provider started by the test.
 */
const PASSWORD = 'KorusDemo!2026';
const port = Number(process.env.KORUS_E2E_PORT ?? 8181);
const appUrl = `http://127.0.0.1:${port}`;

async function fillLogin(page: import('@playwright/test').Page, email: string) {
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('button[type="submit"]').click();
}

test('an administrator turns on two-factor sign-in in Korean and signs in with a code', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: '한국어' }).click();
  await fillLogin(page, 'admin@mirae-wp.example');
  await expect(page.getByTestId('whoami')).toBeVisible();
  await page.getByRole('link', { name: '로그인 보안' }).click();
  await expect(page.getByRole('heading', { name: '로그인 보안', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: '2단계 로그인 설정' }).click();
  await expect(page.getByRole('img')).toBeVisible(); // the QR code
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  await page.locator('#totp-code').fill('000000');
  await page.getByRole('button', { name: '켜기' }).click();
  await expect(page.getByRole('alert')).toContainText('코드가 올바르지 않습니다');
  await page.locator('#totp-code').fill(await generate({ secret }));
  await page.getByRole('button', { name: '켜기' }).click();
  const codes = page.getByTestId('recovery-codes').locator('code');
  await expect(codes).toHaveCount(10);
  await expectAccessible(page, 'recovery codes (ko)');
  await page.screenshot({ path: 'test-results/two-factor-ko.png', fullPage: true });
  await page.getByRole('button', { name: '저장했습니다' }).click();
  await expect(page.getByText('켜짐: 비밀번호 다음에 인증 앱의 코드를 입력합니다.')).toBeVisible();

  await page.getByRole('button', { name: '로그아웃' }).click();
  await fillLogin(page, 'admin@mirae-wp.example');
  await expect(page.getByRole('heading', { name: '2단계 로그인' })).toBeVisible();
  // The next time step's code: the one used to turn it on cannot be used twice.
  await page.locator('#code').fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
  await page.getByRole('button', { name: '확인하고 로그인' }).click();
  await expect(page.getByTestId('whoami')).toContainText('Mirae');
});

test('an organization requires two-factor sign-in of its administrators: they enrol before anything else', async ({
  page,
  browser,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'English' }).click();
  await fillLogin(page, 'admin@seorin-auto.example');
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Administration' })
    .click();
  await page.getByRole('tab', { name: 'Sign-in' }).click();
  await expect(page.getByTestId('redirect-uri')).toHaveText(`${appUrl}/api/auth/sso/callback`);
  await page.getByLabel('Require two-factor sign-in for administrators').check();
  await page.getByRole('button', { name: 'Save sign-in policy' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Sign-in policy saved.' })).toBeVisible();
  await expectAccessible(page, 'sign-in policy (en)');

  // The same administrator, signing in again: only the account page, with the reason.
  const fresh = await browser.newPage();
  await fresh.goto('/workers');
  await fresh.getByRole('button', { name: 'English' }).click();
  await fillLogin(fresh, 'admin@seorin-auto.example');
  await expect(fresh.getByRole('alert')).toContainText('requires two-factor sign-in for administrators');
  await expect(fresh.getByRole('navigation', { name: 'Main navigation' }).getByRole('link')).toHaveCount(0);
  await expect(fresh.getByRole('heading', { name: 'Sign-in and security', level: 1 })).toBeVisible();
  await fresh.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  const secret = (await fresh.getByTestId('totp-secret').textContent())!.trim();
  await fresh.locator('#totp-code').fill(await generate({ secret }));
  await fresh.getByRole('button', { name: 'Turn on' }).click();
  await fresh.getByRole('button', { name: 'I have saved them' }).click();
  await expect(
    fresh.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Workers' }),
  ).toBeVisible();
  await fresh.close();
});

test("staff sign in through their organization's single sign-on (a real OpenID Connect provider)", async ({
  page,
  browser,
}) => {
  const provider = await startOidcProvider(`${appUrl}/api/auth/sso/callback`);
  try {
    provider.accounts.set('emp-77', {
      email: 'seo.yuna@daeho-precision.example',
      name: '서유나',
      groups: ['hr'],
    });
    // The partner's administrator sets it up.
    await page.goto('/');
    await page.getByRole('button', { name: 'English' }).click();
    await fillLogin(page, 'admin@daeho-precision.example');
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Administration' })
      .click();
    await page.getByRole('tab', { name: 'Sign-in' }).click();
    await page.getByLabel('Use single sign-on').check();
    await page.getByLabel('Issuer URL').fill(provider.issuer);
    await page.getByLabel('Client ID').fill(provider.clientId);
    await page.getByLabel('Client secret').fill(provider.clientSecret);
    await page.getByLabel('E-mail domains (comma-separated)').fill('daeho-precision.example');
    await page.getByLabel('Groups and roles (one per line: group = role)').fill('hr = staff');
    await page.getByRole('button', { name: 'Save sign-in policy' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Sign-in policy saved.' })).toBeVisible();
    await expect(page.getByLabel('Client secret')).toHaveValue('');

    // A new member of staff, in Korean: the e-mail's domain offers single sign-on.
    const staff = await browser.newPage();
    await staff.goto('/');
    await staff.getByRole('button', { name: '한국어' }).click();
    await staff.locator('#email').fill('seo.yuna@daeho-precision.example');
    await expect(
      staff.getByText('Daeho Precision Machinery (fictional)은(는) 자체 통합 로그인(SSO)을 사용합니다.'),
    ).toBeVisible();
    await staff.getByRole('button', { name: '통합 로그인(SSO)으로 계속' }).click();
    // The provider's own pages: its login form (any password in this test provider), then consent.
    await staff.waitForURL(new RegExp(`^${provider.issuer}/interaction/`));
    await staff.locator('input[name="login"]').fill('emp-77');
    await staff.locator('input[name="password"]').fill('anything');
    await staff.locator('button[type="submit"]').click();
    await staff.waitForURL(new RegExp(`^${provider.issuer}/interaction/`));
    await staff.locator('button[type="submit"]').click();
    await staff.waitForURL(`${appUrl}/`);
    await expect(staff.getByTestId('whoami')).toContainText('서유나');
    await expect(staff.getByTestId('whoami')).toContainText('담당자');
    await staff.close();
  } finally {
    await provider.close();
  }
});
