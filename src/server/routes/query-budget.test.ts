import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, Session, type TestApp } from '../testing/app.js';
import { testDatabaseKinds } from '../testing/databases.js';

/**
 * A budget of SQL statements per main read (issue 15): a worker, a case, the board, the roster, `/api/me`.
 * Every statement the `pg` driver sends while a request is handled is counted (the request's async context
 * carries the counter, so background work is not counted). The budgets hold whatever the data's size: a
 * statement per row (N+1) fails them. Counted with the session cache off, as every request then also reads
 * its session (one statement).
 */
const counter = new AsyncLocalStorage<{ n: number; texts: string[] }>();
const original = pg.Client.prototype.query;

function counted(this: pg.Client, ...args: unknown[]): unknown {
  const store = counter.getStore();
  if (store) {
    store.n++;
    const first = args[0];
    store.texts.push(typeof first === 'string' ? first : String((first as { text?: string })?.text ?? ''));
  }
  return (original as (...a: unknown[]) => unknown).apply(this, args);
}

async function statements(run: () => Promise<{ statusCode: number; body: string }>) {
  const store = { n: 0, texts: [] as string[] };
  const res = await counter.run(store, run);
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  return store;
}

/** Statements per request, the session's own read included. */
const budgets = {
  me: 1, // the session's own read carries the user, the organization and the capabilities
  worker: 2,
  case: 8, // the case, then its assessment, history, documents, stay, comments and consular application (issue 17)
  board: 5, // the project (visible? owned?), the counts per stage, the cards of every column in one statement
  roster: 5,
};

describe.each(testDatabaseKinds)('query budgets of the main reads on %s', (kind) => {
  let t: TestApp;
  let admin: Session;
  let ids: { worker: string; case: string; site: string; project: string };
  beforeAll(async () => {
    (pg.Client.prototype as { query: unknown }).query = counted;
    t = await openTestApp(kind, { pipeline: true });
    admin = await Session.login(t.app, 'admin@hanbit-energy.example');
    const [row] = await t.db.query<{ worker: string; case: string; site: string; project: string }>(
      `SELECT c.worker_id::text AS worker, c.id::text AS case, p.site_id::text AS site, p.id::text AS project
         FROM cases c JOIN projects p ON p.id = c.project_id
         JOIN organizations o ON o.id = p.organization_id
        WHERE o.name LIKE 'Hanbit%' AND c.status = 'open' ORDER BY c.opened_at LIMIT 1`,
    );
    ids = row!;
  }, 120_000);
  afterAll(async () => {
    (pg.Client.prototype as { query: unknown }).query = original;
    await t?.close();
  });

  it('stays within each read’s budget, whatever the size of the data', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const reads: Record<keyof typeof budgets, string> = {
      me: '/api/me',
      worker: `/api/workers/${ids.worker}`,
      case: `/api/cases/${ids.case}`,
      board: `/api/cases/board?projectId=${ids.project}&perStage=50`,
      roster: `/api/sites/${ids.site}/roster?date=${today}`,
    };
    const found: Record<string, number> = {};
    for (const [name, url] of Object.entries(reads) as [keyof typeof budgets, string][]) {
      const { n, texts } = await statements(() => admin.get(url));
      found[name] = n;
      expect(
        n,
        `${name} (${url}) sent ${n} statements:\n${texts.join('\n---\n').slice(0, 3000)}`,
      ).toBeLessThanOrEqual(budgets[name]);
      expect(n).toBeGreaterThan(0); // the counter sees the requests' statements
    }
    console.info(`statements per read (${kind}): ${JSON.stringify(found)}`);
  });

  it('sends no more statements for a roster or a board of many rows than for an empty one', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const full = await statements(() => admin.get(`/api/sites/${ids.site}/roster?date=${today}`));
    const empty = await statements(() => admin.get(`/api/sites/${ids.site}/roster?date=2000-01-03`));
    // An empty roster skips the organizations' contacts (nobody to call about): one statement fewer.
    expect(full.n).toBeLessThanOrEqual(empty.n + 1);
    const rows = (await admin.get(`/api/sites/${ids.site}/roster?date=${today}`)).json<{
      people: unknown[];
    }>();
    expect(rows.people.length).toBeGreaterThan(5); // a statement per person would show
    const wide = await statements(() => admin.get(`/api/cases/board?projectId=${ids.project}&perStage=200`));
    const narrow = await statements(() => admin.get(`/api/cases/board?projectId=${ids.project}&perStage=1`));
    expect(wide.n).toBe(narrow.n);
  });
});
