import { prng } from '../../core/prng.js';
import { recordAudit } from '../audit/audit.js';
import type { Database } from '../db/database.js';
import type { FieldCipher } from '../crypto/field-encryption.js';
import { TRAINEE_CONTEXT } from '../services/contribution/ledger.js';

/**
 * A year of fictional contribution history for the demo projects (issue 20): the investor's commitment and
 * quarterly disbursements, its partners' equipment spending, US jobs per firm and quarter, training plans, the
 * training sessions the admitted Korean workers gave during their stays (every two weeks or so, 3–12 US trainees,
 * some certified; a few with fictional trainee names, encrypted), and knowledge-transfer milestones. Deterministic;
 * written in bulk with one audit event per table, since it is seed data rather than someone's entries.
 */
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const topics: Record<string, [string, string][]> = {
  battery: [
    ['Electrode coating line: start-up and changeover', 'Coater C-200 (fictional)'],
    ['Calendering press: thickness control', 'Roll press RP-8 (fictional)'],
    ['Formation and aging: charger maintenance', 'Formation rack F-40 (fictional)'],
    ['Cell stacking: vision inspection', 'Stacker ST-12 (fictional)'],
    ['Lockout-tagout on high-voltage equipment', 'Line 1 switchgear'],
  ],
  shipbuilding: [
    ['Robotic welding cell: programming', 'Weld robot WR-6 (fictional)'],
    ['Block assembly: fit-up tolerances', 'Panel line (fictional)'],
    ['Painting booth: coating thickness', 'Paint booth PB-2 (fictional)'],
  ],
};
const trainees = [
  'Jordan Miller',
  'Taylor Brooks',
  'Casey Nguyen',
  'Morgan Davis',
  'Riley Johnson',
  'Avery Smith',
];

