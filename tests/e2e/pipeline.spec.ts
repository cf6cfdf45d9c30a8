import { readFile } from 'node:fs/promises';
import { request as playwrightRequest, type Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
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
  await expect(page.getByTestId('batch-status')).toHaveText('Submitted, awaiting the desk');
  await expect(page.getByRole('button', { name: 'Submit to the embassy desk' })).toHaveCount(0);

  // Korean rendering of the batch page.
  await page.getByRole('button', { name: '한국어' }).click();
  await expect(page.getByTestId('batch-status')).toHaveText('제출됨, 창구 확인 대기');
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

test('a draft batch is edited: renamed, a case taken out and one added; refusals shown; locked once submitted', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signIn(page);
  const { project, start, end } = await investorProject(page);
  const csrf = async () => (await page.context().cookies()).find((c) => c.name === 'korus_csrf')?.value ?? '';
  const write = async <T>(method: 'POST' | 'PATCH', url: string, data: unknown) => {
    const res = await page.request.fetch(url, { method, data, headers: { 'x-csrf-token': await csrf() } });
    return { status: res.status(), body: (await res.json()) as T };
  };
  /** An open embassy-desk B-1 case of a new worker on the investor's project, through the API. */
  const deskCase = async () => {
    const given = `EDIT${letters(5)}`;
    const w = await write<{ id: string }>('POST', '/api/workers', {
      familyName: 'KANG',
      givenName: given,
      nameHangul: `강${hangul(2)}`,
      birthDate: '1985-03-09',
      sex: 'F',
      nationality: 'KR',
      passportNumber: `Q${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      passportExpiry: isoDay(Date.now() + 2000 * DAY),
      education: 'vocational',
      role: 'technician',
      employedSince: '2011-04-01',
    });
    expect(w.status).toBe(201);
    const a = await write<{ id: string }>('POST', '/api/assignments', {
      workerId: w.body.id,
      projectId: project.id,
      activities: ['equipment_installation'],
      startDate: start,
      endDate: end,
      payer: 'foreign',
    });
    expect(a.status).toBe(201);
    const c = await write<{ id: string; workflowId: string }>('POST', '/api/cases', {
      assignmentId: a.body.id,
      category: 'B1',
      embassyDesk: true,
      assessment: {
        assignment: {
          equipmentFromAbroad: true,
          contractRequiresSellerService: true,
          specializedKnowledgeEssential: true,
        },
      },
    });
    expect(c.status).toBe(201);
    expect(c.body.workflowId).toBe('b1-embassy-desk');
    return { given, id: c.body.id };
  };
  const [first, second, third, fourth] = [
    await deskCase(),
    await deskCase(),
    await deskCase(),
    await deskCase(),
  ];
  const made = await write<{ id: string }>('POST', '/api/batches', {
    projectId: project.id,
    annotation: { company: 'Hanbit Energy Solutions', facility: 'Cell plant, line 1', project: project.name },
    caseIds: [first.id, second.id],
  });
  expect(made.status).toBe(201);
  const batchUrl = `/batches/${made.body.id}`;

  await page.goto(batchUrl);
  await expect(page.getByTestId('batch-status')).toHaveText('Draft');
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  const form = page.getByRole('form', { name: `Edit the batch for ${project.name}` });
  await expect(form).toBeVisible();
  await expect(form.getByRole('checkbox', { name: new RegExp(first.given) })).toBeChecked();
  await expect(form.getByRole('checkbox', { name: new RegExp(third.given) })).not.toBeChecked();
  await expectAccessible(page, 'batch editor');

  // Rename the facility, take the first case out, add the third.
  await form.getByLabel('Annotation: facility').fill('Cell plant, line 2');
  await form.getByRole('checkbox', { name: new RegExp(first.given) }).uncheck();
  await form.getByRole('checkbox', { name: new RegExp(third.given) }).check();
  await expect(form.getByText('1 kept, 1 to add, 1 to take out')).toBeVisible();
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Changes saved.')).toBeVisible();
  await expect(page.getByText('Cell plant, line 2')).toBeVisible();
  await expect(page.getByRole('link', { name: new RegExp(third.given) })).toHaveAttribute(
    'href',
    `/cases/${third.id}`,
  );
  await expect(page.getByRole('link', { name: new RegExp(first.given) })).toHaveCount(0);

  // Meanwhile another batch takes the fourth case: ticking it here is refused at that case, nothing is saved.
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await expect(form.getByRole('checkbox', { name: new RegExp(fourth.given) })).toBeVisible();
  const other = await write('POST', '/api/batches', {
    projectId: project.id,
    annotation: { company: 'Hanbit Energy Solutions', facility: 'Elsewhere', project: project.name },
    caseIds: [fourth.id],
  });
  expect(other.status).toBe(201);
  await form.getByLabel('Annotation: company').fill('Renamed in vain');
  await form.getByRole('checkbox', { name: new RegExp(fourth.given) }).check();
  await form.getByRole('button', { name: 'Save changes' }).click();
  const refused = form.getByRole('checkbox', { name: new RegExp(fourth.given) });
  await expect(refused).toHaveAttribute('aria-invalid', 'true');
  await expect(
    form.getByText('is not an open B-1 case through the embassy desk on this project, outside other batches'),
  ).toBeVisible();
  await expectAccessible(page, 'batch editor with a refused case');
  // Taking every case out is refused too, with the message at the list.
  await refused.uncheck();
  await form.getByRole('checkbox', { name: new RegExp(second.given) }).uncheck();
  await form.getByRole('checkbox', { name: new RegExp(third.given) }).uncheck();
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(form.getByText('would leave the batch without cases')).toBeVisible();
  await form.getByRole('button', { name: 'Cancel' }).click();
  await page.reload();
  await expect(page.getByText('Hanbit Energy Solutions', { exact: true })).toBeVisible();
  await expect(page.getByText('Renamed in vain')).toHaveCount(0);
  await expect(page.getByRole('link', { name: new RegExp(second.given) })).toBeVisible();
  await expect(page.getByRole('link', { name: new RegExp(fourth.given) })).toHaveCount(0);

  // In Korean, the mode is "수정".
  await page.getByRole('button', { name: '한국어' }).click();
  await expect(page.getByRole('button', { name: '수정', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'English' }).click();

  // Submitted, the batch can still be amended until the desk acknowledges it (issue 17); then it is locked: no
  // Edit button, and the API answers 409 in both languages.
  await page.getByRole('button', { name: 'Submit to the embassy desk' }).click();
  await page
    .getByRole('dialog', { name: 'Submit this batch?' })
    .getByRole('button', { name: 'Yes, submit' })
    .click();
  await expect(page.getByTestId('batch-status')).toHaveText('Submitted, awaiting the desk');
  await expect(page.getByText('The desk has not acknowledged this batch yet')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Edit', exact: true })).toBeVisible();
  const amended = await write('PATCH', `/api${batchUrl}`, {
    annotation: { facility: 'Cell plant, line 1A' },
  });
  expect(amended.status).toBe(200);
  const desk = await playwrightRequest.newContext({ baseURL: page.url() });
  await desk.post('/api/auth/login', {
    data: { email: 'consul@kit-desk.example', password: 'KorusDemo!2026' },
  });
  const deskCsrf = (await desk.storageState()).cookies.find((c) => c.name === 'korus_csrf')?.value ?? '';
  const ack = await desk.post(`/api/desk${batchUrl}/acknowledge`, { headers: { 'x-csrf-token': deskCsrf } });
  expect(ack.status()).toBe(200);
  await desk.dispose();
  await page.reload();
  await expect(page.getByTestId('batch-status')).toHaveText('Acknowledged by the desk');
  await expect(page.getByRole('button', { name: 'Edit', exact: true })).toHaveCount(0);
  const locked = await write<{ messages: { en: string; ko: string } }>('PATCH', `/api${batchUrl}`, {
    annotation: { facility: 'Too late' },
  });
  expect(locked.status).toBe(409);
  expect(locked.body.messages.ko).toContain('더 이상 변경할 수 없습니다');
});

test('projects: an investor creates one through the form, errors under the fields; partners see no form', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/projects');
  await expect(page.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();
  await page.getByRole('link', { name: 'New project' }).click();
  await expect(page).toHaveURL(/\/projects\/new$/);
  await expect(page.getByRole('heading', { level: 1, name: 'New project' })).toBeVisible();
  const form = page.getByRole('form', { name: 'New project' });
  const name = `Cell plant expansion ${letters(4)}`;
  const code = `NEW-${letters(5)}`;
  const start = isoDay(Date.now() + 30 * DAY);

  // A code the schema refuses: the server's message shows under the field.
  await form.getByLabel('Project name').fill(name);
  await form.getByLabel(/^Project code/).fill('bad code!');
  await form.getByLabel('Registered investment (USD)').fill('1,250,000,000');
  await form.getByLabel('Start date').fill(start);
  await form.getByRole('button', { name: 'Create project' }).click();
  await expect(form.locator('#project-code-error')).toBeVisible();
  await expect(form.getByLabel(/^Project code/)).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByRole('alert')).toContainText('Please correct the marked fields.');
  await expectAccessible(page, 'new project form with an error');

  // An end before the start: the error moves to the end date.
  await form.getByLabel(/^Project code/).fill(code);
  await form.getByLabel('End date (optional)').fill(isoDay(Date.now() + 10 * DAY));
  await form.getByRole('button', { name: 'Create project' }).click();
  await expect(form.locator('#project-endDate-error')).toBeVisible();
  await expect(form.locator('#project-code-error')).toHaveCount(0);

  // In Korean, the same error reads in Korean.
  await page.getByRole('button', { name: '한국어' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '새 프로젝트' })).toBeVisible();
  await expect(page.locator('#project-endDate-error')).toHaveText(/[가-힣]/);
  await page.getByRole('button', { name: 'English' }).click();

  await form.getByLabel('End date (optional)').fill(isoDay(Date.now() + 400 * DAY));
  // A linked partner firm works on the project.
  await form
    .getByRole('group', { name: 'Partner firms working on the project' })
    .getByLabel('Daeho Precision Machinery (fictional)')
    .check();
  await form.getByRole('button', { name: 'Create project' }).click();
  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.locator('.facts')).toContainText(code);
  await expect(page.locator('.facts')).toContainText('Daeho Precision Machinery (fictional)');
  await expect(page.locator('.facts')).toContainText('$1,250,000,000');
  await page.getByRole('link', { name: 'All projects' }).click();
  await expect(page.getByRole('row', { name: new RegExp(code) })).toBeVisible();

  // The same code again: refused, nothing created.
  await page.getByRole('link', { name: 'New project' }).click();
  await form.getByLabel('Project name').fill(`${name} again`);
  await form.getByLabel(/^Project code/).fill(code);
  await form.getByLabel('Registered investment (USD)').fill('5');
  await form.getByLabel('Start date').fill(start);
  await form.getByRole('button', { name: 'Create project' }).click();
  await expect(form.getByRole('alert')).toBeVisible();
  await expect(page).toHaveURL(/\/projects\/new$/);

  // A partner firm works on investors' projects but does not create them: no form offered.
  await page.context().clearCookies();
  await signIn(page, 'English', { email: 'admin@daeho-precision.example', password: 'KorusDemo!2026' });
  await page.goto('/projects');
  await expect(page.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();
  await expect(page.getByRole('cell').first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'New project' })).toHaveCount(0);
});

test('workers: CSV and XLSX exports carry the list filters', async ({ page }) => {
  await signIn(page);
  await page.goto('/workers');
  await expect(page.getByRole('heading', { level: 1, name: 'Workers' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Role' }).selectOption('engineer');
  const csvLink = page.getByRole('link', { name: 'Export CSV' });
  await expect(csvLink).toHaveAttribute('href', /[?&]role=engineer(&|$)/);
  await expect(csvLink).toHaveAttribute('href', /[?&]format=csv(&|$)/);
  const { total } = (await (await page.request.get('/api/workers?role=engineer&limit=1')).json()) as {
    total: number;
  };
  expect(total, 'the demo data has engineers').toBeGreaterThan(0);

  const [csvDownload] = await Promise.all([page.waitForEvent('download'), csvLink.click()]);
  expect(csvDownload.suggestedFilename()).toMatch(/^workers-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile((await csvDownload.path())!);
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = csv.subarray(3).toString('utf8').split(/\r?\n/).filter(Boolean);
  expect(lines[0]).toMatch(/^Name in Hangul \/ 한글 성명,Family name \/ 영문 성,Given names \/ 영문 이름,/);
  expect(lines[0]).toContain('Role / 직무');
  // Only the filtered workers: every engineer, nobody else.
  expect(lines.length - 1).toBe(total);
  for (const line of lines.slice(1)) expect(line).toContain(',engineer,');

  const [xlsxDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export Excel (XLSX)' }).click(),
  ]);
  expect(xlsxDownload.suggestedFilename()).toMatch(/^workers-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const xlsx = await readFile((await xlsxDownload.path())!);
  expect([...xlsx.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
  await expectAccessible(page, 'workers list with exports');

  await page.getByRole('button', { name: '한국어' }).click();
  await expect(page.getByRole('link', { name: 'CSV로 내보내기' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Excel(XLSX)로 내보내기' })).toBeVisible();
  await page.getByRole('button', { name: 'English' }).click();
});
