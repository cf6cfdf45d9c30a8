import { seedDemoSettlement } from './demo-settlement.js';
import { replaceOrganizationContacts, setCounselFirms } from '../services/organizations.js';
import type { ActivityId } from '../../contract/assessment.js';
import type { Database } from '../db/database.js';
import type { Actor } from '../policies/capabilities.js';
import { auditContextOf, type ServiceContext } from '../services/context.js';
import { recordAudit } from '../audit/audit.js';
import { createAssignment } from '../services/pipeline/assignments.js';
import { openCase, transitionCase } from '../services/pipeline/cases.js';
import { recordDeparture } from '../services/presence/presence.js';
import { scanAlerts } from '../services/alerts/alerts.js';
import type { PipelineDeps } from '../services/pipeline/common.js';
import { addStaffingPlan, createProject } from '../services/pipeline/projects.js';
import { addDependent, createWorker, updateWorker } from '../services/pipeline/workers.js';
import { allowedMoves, workflowById } from '../services/pipeline/workflow-bridge.js';
import { prng } from '../../core/prng.js';
import { seedDemoDesk } from './demo-desk.js';
import { actorFor } from './demo-actor.js';
import { seedDemoContribution } from './demo-contribution.js';

/**
 * A realistic, fictional dispatch pipeline on top of the demo organizations (src/server/seed/demo.ts): two
 * projects of the investor at its two sites, staffing plans, workers of the investor and its three partner
 * firms (Hangul and romanized names, fictional passport numbers), assignments, and visa cases opened from
 * guidelines assessments over the past months and moved through their stages, so the case board, the
 * staffing plan and the lead-time statistics have something to show. Deterministic (seeded), written through
 * the services, so every record is audited and scoped exactly like one entered by hand.
 *
 * `full` (npm start): about 240 workers; `small` (tests): 16.
 */
export type DemoPipelineSize = 'full' | 'small';

const families = [
  ['김', 'KIM'], ['이', 'LEE'], ['박', 'PARK'], ['최', 'CHOI'], ['정', 'JUNG'], ['강', 'KANG'], ['조', 'CHO'],
  ['윤', 'YOON'], ['장', 'JANG'], ['임', 'LIM'], ['한', 'HAN'], ['오', 'OH'], ['서', 'SEO'], ['신', 'SHIN'],
] as const; // prettier-ignore
const givens = [
  ['민준', 'MINJUN'], ['서준', 'SEOJUN'], ['도윤', 'DOYUN'], ['예준', 'YEJUN'], ['시우', 'SIWOO'], ['하준', 'HAJUN'],
  ['지호', 'JIHO'], ['주원', 'JUWON'], ['지훈', 'JIHOON'], ['건우', 'GEONWOO'], ['현우', 'HYEONWOO'], ['우진', 'WOOJIN'],
  ['서연', 'SEOYEON'], ['지민', 'JIMIN'], ['수빈', 'SUBIN'], ['영수', 'YOUNGSOO'], ['성민', 'SUNGMIN'], ['동현', 'DONGHYUN'],
] as const; // prettier-ignore

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface Profile {
  role: 'technician' | 'engineer' | 'supervisor' | 'manager' | 'specialist';
  activities: ActivityId[];
  facts: Record<string, Record<string, unknown>>;
}

/** Skills as a person writes them on their profile (free text, Korean and English), by role. */
const skillsByRole: Record<Profile['role'], string[]> = {
  technician: ['전극 코팅 장비 설치 / Electrode coating equipment installation', 'PLC 배선 / PLC wiring'],
  specialist: ['화성 공정 장비 정비 / Formation equipment servicing', 'MES 설정 / MES configuration'],
  engineer: ['공정 설계 / Process engineering', '품질 관리 / Quality control'],
  supervisor: ['설치 공정 감독 / Installation supervision', '현장 안전 관리 / Site safety management'],
  manager: ['프로젝트 관리 / Project management', '미국 법인 운영 / US operations'],
};

