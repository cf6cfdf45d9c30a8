import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, Session, type TestApp } from '../../testing/app.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { readPdf } from '../../letters/testing/pdf-text.js';

/**
 * Signatures on attestations (issue 18, item 4): the attestations a B-1 case relies on, signed with a typed name and
 * title against the exact text shown (its SHA-256); kept with the session's hash and the facts covered; void as
 * soon as a covered fact changes, naming it; signed again; audited; not signable by others.
 */
describe.each(testDatabaseKinds)('attestations on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(kind, { pipeline: true });
  }, 180_000);
  afterAll(() => t?.close());

  it('signs against the text shown, and a change to the facts voids the signature visibly', async () => {
    const [c] = await t.db.query<{ id: string; worker_id: string; role: string; email: string }>(
      `SELECT c.id, c.worker_id, w.role, u.email FROM cases c JOIN workers w ON w.id = c.worker_id
         JOIN users u ON u.organization_id = c.organization_id AND u.role = 'admin'
        WHERE c.category = 'B1' AND c.status = 'open' ORDER BY c.opened_at, u.email LIMIT 1`,
    );
    const hr = await Session.login(t.app, c!.email);
    const list = (await hr.get(`/api/cases/${c!.id}/attestations`)).json();
    expect(list.map((a: { kind: string }) => a.kind).sort()).toEqual([
      'seller_service',
      'specialized_knowledge',
    ]);
    const sk = list.find((a: { kind: string }) => a.kind === 'specialized_knowledge');
    expect(sk.signature).toBeNull();
    expect(sk.text.ko).toContain('전문 지식');
    expect(sk.textHash).toBe(createHash('sha256').update(`${sk.text.en}\n${sk.text.ko}`).digest('hex'));

    // A text that is not the one shown is refused; so is an attestation the case does not rely on.
    const stale = await hr.post(`/api/cases/${c!.id}/attestations`, { kind: 'specialized_knowledge', name: '김서연', title: 'HR Director', textHash: '0'.repeat(64) }); // prettier-ignore
    expect(stale.statusCode).toBe(400);
    expect(stale.json().errors[0].path).toBe('textHash');
    const other = await hr.post(`/api/cases/${c!.id}/attestations`, { kind: 'degree_required', name: '김서연', title: 'HR Director', textHash: sk.textHash }); // prettier-ignore
    expect(other.statusCode).toBe(400);

    const signed = await hr.post(`/api/cases/${c!.id}/attestations`, { kind: 'specialized_knowledge', name: '김서연 (Kim Seo-yeon)', title: 'HR Director / 인사 이사', textHash: sk.textHash }); // prettier-ignore
    expect(signed.statusCode, signed.body).toBe(200);
    const after = signed.json().find((a: { kind: string }) => a.kind === 'specialized_knowledge');
    expect(after.signature).toMatchObject({ name: '김서연 (Kim Seo-yeon)', title: 'HR Director / 인사 이사', valid: true, changed: [] }); // prettier-ignore
    const [row] = await t.db.query<{ credential_hash: string; text_en: string }>('SELECT credential_hash, text_en FROM case_attestations WHERE case_id = $1', [c!.id]); // prettier-ignore
    expect(row!.credential_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.text_en).toBe(sk.text.en);

    // The support letter prints it, signed.
    const letterOf = async () => {
      const res = await hr.post(`/api/cases/${c!.id}/letters`, {
        kind: 'support',
        language: 'en',
        signatory: { name: 'Kim Seo-yeon', title: 'HR Director' },
        contact: { address: '1 Demo-ro, Seoul', phone: '+82-2-000-0000', email: 'hr@example.com' },
        equipment: {
          description: 'Electrode coating line',
          seller: 'Seller Co.',
          buyer: 'Buyer LLC',
          contractReference: 'C-1',
          contractDate: '2026-09-01',
          clause: 'Seller shall install the line (art. 9).',
        },
      });
      expect(res.statusCode, res.body.slice(0, 900)).toBe(200);
      return readPdf(res.rawPayload).text.replace(/\s+/g, ' ');
    };
    const letter = await letterOf();
    expect(letter).toContain('Attestations');
    expect(letter).toContain('HR Director / 인사 이사');
    expect(letter).toContain(': signed)');

    // The worker's role changes: the signature is void, and says what changed.
    const role = c!.role === 'technician' ? 'engineer' : 'technician';
    expect((await hr.request('PATCH', `/api/workers/${c!.worker_id}`, { role })).statusCode).toBe(200);
    const voided = (await hr.get(`/api/cases/${c!.id}/attestations`)).json().find((a: { kind: string }) => a.kind === 'specialized_knowledge'); // prettier-ignore
    expect(voided.signature).toMatchObject({ valid: false, changed: ['worker.role'] });
    expect(await letterOf()).toContain('VOID: the facts changed after signing');
    // Signed again, it holds.
    const again = await hr.post(`/api/cases/${c!.id}/attestations`, { kind: 'specialized_knowledge', name: '김서연 (Kim Seo-yeon)', title: 'HR Director', textHash: voided.textHash }); // prettier-ignore
    expect(
      again.json().find((a: { kind: string }) => a.kind === 'specialized_knowledge').signature.valid,
    ).toBe(true);
    const [audits] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'attestation.sign' AND target_id = $1`, [c!.id]); // prettier-ignore
    expect(audits!.n).toBe(2);

    // Another firm cannot read or sign; an officer neither.
    const [stranger] = await t.db.query<{ email: string }>(
      `SELECT u.email FROM users u JOIN organizations o ON o.id = u.organization_id
        WHERE u.role = 'admin' AND o.kind IN ('investor', 'partner') AND o.id <> (SELECT organization_id FROM cases WHERE id = $1)
          AND o.id <> (SELECT p.organization_id FROM cases c JOIN projects p ON p.id = c.project_id WHERE c.id = $1)
        ORDER BY u.email LIMIT 1`,
      [c!.id],
    );
    if (stranger) {
      const other = await Session.login(t.app, stranger.email);
      expect((await other.get(`/api/cases/${c!.id}/attestations`)).statusCode).toBe(404);
    }
    const officer = await Session.login(t.app, 'officer@visa-desk.example');
    expect((await officer.get(`/api/cases/${c!.id}/attestations`)).statusCode).toBe(403);
  });
});
