import { type Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { expectAccessible } from './axe.js';
import { signIn } from './session.js';

const worker = { email: 'worker@hanbit-energy.example', password: 'KorusDemo!2026' };
const localDay = (offset: number) => {
  const d = new Date(Date.now() + offset * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

async function postJson(page: Page, url: string, data: unknown) {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'korus_csrf')?.value ?? '';
  return page.request.post(url, { data, headers: { 'x-csrf-token': csrf } });
}

/**
 * The worker's own phone (issue 6): signed in, the worker takes a fresh status card of their own, with their
 * employer's emergency contacts and counsel beside it; both stay on the phone and show offline.
 */
test('a signed-in worker takes their own card in Korean; it and whom to call show offline', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // The demo worker's record, admitted today as a B-1 visitor if not in the US already (recorded by HR).
  await signIn(page, 'English', worker);
  const me = (await (await page.request.get('/api/workers/me')).json()) as { id: string; nameHangul: string };
  await page.context().clearCookies();
  await signIn(page);
  const { items } = (await (await page.request.get(`/api/workers/${me.id}/entries`)).json()) as {
    items: { admittedOn: string; departedOn: string | null; admitUntil: string | null }[];
  };
  const today = localDay(0);
  const present = items.some(
    (e) =>
      e.admittedOn <= today && (!e.departedOn || e.departedOn >= today) && (e.admitUntil ?? today) >= today,
  );
  if (!present) {
    const entry = await postJson(page, `/api/workers/${me.id}/entries`, {
      admittedOn: today,
      classOfAdmission: 'B1',
      admitUntil: localDay(60),
    });
    expect(entry.status(), await entry.text()).toBe(201);
  }
  await page.context().clearCookies();

  await signIn(page, '한국어', worker);
  await page.goto('/card');
  await expect(page.getByRole('heading', { level: 1, name: '체류 신분 카드' })).toBeVisible();
  await page.getByRole('button', { name: '지금 카드 받기' }).click();
  const card = page.locator('.status-card');
  await expect(card).toContainText(me.nameHangul);
  await expect(page.getByTestId('card-qr')).toBeVisible();
  const call = page.getByRole('region', { name: '도움이 필요할 때 연락처' });
  await expect(call).toContainText('긴급 상황에서는 911에 전화하세요.');
  await expect(call).toContainText('24시간 상황실');
  await expect(call.getByRole('link', { name: '+1-912-555-0199' })).toHaveAttribute(
    'href',
    'tel:+19125550199',
  );
  await expect(call).toContainText('Grace Baek');
  await expect(call).toContainText('서명된 카드의 일부가 아닙니다');
  await expectAccessible(page, 'own card with whom to call (Korean)');

  // Offline, once the service worker holds the app: the card and whom to call are still there.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await page.context().setOffline(true);
  await page.goto('/card');
  await expect(card).toContainText(me.nameHangul);
  await expect(call.getByRole('link', { name: '+1-912-555-0199' })).toBeVisible();
  await expect(page.getByRole('button', { name: '지금 카드 받기' })).toHaveCount(0);
  await page.context().setOffline(false);
});