/** What people of each role do on site, and the facts their employer attests for the assessment. */
const profiles: Profile[] = [
  {
    role: 'technician',
    activities: ['equipment_installation', 'train_us_workers'],
    facts: {
      assignment: {
        equipmentFromAbroad: true,
        contractRequiresSellerService: true,
        specializedKnowledgeEssential: true,
      },
    },
  },
  {
    role: 'specialist',
    activities: ['equipment_servicing', 'train_us_workers'],
    facts: {
      assignment: {
        equipmentFromAbroad: true,
        contractRequiresSellerService: true,
        specializedKnowledgeEssential: true,
      },
    },
  },
  {
    role: 'engineer',
    activities: ['meetings', 'site_visit', 'equipment_supervision'],
    facts: {
      assignment: {
        equipmentFromAbroad: true,
        contractRequiresSellerService: true,
        specializedKnowledgeEssential: true,
      },
    },
  },
  {
    role: 'supervisor',
    activities: ['supervising_us_staff', 'construction_supervision'],
    facts: {
      employer: { relationship: 'subsidiary', koreanOwnershipPercent: 100 },
      assignment: { specializedKnowledgeEssential: true },
    },
  },
  {
    role: 'manager',
    activities: ['managing_us_operations', 'supervising_us_staff'],
    facts: {
      employer: { relationship: 'subsidiary', koreanOwnershipPercent: 100, usEntityYearsInBusiness: 3 },
    },
  },
];

