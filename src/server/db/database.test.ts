import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKinds, type TestDatabase } from '../testing/databases.js';

describe.each(testDatabaseKinds)('prepared statements on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(kind, { migrate: false, poolSize: 2 });
    await db.exec('CREATE TABLE prep (a int); INSERT INTO prep VALUES (1), (2)');
  });
  afterAll(() => db?.close());

  it('names a text sent again, and gives the same rows', async () => {
    const text = 'SELECT * FROM prep WHERE a >= $1 ORDER BY a';
    for (let i = 0; i < 5; i++) expect(await db.query(text, [1])).toEqual([{ a: 1 }, { a: 2 }]);
    const prepared = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = $1`,
      [text],
    );
    // Pool connections are shared: this one may or may not be among those that prepared it, so ask all.
    let seen = prepared[0]!.n;
    for (let i = 0; i < 4 && seen === 0; i++)
      seen = (
        await db.transaction((tx) =>
          tx.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = $1`,
            [text],
          ),
        )
      )[0]!.n;
    expect(seen).toBeGreaterThan(0);
  });

  it('answers with the new columns after the table changed under a named statement (a restore)', async () => {
    const text = 'SELECT * FROM prep ORDER BY a';
    for (let i = 0; i < 6; i++) await db.query(text);
    await db.exec('ALTER TABLE prep ADD COLUMN b text');
    for (let i = 0; i < 4; i++)
      expect(await db.query(text)).toEqual([
        { a: 1, b: null },
        { a: 2, b: null },
      ]);
  });
});
