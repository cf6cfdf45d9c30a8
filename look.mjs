import { chromium } from '@playwright/test';
const [email, path, out, lang, mobile] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const ctx = await browser.newContext(
  mobile
    ? { viewport: { width: 390, height: 844 }, isMobile: true }
    : { viewport: { width: 1280, height: 900 } },
);
const page = await ctx.newPage();
await page.goto('http://127.0.0.1:8282/');
await page.getByRole('button', { name: lang === 'ko' ? '한국어' : 'English' }).click();
await page.locator('#email').fill(email);
await page.locator('#password').fill('KorusDemo!2026');
await page.locator('button[type="submit"]').click();
await page.getByTestId('whoami').waitFor();
await page.goto('http://127.0.0.1:8282' + path);
await page.waitForTimeout(1500);
await page.screenshot({ path: out, fullPage: true });
await browser.close();
