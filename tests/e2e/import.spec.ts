import { expect, test } from './fixtures.js';
import iconv from 'iconv-lite';
import { expectAccessible } from './axe.js';
import { signIn } from './session.js';

const suffix = String(Date.now()).slice(-6);
const header = '성명,영문성명,생년월일,성별,여권번호,여권만료일,최종학력,직무,입사일';
const rows = [
  `가져오기일,IMPORT ONE,1985.03.02,남,K1${suffix}1,2031.12.31,고졸,기술자,2010.01.04`,
  `가져오기이,IMPORT TWO,1990년 7월 15일,여,K1${suffix}2,2032-05-01,대졸,엔지니어,2015/3/2`,
];
/** A Korean roster as Korean Windows Excel saves "CSV": CP949, with a title row above the headers. */
const sheet = (lines: string[]) =>
  iconv.encode(['2026 파견 명단,,,,,,,,', header, ...lines].join('\r\n'), 'cp949');

test('imports a Korean CP949 roster: mapping, dry run with errors, corrected file, commit, history', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signIn(page);
  await page.goto('/imports');
  await expect(page.getByRole('heading', { level: 1, name: 'Import a roster' })).toBeVisible();
  await expectAccessible(page, 'import upload');

  // A file with a bad date: the dry run shows the row, the column, the value and the message.
  await page.locator('#import-file').setInputFiles({
    name: '명단-오류.csv',
    mimeType: 'text/csv',
    buffer: sheet([
      ...rows,
      `가져오기삼,IMPORT THREE,1988.02.30,남,K1${suffix}3,2031.01.01,고졸,기술자,2012.01.01`,
    ]),
  });
  await expect(page.getByText('CP949')).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'What column 성명 holds' })).toHaveValue('name');
  await expect(page.getByRole('combobox', { name: 'What column 여권번호 holds' })).toHaveValue(
    'passportNumber',
  );
  await expectAccessible(page, 'import mapping');
  await page.getByRole('button', { name: 'Check all rows (dry run)' }).click();
  await expect(page.getByRole('heading', { name: 'Dry run: nothing has been written yet' })).toBeVisible();
  const errorRow = page.locator('.import-errors .row-error').first();
  await expect(errorRow).toContainText('1988.02.30');
  await expect(errorRow).toContainText('생년월일');
  await expect(errorRow).toContainText('Not a date');
  await expect(page.getByRole('button', { name: /Import \d+ rows?/ })).toBeDisabled();

  // The corrected file: two new workers, imported.
  await page.getByRole('button', { name: 'Start over' }).click();
  await page
    .locator('#import-file')
    .setInputFiles({ name: '명단.csv', mimeType: 'text/csv', buffer: sheet(rows) });
  await page.getByRole('button', { name: 'Check all rows (dry run)' }).click();
  await expect(page.locator('.import-counts')).toContainText('Workers: 2 new, 0 already registered');
  await page.getByRole('button', { name: 'Import 2 rows' }).click();
  await expect(page.getByRole('heading', { name: 'Imported' })).toBeVisible();
  await expect(page.locator('.import-counts')).toContainText('2 records imported');
  await expect(page.locator('table.data').last()).toContainText('명단.csv');

  // The workers are there, found by their Hangul names.
  const found = await (await page.request.get(`/api/workers?q=${encodeURIComponent('가져오기이')}`)).json();
  expect(found.items[0]).toMatchObject({ familyName: 'IMPORT', givenName: 'TWO', sex: 'F' });

  // In Korean, the same file again: recognized, nothing new.
  await page.getByRole('button', { name: '한국어' }).click();
  await page.getByRole('button', { name: '다른 파일 가져오기' }).click();
  await page
    .locator('#import-file')
    .setInputFiles({ name: '명단.csv', mimeType: 'text/csv', buffer: sheet(rows) });
  await expect(page.getByText(/같은 파일이 이전에 1번 업로드되었습니다/)).toBeVisible();
  await page.getByRole('button', { name: '모든 행 점검(미리 실행)' }).click();
  await expect(page.locator('.import-counts')).toContainText('근로자: 신규 0명, 기존 2명');
  await expectAccessible(page, 'import dry run (ko)');
});
