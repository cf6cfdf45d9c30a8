import { expect, test } from './fixtures.js';
import { expectAccessible } from './axe.js';
import { signIn } from './session.js';

/**
 * The roster's contact sheet (issue 6): the company's administrator enters counsel and emergency contacts in
 * Administration, a bad phone number is refused next to its field in Korean and nothing is saved, and the
 * roster screen then shows the contacts with callable links.
 */
test('contacts: an administrator enters counsel in Korean and the roster contact sheet shows it', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signIn(page, '한국어');
  const me = (await (await page.request.get('/api/me')).json()) as {
    organization: { id: string; name: string };
  };
  const contactsUrl = `/api/organizations/${me.organization.id}/contacts`;
  const before = (await (await page.request.get(contactsUrl)).json()) as { items: { name: string }[] };
  expect(before.items.length).toBeGreaterThan(0); // the demo's counsel and duty desk

  await page.goto('/admin');
  const open = page.getByRole('button', { name: `${me.organization.name}의 법률 대리인 및 비상 연락처` });
  await open.click();
  await expect(open).toHaveAttribute('aria-expanded', 'true');
  const editor = page.getByRole('form', { name: `${me.organization.name}의 법률 대리인 및 비상 연락처` });
  await expect(editor.locator('fieldset.contact-fieldset')).toHaveCount(before.items.length);
  await expect(editor.locator('#contact-0-name')).toHaveValue(before.items[0]!.name);

  // A new counsel with a phone that is not a number: refused next to the field, in Korean; nothing saved.
  await editor.getByRole('button', { name: '법률 대리인 추가' }).click();
  const n = before.items.length;
  await editor.locator(`#contact-${n}-name`).fill('조대니 Daniel Cho');
  await editor.locator(`#contact-${n}-firm`).fill('Cho Immigration PC (fictional)');
  await editor.locator(`#contact-${n}-phone`).fill('사무실로 전화');
  await editor.getByRole('button', { name: '연락처 저장' }).click();
  await expect(editor.locator(`#contact-${n}-phone-error`)).toContainText('전화번호 형식이어야 합니다');
  const unchanged = (await (await page.request.get(contactsUrl)).json()) as { items: unknown[] };
  expect(unchanged.items).toHaveLength(n);
  await expectAccessible(page, 'admin contacts editor with a field error');

  await editor.locator(`#contact-${n}-phone`).fill('+1 470 555 0111');
  await editor.getByRole('button', { name: '연락처 저장' }).click();
  await expect(editor.getByText('연락처를 저장했습니다.')).toBeVisible();
  const saved = (await (await page.request.get(contactsUrl)).json()) as {
    items: { name: string; kind: string; phone: string }[];
  };
  expect(saved.items).toHaveLength(n + 1);
  expect(saved.items[n]).toMatchObject({
    kind: 'counsel',
    name: '조대니 Daniel Cho',
    phone: '+1 470 555 0111',
  });

  // The roster's contact sheet lists the site owner's counsel and emergency contacts, callable.
  await page.goto('/roster');
  const sheet = page.getByRole('region', { name: '회사 연락처' });
  await expect(sheet).toBeVisible();
  await expect(sheet.getByRole('heading', { name: me.organization.name })).toBeVisible();
  await expect(sheet.getByText('조대니 Daniel Cho')).toBeVisible();
  await expect(sheet.getByRole('link', { name: '+1 470 555 0111' })).toHaveAttribute(
    'href',
    'tel:+14705550111',
  );
  await expect(sheet.getByText('Grace Baek')).toBeVisible();
  await expect(sheet.getByText('긴급 상황에서는 911에 전화하세요.')).toBeVisible();
  await expectAccessible(page, 'roster with the contact sheet');
});