export async function seedDemoPipeline(
  db: Database,
  deps: PipelineDeps,
  size: DemoPipelineSize = 'full',
  realNow: Date = new Date(),
  onProgress?: (workers: number, total: number) => void,
): Promise<{ workers: number; cases: number }> {
  const rnd = prng(20250904);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const int = (min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));
  const now = realNow.getTime();
  const at = (ms: number): PipelineDeps => ({ ...deps, now: () => new Date(ms) });
  const ctxOf = (actor: Actor): ServiceContext => ({ db, actor, requestId: 'seed-demo-pipeline' });

  const investor = ctxOf(await actorFor(db, 'admin@hanbit-energy.example'));
  const firms = [
    { ctx: investor, passportPrefix: 'M1', weight: 0.35 },
    { ctx: ctxOf(await actorFor(db, 'admin@daeho-precision.example')), passportPrefix: 'M2', weight: 0.3 },
    { ctx: ctxOf(await actorFor(db, 'admin@seorin-auto.example')), passportPrefix: 'M3', weight: 0.2 },
    { ctx: ctxOf(await actorFor(db, 'admin@mirae-wp.example')), passportPrefix: 'M4', weight: 0.15 },
  ];
  // The roster's contact sheet: the investor's counsel and duty desk, and one partner's emergency phone; the
  // other partners have none on file, so the demo shows what a missing contact looks like.
  await replaceOrganizationContacts(investor, investor.actor.organizationId!, [
    {
      kind: 'counsel',
      name: 'Grace Baek',
      title: 'Immigration attorney',
      firm: 'Baek & Lowell LLP (fictional)',
      phone: '+1-404-555-0142',
      email: 'gbaek@baek-lowell.example',
      hours: 'Mon–Fri 08:00–20:00 ET',
      languages: ['ko', 'en'],
      notes: null,
    },
    {
      kind: 'emergency',
      name: '24시간 상황실 / 24-hour duty desk',
      title: null,
      firm: 'HR, Hanbit Energy Solutions (fictional)',
      phone: '+1-912-555-0199',
      email: 'duty@hanbit-energy.example',
      hours: '24/7',
      languages: ['ko', 'en'],
      notes: 'Calls counsel and the consulate for you / 법률 대리인과 총영사관에 대신 연락합니다',
    },
  ]);
  await replaceOrganizationContacts(firms[1]!.ctx, firms[1]!.ctx.actor.organizationId!, [
    {
      kind: 'emergency',
      name: '김대호 현장 소장 / Kim Dae-ho, site manager',
      title: null,
      firm: null,
      phone: '+82-10-5555-0123',
      email: null,
      hours: '24/7',
      languages: ['ko'],
      notes: null,
    },
  ]);
  const sites = await db.query<{ id: string; state: string }>(
    'SELECT id, state FROM sites WHERE organization_id = $1 ORDER BY name',
    [investor.actor.organizationId],
  );
  const partnerIds = firms.slice(1).map((f) => f.ctx.actor.organizationId!);
  // A year of history (the working group's console charts it by month): projects began 400 days ago.
  const start = isoDay(now - 400 * DAY);
  const battery = await createProject(investor, {
    siteId: sites.find((s) => s.state.trim() === 'GA')!.id,
    code: 'GA-BAT-1',
    name: 'Battery cell plant, phase 1 (fictional)',
    sector: 'battery',
    investmentUsd: 4_300_000_000,
    startDate: start,
    endDate: isoDay(now + 900 * DAY),
    partnerIds,
  });
  const shipyard = await createProject(investor, {
    siteId: sites.find((s) => s.state.trim() === 'PA')!.id,
    code: 'PA-SHIP-1',
    name: 'Shipyard modernization (fictional)',
    sector: 'shipbuilding',
    investmentUsd: 1_200_000_000,
    startDate: start,
    endDate: isoDay(now + 700 * DAY),
    partnerIds: partnerIds.slice(2),
  });
  const planWindow = { startDate: isoDay(now - 60 * DAY), endDate: isoDay(now + 300 * DAY) };
  for (const [project, plans] of [
    [
      battery,
      [
        ['technician', 60],
        ['specialist', 30],
        ['engineer', 25],
        ['supervisor', 20],
        ['manager', 6],
      ],
    ],
    [
      shipyard,
      [
        ['technician', 25],
        ['supervisor', 8],
        ['manager', 2],
      ],
    ],
  ] as const) {
    for (const [role, headcount] of plans) {
      await addStaffingPlan(investor, project.id, {
        role,
        headcount: size === 'full' ? headcount : Math.max(1, Math.round(headcount / 15)),
        ...planWindow,
      });
    }
  }

  // Counsel: the investor names Baek & Lowell, who then work on its cases and those on its projects.
  const [lawFirm] = await db.query<{ id: string }>(
    `SELECT id FROM organizations WHERE kind = 'law_firm' ORDER BY name`,
  );
  if (lawFirm) await setCounselFirms(investor, investor.actor.organizationId!, [lawFirm.id]);

  const count = size === 'full' ? 240 : 16;
  let cases = 0;
  let admitted = 0;
  const admittedStays: { caseId: string; ctx: ServiceContext; admittedOn: string; assignmentEnd: string }[] =
    [];
  // Embassy-desk cases: when each joined a batch and when that batch went to the desk (the seeded batches).
  const deskCases: { caseId: string; projectId: string; assembledAt: number; submittedAt: number | null }[] =
    [];
  for (let i = 0; i < count; i++) {
    onProgress?.(i, count);
    const r = rnd();
    let acc = 0;
    const firm = firms.find((f) => (acc += f.weight) >= r) ?? firms[0]!;
    const profile = i < 4 ? profiles[i % profiles.length]! : pick(profiles);
    const [familyHangul, family] = pick(families);
    const [givenHangul, given] = pick(givens);
    const birth = now - int(26, 58) * 365.25 * DAY;
    const employedSince = now - int(2, 20) * 365.25 * DAY;
    const openedAt = now - (i < 4 ? int(3, 150) : int(3, 365)) * DAY;
    const worker = await createWorker(firm.ctx, at(openedAt - 5 * DAY), {
      familyName: family,
      givenName: given,
      nameHangul: `${familyHangul}${givenHangul}`,
      birthDate: isoDay(birth),
      sex: rnd() < 0.88 ? 'M' : 'F',
      nationality: 'KR',
      passportNumber: `${firm.passportPrefix}${String(1_000_000 + i * 7919).slice(-7)}`,
      passportExpiry: isoDay(now + int(-30, 3000) * DAY),
      education: pick(['high_school', 'vocational', 'associate', 'bachelor', 'master'] as const),
      role: profile.role,
      qualifications:
        profile.role === 'technician' || profile.role === 'specialist'
          ? [
              {
                name: pick([
                  '전기기능사 Craftsman Electrician',
                  '용접산업기사 Industrial Engineer Welding',
                  '기계설비산업기사 Industrial Engineer Plant Machinery',
                ]),
                grade: pick(['기능사', '산업기사', '기사']),
                issuer: 'HRD Korea',
              },
            ]
          : [],
      skills: skillsByRole[profile.role],
      employedSince: isoDay(employedSince),
      phone: `+82-10-${String(2000 + i).padStart(4, '0')}-${String(1000 + ((i * 37) % 9000)).padStart(4, '0')}`,
      email: null,
      emergencyContact: {
        name: `${familyHangul}${pick(givens)[0]}`,
        relationship: pick(['배우자 spouse', '부모 parent']),
        phone: '+82-10-5555-0100',
      },
    });
    if (profile.role === 'manager' && rnd() < 0.6) {
      await addDependent(firm.ctx, at(openedAt), worker.id, {
        relationship: 'spouse',
        familyName: pick(families)[1],
        givenName: pick(givens)[1],
        birthDate: isoDay(birth + int(-3, 3) * 365 * DAY),
        nationality: 'KR',
        derivativeCategory: 'L-2',
      });
    }
    const project = firm.passportPrefix === 'M4' && rnd() < 0.6 ? shipyard : battery;
    const assignmentStart = openedAt + int(20, 75) * DAY;
    const assignment = await createAssignment(firm.ctx, {
      workerId: worker.id,
      projectId: project.id,
      activities: profile.activities,
      startDate: isoDay(Math.max(assignmentStart, Date.parse(project.startDate))),
      endDate: isoDay(assignmentStart + int(45, profile.role === 'manager' ? 700 : 170) * DAY),
      payer: profile.role === 'manager' ? 'us' : 'foreign',
    });
    if (rnd() < 0.08) continue; // not every assignment has a case yet
    const preferred = profile.role === 'manager' ? 'L1A' : profile.role === 'supervisor' ? 'L1B' : 'B1';
    let detail;
    try {
      detail = await openCase(firm.ctx, at(openedAt), {
        assignmentId: assignment.id,
        category: preferred,
        assessment: profile.facts,
        embassyDesk: preferred === 'B1' && rnd() < 0.5,
      });
    } catch {
      continue; // the engine found the category ineligible for this worker: no override in demo data
    }
    cases++;
    // Move the case forward through its stages with realistic gaps, never past the real now.
    const workflow = workflowById(detail.workflowId);
    let time = openedAt;
    // A case opened months ago has run its course (the console's year of history); recent ones are under way.
    const steps = int(0, workflow.stages.length) + (openedAt < now - 120 * DAY ? workflow.stages.length : 0);
    for (let s = 0; s < steps; s++) {
      const next = allowedMoves(workflow, detail.stage).find((m) => !m.needsOverride && m.kind === 'forward');
      if (!next) break;
      time += int(1, 12) * DAY + int(0, 8) * 3_600_000;
      if (time >= now) break;
      // Admitted means present: the entry is recorded with the move (the stay the roster, alerts and cards read).
      const entry =
        next.to === 'admitted'
          ? demoEntry(detail.category, time, assignment.endDate, admitted++, now)
          : undefined;
      detail = await transitionCase(firm.ctx, at(now), detail.id, {
        to: next.to,
        at: new Date(time).toISOString(),
        comment: s === 0 ? '서류 접수 완료 / documents received' : undefined,
        ...(entry ? { entry } : {}),
      });
      if (entry)
        admittedStays.push({
          caseId: detail.id,
          ctx: firm.ctx,
          admittedOn: entry.admittedOn,
          assignmentEnd: assignment.endDate,
        });
      if (next.to === 'batch_assembly')
        deskCases.push({ caseId: detail.id, projectId: project.id, assembledAt: time, submittedAt: null });
      if (next.to === 'desk_submission') deskCases.at(-1)!.submittedAt = time;
    }
    if (detail.status === 'open' && rnd() < 0.03) {
      detail = await transitionCase(firm.ctx, at(now), detail.id, {
        to: 'withdrawn',
        comment: 'Project schedule changed / 일정 변경',
      });
    }
  }
  onProgress?.(count, count);
  await seedDemoBatches(db, investor, deskCases, [battery, shipyard]);
  await seedDemoDesk(db, deps, realNow);

  // Workers go home when their assignment ends: a stay whose assignment ended is closed a few days after, and its
  // case is complete (departed). Of those still on an assignment, one went home early (six days ago) and one is
  // still here past the admit-until date (out of status), so the roster, the alerts and the overview show each
  // state of presence, and nothing else is out of status.
  const departAt = async (stay: (typeof admittedStays)[number], day: string) => {
    const [entry] = await db.query<{ id: string }>('SELECT id FROM entries WHERE case_id = $1', [
      stay.caseId,
    ]);
    await recordDeparture(stay.ctx, at(now), entry!.id, day);
  };
  const today = isoDay(now);
  for (const stay of admittedStays) {
    if (stay.assignmentEnd >= today) continue;
    const left = Date.parse(stay.assignmentEnd) + int(1, 4) * DAY;
    await departAt(stay, isoDay(Math.max(Date.parse(stay.admittedOn), Math.min(left, now - DAY))));
  }
  const onAssignment = admittedStays.filter(
    (s) => s.admittedOn < isoDay(now - 20 * DAY) && s.assignmentEnd >= today,
  );
  // The overstay is the investor's own worker, so its HR gets the alert (a partner's goes to the partner).
  const overstaying = onAssignment.find((s) => s.ctx === investor);
  const departing = onAssignment.find((s) => s !== overstaying);
  if (departing) await departAt(departing, isoDay(now - 6 * DAY));
  if (overstaying)
    await db.query(`UPDATE entries SET admit_until = $2 WHERE case_id = $1`, [
      overstaying.caseId,
      isoDay(now - 4 * DAY),
    ]);

  // The demo worker login is one of the investor's workers on the Georgia site, admitted and present (their card
  // works); the login's name is the worker record's.
  const [workerUser] = await db.query<{ id: string }>(
    "SELECT id FROM users WHERE email = 'worker@hanbit-energy.example'",
  );
  if (workerUser) {
    await db.transaction(async (tx) => {
      const [linked] = await tx.query<{ id: string; name: string }>(
        `UPDATE workers SET user_id = $1
          WHERE id = coalesce(
            (SELECT w.id FROM workers w JOIN entries e ON e.worker_id = w.id AND e.departed_on IS NULL
               AND e.admit_until > $3::date + 30 JOIN cases c ON c.id = e.case_id JOIN projects p ON p.id = c.project_id
              WHERE w.organization_id = $2 AND p.code = 'GA-BAT-1'
              -- A B-1 technician, the dispatch the platform is mostly about (the worker's journey shows it).
              ORDER BY (c.category = 'B1') DESC, w.created_at, w.id LIMIT 1),
            (SELECT id FROM workers WHERE organization_id = $2 ORDER BY created_at, id LIMIT 1))
          RETURNING id, name_hangul || ' · ' || family_name || ' ' || given_name AS name`,
        [workerUser.id, investor.actor.organizationId, isoDay(now)],
      );
      await tx.query('UPDATE users SET display_name = $2 WHERE id = $1', [workerUser.id, linked!.name]);
      await recordAudit(tx, auditContextOf(investor), {
        action: 'worker.update',
        targetType: 'worker',
        targetId: linked!.id,
        organizationId: investor.actor.organizationId,
        details: { linkedUser: workerUser.id },
      });
    });
  }
  // The re-entry track (issue 16): a few partner-firm workers were among those detained at the Georgia site on
  // 2025-09-04 and are going back for phase 1; their employer records it, and re-assessing their cases shows the
  // track (ESTA refused on the prior-violation question, the B-1 visa through the KIT Desk).
  const detained = await db.query<{ id: string; org: string }>(
    `SELECT w.id, w.organization_id AS org FROM workers w
      WHERE w.organization_id <> $1 AND w.user_id IS NULL
        AND EXISTS (SELECT 1 FROM cases c JOIN projects p ON p.id = c.project_id
                     WHERE c.worker_id = w.id AND c.status = 'open' AND p.code = 'GA-BAT-1')
      ORDER BY w.created_at, w.id LIMIT $2`,
    [investor.actor.organizationId, size === 'full' ? 4 : 1],
  );
  for (const d of detained) {
    const firm = firms.find((f) => f.ctx.actor.organizationId === d.org);
    if (firm) await updateWorker(firm.ctx, at(now), d.id, { detainedOn: '2025-09-04' });
  }
  // A B-1 case on the specialized-trainer provision (9 FAM 402.2-5(E)(2), issue 20): a partner's specialist goes
  // back to train US operators on equipment bought abroad, with no service contract (so not the installer
  // provision); the contribution ledger's evidence pack goes on its checklist.
  const daeho = firms[1]!;
  const [trainer] = await db.query<{ id: string }>(
    `SELECT w.id FROM workers w WHERE w.organization_id = $1 AND w.role = 'specialist' ORDER BY w.created_at, w.id LIMIT 1`,
    [daeho.ctx.actor.organizationId],
  );
  if (trainer) {
    const startMs = now + 35 * DAY;
    const assignment = await createAssignment(daeho.ctx, {
      workerId: trainer.id,
      projectId: battery.id,
      activities: ['train_us_workers'],
      startDate: isoDay(startMs),
      endDate: isoDay(startMs + 60 * DAY),
      payer: 'foreign',
    });
    await openCase(daeho.ctx, at(now - 2 * DAY), {
      assignmentId: assignment.id,
      category: 'B1',
      assessment: {
        assignment: { equipmentFromAbroad: true, contractRequiresSellerService: false, specializedKnowledgeEssential: true }, // prettier-ignore
      },
      embassyDesk: true,
    });
  }
  // A year of investment, jobs and training for the contribution ledger (issue 20).
  await seedDemoContribution(db, deps.cipher, realNow);
  // Families on several settlement paths, and the directory near each site (issue 19).
  await seedDemoSettlement(db, deps, realNow);

  // The alerts of the demo's present state (admit-until soon, an overstay, late stages), as the daily scan would.
  await scanAlerts(db, { asOf: isoDay(now) });
  return { workers: count, cases };
}

