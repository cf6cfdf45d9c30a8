import { type Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { expectAccessible } from './axe.js';
import { signIn } from './session.js';

async function post<T>(page: Page, url: string, data: unknown): Promise<T> {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'korus_csrf')?.value ?? '';
  const res = await page.request.post(url, { data, headers: { 'x-csrf-token': csrf } });
  expect(res.status(), `${url}: ${await res.text()}`).toBeLessThan(300);
  return (await res.json()) as T;
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const letters = (n: number) =>
  Array.from({ length: n }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('');

test('alerts: a scan raises alerts, one is marked read, the messages read in Korean', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page);
  const family = `ALERT${letters(4)}`;
  const worker = await post<{ id: string }>(page, '/api/workers', {
    familyName: family,
    givenName: 'MINSU',
    nameHangul: '경보민수',
    birthDate: '1987-03-03',
    sex: 'M',
    nationality: 'KR',
    passportNumber: `M${Math.floor(10_000_000 + Math.random() * 89_999_999)}`,
    passportExpiry: day(120),
    education: 'vocational',
    role: 'technician',
    employedSince: '2015-03-01',
  });
  await post(page, `/api/workers/${worker.id}/entries`, {
    admittedOn: day(-20),
    classOfAdmission: 'B1',
    admitUntil: day(6),
    port: 'ATL',
  });
  // No "Check now" needed: recording the stay recomputes the alerts (within seconds).
  await page.goto('/alerts');
  await expect(page.getByRole('heading', { level: 1, name: 'Alerts' })).toBeVisible();
  const mine = page.getByTestId('alert').filter({ hasText: family });
  await expect(async () => {
    await page.reload();
    await expect(mine).toHaveCount(2, { timeout: 1000 }); // admit-until in 6 days (7-day threshold), the passport
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId('alerts-badge')).toBeVisible();
  const stay = mine.filter({ hasText: 'must leave or extend' });
  await expect(stay).toContainText('6 days left');
  await expect(stay.getByRole('link', { name: 'Worker' })).toHaveAttribute('href', `/workers/${worker.id}`);
  await expectAccessible(page, 'alerts centre');

  const count = page.getByTestId('alerts-count');
  const before = Number(/^(\d+) unread/.exec((await count.textContent()) ?? '')![1]);
  await stay.getByRole('button', { name: 'Mark read' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Marked read.' })).toBeVisible();
  await expect(count).toContainText(`${before - 1} unread`);
  await expect(stay.getByRole('button', { name: 'Mark read' })).toHaveCount(0);

  await page.getByLabel('Unread only').check();
  await expect(page.getByTestId('alert').filter({ hasText: family })).toHaveCount(1);
  await expect(page.getByTestId('alert').filter({ hasText: 'must leave or extend' }).filter({ hasText: family })).toHaveCount(0); // prettier-ignore

  // The same alerts in Korean.
  await page.getByRole('button', { name: '한국어' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '알림' })).toBeVisible();
  await page.getByLabel('읽지 않은 알림만').uncheck();
  const korean = page.getByTestId('alert').filter({ hasText: '경보민수' });
  await expect(korean).toHaveCount(2);
  await expect(korean.filter({ hasText: '체류 허가 기한' }).first()).toContainText('6일 남았습니다');
  await expect(korean.filter({ hasText: '여권' }).first()).toContainText('만료됩니다');

  await page.getByRole('button', { name: '모두 읽음으로 표시' }).click();
  await expect(page.getByTestId('alerts-count')).toContainText('읽지 않음 0건');
  await expect(page.getByTestId('alerts-badge')).toHaveCount(0);

  // "Check now" speaks of the person's own alerts, in the terms of the count line: nothing new, none unread.
  await page.getByRole('button', { name: '지금 확인' }).click();
  await expect(page.getByRole('status').filter({ hasText: '새 알림이 없습니다' })).toContainText(
    '읽지 않은 알림은 모두 0건입니다',
  );
  await expect(page.getByTestId('alerts-count')).toContainText('읽지 않음 0건');
});
