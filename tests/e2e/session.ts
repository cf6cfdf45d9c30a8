import { expect, type Page } from '@playwright/test';

/** The investor's HR administrator of the demo data. */
export const demoAdmin = { email: 'admin@hanbit-energy.example', password: 'KorusDemo!2026' };

/** Signs in through the login page in the given language and waits for the app frame. */
export async function signIn(
  page: Page,
  lang: 'English' | '한국어' = 'English',
  who: { email: string; password: string } = demoAdmin,
): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: lang }).click();
  await page.locator('#email').fill(who.email);
  await page.locator('#password').fill(who.password);
  await page.locator('button[type="submit"]').click();
  await expect(page.getByTestId('whoami')).toBeVisible();
}
