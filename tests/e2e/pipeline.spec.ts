import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './axe.js';
import { signIn } from './session.js';

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const letters = (n: number) =>
  Array.from({ length: n }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('');
const hangul = (n: number) =>
  Array.from({ length: n }, () => String.fromCharCode(0xac00 + Math.floor(Math.random() * 11172))).join('');

interface ProjectRow {
  id: string;
  name: string;
  organizationId: string;
  startDate: string;
  endDate: string | null;
}

/** The first project the investor runs itself, and assignment dates inside its span. */
async function investorProject(page: Page) {
  const me = (await (await page.request.get('/api/me')).json()) as { organization: { id: string } };
  const { items } = (await (await page.request.get('/api/projects')).json()) as { items: ProjectRow[] };
  const project = items.find((p) => p.organizationId === me.organization.id)!;
  expect(project, 'the demo investor has a project').toBeTruthy();
  const start = Math.max(Date.now() + 40 * DAY, Date.parse(project.startDate));
  return { project, start: isoDay(start), end: isoDay(start + 30 * DAY) };
}

test('pipeline: add a worker, staff a project, assign, open a case, batch it, download the manifest and submit', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signIn(page);
  const { project, start, end } = await investorProject(page);
  const me = (await (await page.request.get('/api/me')).json()) as { organization: { name: string } };
  const given = `PIPE${letters(5)}`;
  const nameHangul = `윤${hangul(2)}`;
  const passport = `P${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

  // ---------------------------------------------------------------- the organization filter (investor + partners)
  await page.goto('/workers');
  const orgFilter = page.getByRole('combobox', { name: 'Organization' });
  await expect(orgFilter).toBeVisible();
  const partner = (await orgFilter.locator('option').allTextContents()).find(
    (o) => o !== 'All organizations' && o !== (me.organization.name as string),
  )!;
  await orgFilter.selectOption({ label: partner });
  await expect(page.locator('.virtual-row a').first()).toContainText(partner);
  await expect(page.locator('.virtual-row a', { hasNotText: partner })).toHaveCount(0);
  await orgFilter.selectOption({ label: 'All organizations' });

  // ---------------------------------------------------------------- add a worker through the form
  await page.getByRole('link', { name: 'Add worker' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Add worker' })).toBeVisible();
  const form = page.getByRole('form', { name: 'Add worker' });
  await form.getByLabel('Family name (as in passport)').fill('YOON');
  await form.getByLabel('Given name (as in passport)').fill(given);
  await form.getByLabel('Name in Hangul').fill(nameHangul);
  await form.getByLabel('Date of birth').fill('1987-06-20');
  await form.getByLabel('Sex').selectOption('M');
  await form.getByLabel('Passport number').fill('12#');
  await form.getByLabel('Passport expiry').fill(isoDay(Date.now() + 2000 * DAY));
  await form.getByLabel('Education').selectOption('bachelor');
  await form.getByLabel('Role', { exact: true }).selectOption('engineer');
  await form.getByLabel('Employed since').fill('2014-02-01');
  await form.getByLabel('Phone', { exact: true }).fill('+82 10-1234-5678');
  await form.getByRole('button', { name: 'Add worker' }).click();
  const passportError = form.locator('#worker-passportNumber-error');
  await expect(passportError).toBeVisible();
  await expect(form.getByLabel('Passport number')).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page, 'add worker form with an error');
  await form.getByLabel('Passport number').fill(passport);
  await form.getByRole('button', { name: 'Add worker' }).click();
  await expect(page).toHaveURL(/\/workers\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(nameHangul);

  // ---------------------------------------------------------------- a project: plan, assign, open a case
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Projects' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();
  await expect(page.getByRole('cell', { name: /\$[\d,]+/ }).first()).toBeVisible();
  await expectAccessible(page, 'projects list');
  await page.getByRole('link', { name: project.name }).click();
  await expect(page.getByRole('heading', { level: 1, name: project.name })).toBeVisible();

  const skill = `Cell inspection ${letters(3)}`;
  const plan = page.getByRole('form', { name: 'Add staffing need' });
  await plan.getByLabel('Role').selectOption('engineer');
  await plan.getByLabel('Skill (optional)').fill(skill);
  await plan.getByLabel('Headcount').fill('4');
  await plan.getByLabel('Start date').fill(start);
  await plan.getByLabel('End date').fill(end);
  await plan.getByRole('button', { name: 'Add staffing need' }).click();
  const bar = page.getByRole('progressbar', { name: `Engineer · ${skill}` });
  await expect(bar).toBeVisible();
  await expect(bar).toHaveAttribute('aria-valuemax', '4');

  // Other engineers of the demo data may already fill the plan: the count goes up by one.
  const assignedNow = async () => Number(/^(\d+)/.exec((await bar.getAttribute('aria-valuetext'))!)![1]);
  const before = await assignedNow();
  const assign = page.getByRole('form', { name: 'Assign a worker' });
  await assign.getByLabel('Find a worker by name').fill(nameHangul);
  await assign.getByRole('radio', { name: new RegExp(given) }).check();
  await assign.getByRole('checkbox', { name: /meetings/i }).check();
  await assign.getByLabel('Start date').fill(start);
  await assign.getByLabel('End date').fill(end);
  await assign.getByLabel('Who pays the salary').selectOption('foreign');
  await assign.getByRole('button', { name: 'Assign to this project' }).click();
  await expect.poll(assignedNow).toBe(before + 1);

  const open = page.getByRole('form', { name: 'Open visa case' });
  await expect(open.getByText(/is assigned to the project/)).toBeVisible();
  await expectAccessible(page, 'project page');
  await open.getByLabel('Visa category').selectOption('B1');
  await open.getByLabel(/Through the embassy desk/).check();
  await open.getByRole('button', { name: 'Open visa case' }).click();
  await expect(page.getByText(/B1 case opened/)).toBeVisible();
  await page.getByRole('link', { name: 'Go to the case' }).click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  const caseId = page.url().split('/').pop()!;

  // ---------------------------------------------------------------- a batch of embassy-desk B-1 cases
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Embassy-desk batches' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Embassy-desk batches' })).toBeVisible();
  await expectAccessible(page, 'batches list');
  await page.getByRole('link', { name: 'New batch' }).click();
  const builder = page.getByRole('form', { name: 'New batch' });
  await builder.getByLabel('Project', { exact: true }).selectOption(project.id);
  await expect(builder.getByLabel('Annotation: project')).toHaveValue(project.name);
  // Nothing picked: the server's field error shows in the form.
  await builder.getByRole('button', { name: 'Create batch' }).click();
  await expect(builder.locator('#batch-caseIds-error')).toBeVisible();
  await builder.getByLabel('Annotation: facility').fill('Cell plant, line 3');
  await builder.getByRole('checkbox', { name: new RegExp(given) }).check();
  await expect(builder.getByText('1 case chosen')).toBeVisible();
  await expectAccessible(page, 'batch builder');
  await builder.getByRole('button', { name: 'Create batch' }).click();
  await expect(page).toHaveURL(/\/batches\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('batch-status')).toHaveText('Draft');
  await expect(page.getByRole('link', { name: new RegExp(given) })).toHaveAttribute(
    'href',
    `/cases/${caseId}`,
  );
  await expect(page.getByText('Cell plant, line 3')).toBeVisible();

  for (const [name, magic] of [
    ['Download manifest (CSV)', [0xef, 0xbb, 0xbf]],
    ['Download manifest (PDF)', [0x25, 0x50, 0x44, 0x46]],
  ] as const) {
    const href = await page.getByRole('link', { name }).getAttribute('href');
    const file = await page.request.get(href!);
    expect(file.status()).toBe(200);
    const body = await file.body();
    expect([...body.subarray(0, magic.length)]).toEqual([...magic]);
    if (name.includes('CSV')) expect(body.toString('utf8')).toContain(nameHangul);
  }
  await expectAccessible(page, 'batch page');

  await page.getByRole('button', { name: 'Submit to the embassy desk' }).click();
  const confirm = page.getByRole('dialog', { name: 'Submit this batch?' });
  await expect(confirm).toBeVisible();
  await expectAccessible(page, 'batch submit dialog');
  await confirm.getByRole('button', { name: 'Yes, submit' }).click();
  await expect(page.getByTestId('batch-status')).toHaveText('Submitted');
  await expect(page.getByRole('button', { name: 'Submit to the embassy desk' })).toHaveCount(0);

  // Korean rendering of the batch page.
  await page.getByRole('button', { name: '한국어' }).click();
  await expect(page.getByTestId('batch-status')).toHaveText('제출됨');
  await page.getByRole('button', { name: 'English' }).click();
});

test('a worker signs in, sees their record and corrects their own contact details', async ({ page }) => {
  await signIn(page, 'English', { email: 'worker@hanbit-energy.example', password: 'KorusDemo!2026' });
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'My profile' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'My profile' })).toBeVisible();
  // Identity and passport are the employer's: shown, not editable, the passport masked.
  await expect(page.getByRole('heading', { name: 'Kept by your employer' })).toBeVisible();
  await expect(page.getByText(/•+\w{4}/)).toBeVisible();
  const form = page.getByRole('form', { name: 'Details you can correct' });
  await expect(form.getByLabel('Passport number')).toHaveCount(0);
  await expectAccessible(page, 'own profile');

  // A bad e-mail address: the server's error shows under the field.
  await form.getByLabel('E-mail').fill('not-an-address');
  await form.getByRole('button', { name: 'Save my details' }).click();
  await expect(form.locator('#profile-email-error')).toBeVisible();
  await expect(form.getByLabel('E-mail')).toHaveAttribute('aria-invalid', 'true');

  const phone = `+82 10-${String(Math.floor(1000 + Math.random() * 8999))}-0000`;
  await form.getByLabel('E-mail').fill('choi.minsu@example.com');
  await form.getByLabel('Phone', { exact: true }).fill(phone);
  await form.getByLabel('Emergency contact: name').fill('최영희');
  await form.getByLabel('Emergency contact: relationship').fill('배우자');
  await form.getByLabel('Emergency contact: phone').fill('+82 10-9876-5432');
  await form.getByLabel('Skills (one per line)').fill('TIG welding\nBattery module assembly');
  await form.getByRole('button', { name: 'Add a qualification' }).click();
  const count = await form.getByRole('group', { name: /^Qualification \d+$/ }).count();
  const last = form.getByRole('group', { name: `Qualification ${count}` });
  await last.getByLabel('Qualification', { exact: true }).fill('Welding Industrial Engineer');
  await last.getByLabel('Issued by').fill('HRD Korea');
  await form.getByRole('button', { name: 'Save my details' }).click();
  await expect(page.getByText('Your details are saved.')).toBeVisible();

  // The server kept it.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'My profile' })).toBeVisible();
  await expect(form.getByLabel('Phone', { exact: true })).toHaveValue(phone);
  await expect(form.getByLabel('Skills (one per line)')).toHaveValue('TIG welding\nBattery module assembly');
  await expect(
    form.getByRole('group', { name: `Qualification ${count}` }).getByLabel('Issued by'),
  ).toHaveValue('HRD Korea');
  await expectAccessible(page, 'own profile after saving');

  // The worker's own cases are listed; the employer's screens are not offered.
  await expect(page.getByRole('heading', { name: 'My visa cases' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav.getByRole('link', { name: 'Projects' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Embassy-desk batches' })).toHaveCount(0);

  await page.getByRole('button', { name: '한국어' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '내 정보' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '고용주가 관리하는 항목' })).toBeVisible();
  await page.getByRole('button', { name: 'English' }).click();
});