/**
 * The embassy-desk batches behind the demo's desk cases, so the batch list, the board and the desk agree: the
 * cases that reached "submitted to the KIT Desk" in the same four weeks went in one batch, submitted the day the
 * first of them moved; the cases still being assembled wait in one draft batch per project. Written as the
 * investor, audited like `createBatch` and `submitBatch` (whose rule, open cases only, the past does not meet).
 */
async function seedDemoBatches(
  db: Database,
  investor: ServiceContext,
  deskCases: { caseId: string; projectId: string; assembledAt: number; submittedAt: number | null }[],
  projects: { id: string; name: string; siteId: string }[],
): Promise<void> {
  const [org] = await db.query<{ name: string }>('SELECT name FROM organizations WHERE id = $1', [
    investor.actor.organizationId,
  ]);
  const groups = new Map<string, typeof deskCases>();
  for (const c of deskCases) {
    const key =
      c.submittedAt === null
        ? `${c.projectId}:draft`
        : `${c.projectId}:${Math.floor(c.submittedAt / (28 * DAY))}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  for (const group of groups.values()) {
    const project = projects.find((p) => p.id === group[0]!.projectId)!;
    const [site] = await db.query<{ name: string }>('SELECT name FROM sites WHERE id = $1', [project.siteId]);
    const createdAt = new Date(Math.min(...group.map((c) => c.assembledAt)));
    const submitted = group.every((c) => c.submittedAt !== null)
      ? new Date(Math.min(...group.map((c) => c.submittedAt!)))
      : null;
    const caseIds = group.map((c) => c.caseId);
    const annotation = {
      company: org!.name.replace(/ \(fictional\)$/, '').toUpperCase(),
      facility: site!.name.replace(/ \(fictional\)$/, '').toUpperCase(),
      project: project.name.replace(/ \(fictional\)$/, '').toUpperCase(),
    };
    await db.transaction(async (tx) => {
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO batches (organization_id, project_id, annotation_company, annotation_facility, annotation_project,
                              created_at, submitted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [
          investor.actor.organizationId,
          project.id,
          annotation.company,
          annotation.facility,
          annotation.project,
          createdAt.toISOString(),
          submitted?.toISOString() ?? null,
        ],
      );
      await tx.query('UPDATE cases SET batch_id = $1 WHERE id = ANY($2::uuid[])', [row!.id, caseIds]);
      const audit = auditContextOf(investor);
      await recordAudit(tx, audit, {
        action: 'batch.create',
        targetType: 'batch',
        targetId: row!.id,
        organizationId: investor.actor.organizationId,
        after: { projectId: project.id, annotation, caseIds },
      });
      if (submitted)
        await recordAudit(tx, audit, {
          action: 'batch.submit',
          targetType: 'batch',
          targetId: row!.id,
          organizationId: investor.actor.organizationId,
          details: { cases: caseIds.length },
        });
    });
  }
}

/** Where a Korean worker of the demo lands: the port of entry of each class, and how long CBP admits them. */
function demoEntry(category: string, admittedMs: number, assignmentEnd: string, n: number, nowMs: number) {
  const admittedOn = isoDay(admittedMs);
  const classOfAdmission =
    category === 'ESTA' ? 'WB' : category === 'L1A' ? 'L1A' : category === 'L1B' ? 'L1B' : category;
  // B-1: the trip's length and a little more (at most six months); ESTA: 90 days; L-1: the assignment's end.
  const end = Date.parse(assignmentEnd);
  let until =
    classOfAdmission === 'WB'
      ? admittedMs + 89 * DAY
      : classOfAdmission.startsWith('L1')
        ? end + 10 * DAY
        : Math.min(admittedMs + 180 * DAY, Math.max(end + 14 * DAY, admittedMs + 30 * DAY));
  // Every seventh stay ends soon, so the admit-until alerts and the roster's warnings have something to say.
  if (n % 7 === 3) until = Math.max(admittedMs + 20 * DAY, nowMs + (5 + (n % 4) * 6) * DAY);
  return {
    admittedOn,
    classOfAdmission,
    admitUntil: isoDay(Math.max(until, admittedMs + DAY)),
    port: n % 3 === 0 ? 'SAV' : 'ATL',
    i94Number: `${String(213_000_000 + n * 7_331).padStart(9, '0')}A${n % 10}`,
  };
}