export async function seedDemoContribution(db: Database, cipher: FieldCipher, realNow: Date): Promise<void> {
  const rnd = prng(20260407);
  const int = (min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));
  const now = realNow.getTime();
  const today = iso(now);
  const projects =
    await db.query<{ id: string; organization_id: string; sector: string; investment_usd: string; start_date: string; code: string }>( // prettier-ignore
      `SELECT id, organization_id, sector, investment_usd::text, start_date::text, code FROM projects ORDER BY code`,
    );
  const label = 'demo data (fictional)';
  const at = new Date(now).toISOString();
  let sessions = 0;
  await db.transaction(async (tx) => {
    for (const p of projects) {
      const partners = await tx.query<{ partner_id: string }>(
        'SELECT partner_id FROM project_partners WHERE project_id = $1 ORDER BY partner_id',
        [p.id],
      );
      const investment = Number(p.investment_usd);
      // The commitment on the start date, then a disbursement each quarter of the past year.
      await tx.query(
        `INSERT INTO contribution_investments (organization_id, project_id, kind, amount_usd, on_date, source, recorded_by_label, created_at)
         VALUES ($1, $2, 'committed', $3, $4, 'Investment agreement with the state (fictional)', $5, $6)`,
        [p.organization_id, p.id, investment, p.start_date, label, at],
      );
      for (let q = 4; q >= 1; q--) {
        const day = iso(now - q * 91 * DAY + 15 * DAY);
        if (day < p.start_date) continue;
        await tx.query(
          `INSERT INTO contribution_investments (organization_id, project_id, kind, amount_usd, on_date, source, recorded_by_label, created_at)
           VALUES ($1, $2, 'disbursed', $3, $4, $5, $6, $7)`,
          [p.organization_id, p.id, Math.round(investment * (0.07 + rnd() * 0.05)), day, `Construction draw ${5 - q} (fictional bank record)`, label, at], // prettier-ignore
        );
      }
      for (const { partner_id } of partners)
        await tx.query(
          `INSERT INTO contribution_investments (organization_id, project_id, kind, amount_usd, on_date, source, recorded_by_label, created_at)
           VALUES ($1, $2, 'disbursed', $3, $4, 'Equipment shipped from Korea (fictional invoice)', $5, $6)`,
          [partner_id, p.id, int(2, 9) * 1_000_000, iso(now - int(60, 300) * DAY), label, at],
        );
      // US jobs, per firm and quarter (the investor's grow with the plant).
      const firms = [{ id: p.organization_id, committed: Math.round(investment / 1_500_000) }, ...partners.map((x) => ({ id: x.partner_id, committed: int(40, 160) }))]; // prettier-ignore
      for (const firm of firms)
        for (let q = 4; q >= 1; q--) {
          const d = new Date(now - q * 91 * DAY);
          const quarter = `${d.getUTCFullYear()}-${String(Math.floor(d.getUTCMonth() / 3) * 3 + 1).padStart(2, '0')}-01`;
          await tx.query(
            `INSERT INTO contribution_jobs (organization_id, project_id, quarter, committed, created, source, recorded_by_label, created_at)
             VALUES ($1, $2, $3, $4, $5, 'Quarterly headcount report (fictional)', $6, $7) ON CONFLICT DO NOTHING`,
            [firm.id, p.id, quarter, firm.committed, Math.round(firm.committed * (0.25 + (0.5 * (5 - q)) / 4) * (0.9 + rnd() * 0.2)), label, at], // prettier-ignore
          );
        }
      // Training plans: the investor's and each partner's.
      const plans = new Map<string, string>();
      for (const firm of firms) {
        const [plan] = await tx.query<{ id: string }>(
          `INSERT INTO training_plans (organization_id, project_id, title, goal, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [
            firm.id,
            p.id,
            firm.id === p.organization_id ? `${p.code}: US operators run every line` : `${p.code}: US technicians maintain the equipment we supplied`, // prettier-ignore
            'Each US operator certified on the equipment they run; US shift supervisors certified to train others (fictional plan).', // prettier-ignore
            at,
          ],
        );
        plans.set(firm.id, plan!.id);
      }
      // Sessions given by the admitted Korean workers during their stays.
      const stays =
        await tx.query<{ worker_id: string; organization_id: string; admitted_on: string; departed_on: string | null }>( // prettier-ignore
          `SELECT c.worker_id, c.organization_id, e.admitted_on::text, e.departed_on::text
           FROM cases c JOIN entries e ON e.case_id = c.id
          WHERE c.project_id = $1 AND c.dependent_id IS NULL ORDER BY c.opened_at, c.id`,
          [p.id],
        );
      const list = topics[p.sector] ?? topics.battery!;
      for (const s of stays) {
        const end = Math.min(s.departed_on ? Date.parse(s.departed_on) : now, now - DAY);
        for (let day = Date.parse(s.admitted_on) + int(2, 6) * DAY; day <= end; day += int(9, 20) * DAY) {
          const [topic, equipment] = list[int(0, list.length - 1)]!;
          const n = int(3, 12);
          const certified = rnd() < 0.5 ? int(0, Math.floor(n * 0.8)) : 0;
          const [row] = await tx.query<{ id: string }>(
            `INSERT INTO training_sessions (organization_id, project_id, plan_id, trainer_worker_id, held_on, hours, topic,
               equipment, place, trainees, certified, recorded_by_label, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
            [s.organization_id, p.id, plans.get(s.organization_id) ?? null, s.worker_id, iso(day), int(4, 16) / 2, topic, equipment, p.sector === 'shipbuilding' ? 'Pennsylvania yard, hall B' : 'Georgia plant, line 1', n, certified, label, at], // prettier-ignore
          );
          sessions += 1;
          if (sessions % 25 === 1)
            for (const [k, name] of trainees.slice(0, Math.min(3, n)).entries())
              await tx.query(
                'INSERT INTO training_trainees (session_id, seq, name_enc, certified) VALUES ($1, $2, $3, $4)',
                [row!.id, k + 1, cipher.encrypt(`${name} (fictional)`, TRAINEE_CONTEXT), k < certified],
              );
        }
      }
      // Knowledge-transfer milestones.
      const milestones: [string, string, number][] =
        p.sector === 'shipbuilding'
          ? [
              [
                'supervisor_certified',
                'First US welding supervisor certified to train others (fictional)',
                45,
              ],
            ]
          : [
              ['line_runs_alone', 'Coating line 1 run by the US team alone for a full month (fictional)', 70],
              ['supervisor_certified', 'Two US shift supervisors certified on formation (fictional)', 20],
            ];
      for (const [kind, title, ago] of milestones)
        if (iso(now - ago * DAY) >= p.start_date)
          await tx.query(
            `INSERT INTO transfer_milestones (organization_id, project_id, kind, title, achieved_on, recorded_by_label, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [p.organization_id, p.id, kind, title, iso(now - ago * DAY), label, at],
          );
    }
    await recordAudit(
      tx,
      { actorUserId: null, actorLabel: 'seed:demo', organizationId: null, requestId: null },
      {
        action: 'contribution.import',
        targetType: 'contribution_ledger',
        targetId: null,
        organizationId: null,
        details: { demo: true, projects: projects.length, sessions, asOf: today },
      },
    );
  });
}
