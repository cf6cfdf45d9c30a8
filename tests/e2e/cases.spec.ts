import { type Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { expectAccessible } from './axe.js';

/** The investor's HR administrator of the demo data (admins may override, so the skip dialog is theirs). */
const admin = { email: 'admin@hanbit-energy.example', password: 'KorusDemo!2026' };
const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function signIn(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'English' }).click();
  await page.locator('#email').fill(admin.email);
  await page.locator('#password').fill(admin.password);
  await page.locator('button[type="submit"]').click();
  await expect(page.getByTestId('whoami')).toBeVisible();
}

/** A JSON write through the API with the session of the page (and its CSRF token). */
async function post<T>(page: Page, url: string, data: unknown): Promise<T> {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'korus_csrf')?.value ?? '';
  const res = await page.request.post(url, { data, headers: { 'x-csrf-token': csrf } });
  expect(res.status(), `${url}: ${await res.text()}`).toBeLessThan(300);
  return (await res.json()) as T;
}

/**
 * The test's own worker, assignment and case, made through the API so the test depends only on the demo
 * users: a technician installing Korean equipment (B-1, installer provision), on a project of the investor
 * (one of the demo's, or a new one when there is none).
 */
async function openTestCase(page: Page) {
  const letters = () =>
    Array.from({ length: 6 }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('');
  const hangul = () =>
    Array.from({ length: 2 }, () => String.fromCharCode(0xac00 + Math.floor(Math.random() * 11172))).join('');
  const worker = { familyName: 'HONG', givenName: `TEST${letters()}`, nameHangul: `홍${hangul()}` };
  const now = Date.now();
  const projects = await (await page.request.get('/api/projects')).json();
  let project = (projects as { items: { id: string; startDate: string; endDate: string | null }[] }).items[0];
  if (!project) {
    const sites = (await (await page.request.get('/api/sites')).json()) as { items: { id: string }[] };
    project = await post(page, '/api/projects', {
      siteId: sites.items[0]!.id,
      code: `E2E-${letters()}`,
      name: 'End-to-end test project',
      sector: 'battery',
      investmentUsd: 1_000_000,
      startDate: isoDay(now - 30 * DAY),
      endDate: isoDay(now + 400 * DAY),
    });
  }
  const created = await post<{ id: string }>(page, '/api/workers', {
    ...worker,
    birthDate: '1986-05-14',
    sex: 'M',
    nationality: 'KR',
    passportNumber: `T${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
    passportExpiry: isoDay(now + 2000 * DAY),
    education: 'vocational',
    role: 'technician',
    employedSince: '2012-03-01',
  });
  const start = Math.max(now + 40 * DAY, Date.parse(project!.startDate));
  const assignment = await post<{ id: string }>(page, '/api/assignments', {
    workerId: created.id,
    projectId: project!.id,
    activities: ['equipment_installation', 'train_us_workers'],
    startDate: isoDay(start),
    endDate: isoDay(start + 60 * DAY),
    payer: 'foreign',
  });
  const opened = await post<{ id: string; workflowId: string; stage: string }>(page, '/api/cases', {
    assignmentId: assignment.id,
    category: 'B1',
    assessment: {
      assignment: {
        equipmentFromAbroad: true,
        contractRequiresSellerService: true,
        specializedKnowledgeEssential: true,
      },
    },
  });
  expect(opened.workflowId).toBe('b1');
  expect(opened.stage).toBe('prepare_documents');
  return { ...worker, caseId: opened.id, projectId: project!.id };
}

test('a case moves from the board through its stages to admitted; the board in Korean', async ({ page }) => {
  await signIn(page);
  const c = await openTestCase(page);

  // The board: reached from the navigation, a project picked, the worker found by name in Hangul.
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Visa cases' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Case board' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Project' }).selectOption(c.projectId);
  await expect(page.getByRole('region', { name: 'Stages of the workflow' })).toBeVisible();
  await expect(page.getByText(/\d+ open, \d+ admitted/)).toBeVisible();
  await expectAccessible(page, 'case board (en)');
  // The project's cases as a spreadsheet: CSV with a BOM (Excel shows Hangul), and XLSX.
  for (const [name, magic] of [
    ['Export CSV', [0xef, 0xbb, 0xbf]],
    ['Export Excel (XLSX)', [0x50, 0x4b, 0x03, 0x04]],
  ] as const) {
    const href = await page.getByRole('link', { name }).getAttribute('href');
    const file = await page.request.get(href!);
    expect(file.status()).toBe(200);
    expect([...(await file.body()).subarray(0, magic.length)]).toEqual([...magic]);
  }
  const column = (stage: string) => page.locator(`section.board-column[data-stage="${stage}"]`);
  const card = page.locator(`li.case-card[data-case="${c.caseId}"]`);

  // Stage 1 -> 2 by dragging the card to the next column (B-1 cases only: every column stays on the board).
  await page.getByRole('combobox', { name: 'Category' }).selectOption('B1');
  await expect(page).toHaveURL(/category=B1/);
  await expect(column('prepare_documents').locator(`[data-case="${c.caseId}"]`)).toBeVisible();
  // Dispatched drag events: a pointer drag would scroll the tall columns under the pointer mid-drag.
  const transfer = await page.evaluateHandle(() => new DataTransfer());
  await card.dispatchEvent('dragstart', { dataTransfer: transfer });
  await column('visa_application').dispatchEvent('dragover', { dataTransfer: transfer });
  await column('visa_application').dispatchEvent('drop', { dataTransfer: transfer });
  await expect(page.getByRole('status').filter({ hasText: '“DS-160 and visa fee”' })).toBeVisible();

  // The worker search: only the columns holding a match.
  await page.getByRole('searchbox', { name: 'Worker' }).fill(c.nameHangul);
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(c.nameHangul)}`));
  await expect(page.locator('section.board-column')).toHaveCount(1);
  await expect(column('visa_application').locator(`[data-case="${c.caseId}"]`)).toBeVisible();
  await expect(card).toContainText(`${c.familyName} ${c.givenName}`);
  await expect(card).toContainText('Installer provision');
  await expect(card.locator('.sla')).toHaveText(/On track|At risk|Late/);
  await page.screenshot({ path: 'test-results/case-board-en.png', fullPage: true });

  // Stage 2 -> 3 from the card's "next stage" action.
  await card.getByRole('button', { name: 'Next stage' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: '“Wait for the interview appointment”' }),
  ).toBeVisible();
  await expect(column('interview_scheduling').locator(`[data-case="${c.caseId}"]`)).toBeVisible();

  // The case page.
  await card.getByRole('link', { name: c.nameHangul }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${c.caseId}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`${c.familyName} ${c.givenName}`);
  await expect(page.getByText('Guidelines verdict')).toBeVisible();
  await expect(page.locator('.case-timeline li[aria-current="step"] h3')).toHaveText(
    'Wait for the interview appointment',
  );
  await expect(page.getByRole('link', { name: new RegExp(c.nameHangul) })).toHaveAttribute(
    'href',
    /\/workers\/[0-9a-f-]{36}$/,
  );

  // Uploads: a wrong type is refused before sending; a small PDF goes up with its progress and is ticked off.
  const employerLetter = page.locator('tr[data-doc="employer_letter"]');
  await expect(employerLetter).toContainText('Not yet uploaded');
  await page.getByLabel('Document', { exact: true }).selectOption('employer_letter');
  await page.getByLabel('File', { exact: true }).setInputFiles({
    name: 'notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('not a pdf'),
  });
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  await expect(page.locator('#upload-file-error')).toHaveText(/Only PDF, JPEG or PNG/);
  const pdf = Buffer.from(
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  );
  await page.getByLabel('File', { exact: true }).setInputFiles({
    name: 'employer-letter.pdf',
    mimeType: 'application/pdf',
    buffer: pdf,
  });
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  await expect(page.getByText('employer-letter.pdf was uploaded.')).toBeVisible();
  await expect(employerLetter).toContainText('Uploaded');
  const download = page.getByRole('link', { name: 'employer-letter.pdf' });
  await expect(download).toHaveAttribute('href', /^\/api\/documents\/[0-9a-f-]{36}$/);
  await expectAccessible(page, 'case page (en)');

  // Skipping stages needs a reason: the server's refusal is shown next to the field.
  const moves = page.locator('.case-moves');
  await moves.getByRole('button', { name: /Move to “Admitted at a US port of entry”/ }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByLabel('Reason for the override')).toBeVisible();
  await expectAccessible(page, 'override dialog (en)');
  await dialog.getByRole('button', { name: 'Move the case' }).click();
  await expect(dialog.locator('.field-error, [role="alert"]').first()).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();

  // Stages 3 -> 4 -> 5 -> admitted from the case page, each with a comment.
  for (const stage of [
    'Consular interview and visa issuance',
    'Travel to the United States',
    'Admitted at a US port of entry',
  ]) {
    await moves.getByRole('button', { name: `Move to “${stage}”`, exact: true }).click();
    await expect(dialog.getByText(`Move to “${stage}”.`)).toBeVisible();
    await dialog.getByLabel('Comment (optional)').fill(`e2e: ${stage}`);
    if (stage === 'Admitted at a US port of entry') {
      // Admitted means present: without the entry the server refuses, and the dialog says what is missing.
      await dialog.getByRole('button', { name: 'Move the case' }).click();
      await expect(dialog.getByRole('alert').first()).toBeVisible();
      await dialog.getByRole('radio', { name: 'Type it' }).check();
      const today = new Date().toISOString().slice(0, 10);
      const until = new Date(Date.now() + 80 * 86_400_000).toISOString().slice(0, 10);
      await dialog.getByLabel('Date of entry').fill(today);
      await dialog.getByLabel('Class of admission (e.g. B1, WB, L1A)').fill('B1');
      await dialog.getByLabel('Admit until').fill(until);
      await dialog.getByLabel('Port of entry (three letters, e.g. ATL)').fill('ATL');
    }
    await dialog.getByRole('button', { name: 'Move the case' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('status').filter({ hasText: `“${stage}”` })).toBeVisible();
  }
  await expect(page.getByText('This case is closed (Admitted).')).toBeVisible();
  await expect(page.locator('.page-head .sla')).toContainText('Done');

  // The history: opening plus five moves, newest first, with the comments.
  const history = page.locator('table.case-history tbody tr');
  await expect(history).toHaveCount(6);
  await expect(history.first()).toContainText('Travel to the United States → Admitted at a US port of entry');
  await expect(history.first()).toContainText('e2e: Admitted at a US port of entry');
  await expect(history.last()).toContainText('Opened at “Prepare supporting documents”');
  await page.screenshot({ path: 'test-results/case-page-en.png', fullPage: true });

  // The support letter (B-1 installer): missing fields come back next to their fields; then the PDF downloads.
  const letter = page.locator('form.letter-form');
  await letter.getByRole('radio', { name: "Employer's support letter" }).check();
  await letter.getByRole('button', { name: 'Make the PDF' }).click();
  await expect(page.locator('#letter-name-error')).toBeVisible();
  await expect(page.locator('#letter-name')).toHaveAttribute('aria-invalid', 'true');
  await letter.getByLabel('Name of the signatory').fill('Kim Seo-yeon');
  await letter.getByLabel('Title of the signatory').fill('Head of HR');
  await letter.getByLabel('Address').fill('123 Teheran-ro, Gangnam-gu, Seoul');
  await letter.getByLabel('Telephone').fill('+82-2-555-0100');
  await letter.getByLabel('E-mail').fill('hr@hanbit-energy.example');
  await letter.getByLabel('Equipment', { exact: true }).fill('Electrode coating line');
  await letter.getByLabel('Seller (abroad)').fill('Hanbit Energy Solutions Co., Ltd.');
  await letter.getByLabel('Buyer (in the US)').fill('Hanbit Battery Georgia LLC');
  await letter.getByLabel('Contract reference').fill('HB-2026-0042');
  await letter.getByLabel('Contract date').fill('2026-03-02');
  await letter
    .getByLabel(/Clause requiring/)
    .fill('Article 7.2: The Seller shall install the Equipment and train the Buyer’s personnel.');
  const downloading = page.waitForEvent('download');
  await letter.getByRole('button', { name: 'Make the PDF' }).click();
  const pdfDownload = await downloading;
  expect(pdfDownload.suggestedFilename()).toMatch(/\.pdf$/);
  await expect(letter.getByRole('link', { name: /Download .*\.pdf again/ })).toBeVisible();

  // Back on the board, the case sits in the admitted column.
  await page
    .getByRole('navigation', { name: 'Breadcrumb' })
    .getByRole('link', { name: 'Case board' })
    .click();
  await page.getByRole('searchbox', { name: 'Worker' }).fill(c.nameHangul);
  await expect(column('admitted').locator(`[data-case="${c.caseId}"]`)).toBeVisible();
  await expect(card.locator('.sla')).toContainText('Done');
  await expect(card.getByRole('button', { name: 'Next stage' })).toHaveCount(0);

  // In Korean: the board's labels, stage titles from the workflow, the service level.
  await page.getByRole('button', { name: '한국어' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '진행 현황판' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: '프로젝트' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: '처리 기한' })).toBeVisible();
  await expect(column('admitted').getByRole('heading', { level: 2 })).toContainText(
    '미국 입국항에서 입국 허가',
  );
  await expect(card.locator('.sla')).toContainText('완료');
  await expect(card).toContainText('입국 목표일');
  await expectAccessible(page, 'case board (ko)');
  await page.screenshot({ path: 'test-results/case-board-ko.png', fullPage: true });

  // The case page in Korean: the Hangul name first, Korean headings, the closed state.
  await card.getByRole('link', { name: c.nameHangul }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    `${c.nameHangul} (${c.familyName} ${c.givenName})`,
  );
  await expect(page.getByRole('heading', { level: 2, name: '진행 이력' })).toBeVisible();
  await expect(page.getByText('종결된 건입니다 (입국 허가).')).toBeVisible();
  await expect(page.locator('tr[data-doc="employer_letter"]')).toContainText('제출됨');
  await expectAccessible(page, 'case page (ko)');
  await page.screenshot({ path: 'test-results/case-page-ko.png', fullPage: true });
});

test('lead times: median and 90th percentile by group, as a table and a chart', async ({ page }) => {
  await signIn(page);
  await page.goto('/cases/stats');
  await expect(page.getByRole('heading', { level: 1, name: 'Lead times' })).toBeVisible();
  const table = page.getByRole('table', { name: /Lead times in days by Category/ });
  await expect(table).toBeVisible();
  await expect(table.locator('tbody tr').first()).toBeVisible();
  await expect(page.getByRole('img', { name: /Median and 90th percentile/ })).toBeVisible();
  await page.screenshot({ path: 'test-results/lead-times-en.png', fullPage: true });
  await page.getByLabel('Group by').selectOption('stage');
  await expect(page.getByRole('table', { name: /by Stage/ })).toBeVisible();
  await page.getByLabel('Opened from').fill('2030-01-02');
  await page.getByLabel('Opened until').fill('2030-01-01');
  await expect(page.locator('#stats-to-error')).toHaveText('The end date is before the start date.');
  await page.getByLabel('Opened from').fill('');
  await expectAccessible(page, 'lead times (en)');
});
