import type { PlanGoal } from '../../contract/settlement.js';
import type { Database } from '../db/database.js';
import type { Actor } from '../policies/capabilities.js';
import type { ServiceContext } from '../services/context.js';
import type { PipelineDeps } from '../services/pipeline/common.js';
import { addDependent, updateWorker } from '../services/pipeline/workers.js';
import { addDirectoryEntry } from '../services/settlement/directory.js';
import { setPlanGoal } from '../services/settlement/plans.js';
import { actorFor } from './demo-actor.js';

/**
 * Families and their plans, and the directory near each demo site (issue 19). Families on several paths: the
 * investor's manager in Georgia with a spouse and two children (the family the browser test opens: 강민석, on an
 * L-1A, goal permanent residence), engineers and supervisors with and without children, partner firms' workers
 * (no affiliate abroad: PERM routes), some who plan a stay of years rather than a green card, and the worker
 * login's own family. The directory's community entries are fictional and marked so; the consulates are public
 * data (rules/data/korean-consulates.yaml).
 */
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface Family {
  spouse?: { family: string; given: string; hangul: string; age: number };
  children: { given: string; hangul: string; age: number; days: number }[];
  goal: PlanGoal;
}
const families: Family[] = [
  { spouse: { family: 'KANG', given: 'SUJIN', hangul: '강수진', age: 41 }, children: [{ given: 'MINJI', hangul: '강민지', age: 16, days: 40 }, { given: 'DOYUN', hangul: '강도윤', age: 9, days: 200 }], goal: { kind: 'permanent' } }, // prettier-ignore
  { spouse: { family: 'LEE', given: 'HYEWON', hangul: '이혜원', age: 36 }, children: [{ given: 'SEOYEON', hangul: '이서연', age: 6, days: 100 }], goal: { kind: 'permanent' } }, // prettier-ignore
  { spouse: { family: 'PARK', given: 'JIYOUNG', hangul: '박지영', age: 44 }, children: [{ given: 'JUNHO', hangul: '박준호', age: 19, days: 300 }, { given: 'YUNA', hangul: '박유나', age: 14, days: 20 }], goal: { kind: 'permanent' } }, // prettier-ignore
  {
    spouse: { family: 'CHOI', given: 'EUNJI', hangul: '최은지', age: 33 },
    children: [],
    goal: { kind: 'stay', years: 10 },
  },
  { children: [], goal: { kind: 'permanent' } },
  { spouse: { family: 'JUNG', given: 'MIRA', hangul: '정미라', age: 39 }, children: [{ given: 'HAJUN', hangul: '정하준', age: 11, days: 10 }, { given: 'SIWOO', hangul: '정시우', age: 7, days: 150 }], goal: { kind: 'stay', years: 8 } }, // prettier-ignore
  { spouse: { family: 'YOON', given: 'SORA', hangul: '윤소라', age: 37 }, children: [{ given: 'JIHO', hangul: '윤지호', age: 12, days: 60 }], goal: { kind: 'permanent' } }, // prettier-ignore
  { spouse: { family: 'HAN', given: 'YERIN', hangul: '한예린', age: 42 }, children: [{ given: 'SEJIN', hangul: '한세진', age: 17, days: 90 }], goal: { kind: 'permanent' } }, // prettier-ignore
];

export async function seedDemoSettlement(
  db: Database,
  deps: PipelineDeps,
  realNow: Date,
): Promise<{ plans: number }> {
  const now = realNow.getTime();
  const rules = deps.rules;
  const planner = { parameters: rules.parameters, rulesVersion: rules.rulesVersion, now: () => realNow };
  const ctxOf = (actor: Actor): ServiceContext => ({ db, actor, requestId: 'seed-demo-settlement' });
  const hanbit = ctxOf(await actorFor(db, 'admin@hanbit-energy.example'));
  const daeho = ctxOf(await actorFor(db, 'admin@daeho-precision.example'));
  const seorin = ctxOf(await actorFor(db, 'admin@seorin-auto.example'));
  const byOrg = new Map([hanbit, daeho, seorin].map((c) => [c.actor.organizationId!, c]));
  const at = { ...deps, now: () => realNow };

  // The workers of the families: admitted workers of the investor first (managers, then engineers and
  // supervisors), then partners' specialists and engineers; never the worker login (its own family is below).
  const candidates = await db.query<{ id: string; organization_id: string; role: string }>(
    `SELECT w.id, w.organization_id, w.role FROM workers w
      WHERE w.user_id IS NULL AND w.organization_id = ANY($1::uuid[]) AND w.education IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM dependents d WHERE d.worker_id = w.id AND d.relationship = 'child')
        AND EXISTS (SELECT 1 FROM assignments a WHERE a.worker_id = w.id)
      ORDER BY (w.organization_id = $2) DESC,
               array_position(ARRAY['manager','executive','engineer','supervisor','specialist','technician','laborer'], w.role),
               EXISTS (SELECT 1 FROM entries e WHERE e.worker_id = w.id AND e.departed_on IS NULL) DESC, w.created_at, w.id`,
    [[...byOrg.keys()], hanbit.actor.organizationId],
  );
  const chosen = [
    ...candidates.filter((c) => c.organization_id === hanbit.actor.organizationId).slice(0, 5),
    ...candidates.filter((c) => c.organization_id !== hanbit.actor.organizationId).slice(0, 3),
  ];
  let plans = 0;
  for (const [i, worker] of chosen.entries()) {
    const family = families[i % families.length]!;
    const ctx = byOrg.get(worker.organization_id)!;
    if (i === 0) {
      // The family the browser test opens: a named manager with a master's degree, ten years with the firm.
      await updateWorker(ctx, at, worker.id, { familyName: 'KANG', givenName: 'MINSEOK', nameHangul: '강민석', role: 'manager', education: 'master', employedSince: iso(now - 10 * 365.25 * DAY) }); // prettier-ignore
    }
    const existing = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM dependents WHERE worker_id = $1 AND relationship = 'spouse'", [worker.id]); // prettier-ignore
    if (family.spouse && existing[0]!.n === 0)
      await addDependent(ctx, at, worker.id, { relationship: 'spouse', familyName: family.spouse.family, givenName: family.spouse.given, nameHangul: family.spouse.hangul, birthDate: iso(now - family.spouse.age * 365.25 * DAY), nationality: 'KR' }); // prettier-ignore
    for (const c of family.children)
      await addDependent(ctx, at, worker.id, { relationship: 'child', familyName: family.spouse?.family ?? 'KIM', givenName: c.given, nameHangul: c.hangul, birthDate: iso(now - c.age * 365.25 * DAY - c.days * DAY), nationality: 'KR' }); // prettier-ignore
    await setPlanGoal(ctx, planner, worker.id, { goal: family.goal });
    plans++;
  }
  // The worker login's own family: a spouse and a daughter, a plan to stay five years.
  const [own] = await db.query<{ id: string }>(
    "SELECT w.id FROM workers w JOIN users u ON u.id = w.user_id WHERE u.email = 'worker@hanbit-energy.example'",
  );
  if (own) {
    await addDependent(hanbit, at, own.id, { relationship: 'spouse', familyName: 'OH', givenName: 'JIHYE', nameHangul: '오지혜', birthDate: iso(now - 34 * 365.25 * DAY), nationality: 'KR' }); // prettier-ignore
    await addDependent(hanbit, at, own.id, { relationship: 'child', familyName: 'OH', givenName: 'HAEUN', nameHangul: '오하은', birthDate: iso(now - 7 * 365.25 * DAY - 30 * DAY), nationality: 'KR' }); // prettier-ignore
    await setPlanGoal(hanbit, planner, own.id, { goal: { kind: 'stay', years: 5 } });
    plans++;
  }

  // The directory near each demo site: kept by the investor and by the working group.
  const wg = ctxOf(await actorFor(db, 'admin@visa-desk.example'));
  const sites = await db.query<{ id: string; state: string; city: string }>(
    'SELECT id, state, city FROM sites WHERE organization_id = $1 ORDER BY name',
    [hanbit.actor.organizationId],
  );
  const verifiedOn = iso(now - 12 * DAY);
  for (const site of sites) {
    const place = site.city;
    const entries = [
      { by: hanbit, kind: 'association', name: { en: `Korean Association of ${place} (fictional)`, ko: `${place} 한인회(가상)` }, description: { en: 'Welcome evenings for newly arrived families, a Korean-language help line on weekday evenings.', ko: '새로 온 가족을 위한 환영 모임, 평일 저녁 한국어 상담 전화.' }, phone: '+1-555-0100' }, // prettier-ignore
      { by: hanbit, kind: 'weekend_school', name: { en: `${place} Saturday Korean School (fictional)`, ko: `${place} 토요 한국학교(가상)` }, description: { en: 'Korean language and culture for children 5 to 15, Saturdays 9:30–13:00, September to June.', ko: '5~15세 한국어·문화 수업, 9월~6월 매주 토요일 9:30~13:00.' }, phone: '+1-555-0101' }, // prettier-ignore
      { by: wg, kind: 'doctor', name: { en: 'Dr. Hana Seo, family medicine (fictional)', ko: '서하나 가정의학과(가상)' }, description: { en: 'Korean-speaking family doctor; accepts the plant’s group insurance.', ko: '한국어 진료 가능, 공장 단체보험 적용.' }, phone: '+1-555-0102' }, // prettier-ignore
      { by: wg, kind: 'counsel', name: { en: 'Baek & Lowell LLP, immigration (fictional)', ko: '백앤로웰 법률사무소 이민팀(가상)' }, description: { en: 'Korean-speaking immigration counsel; first consultation for dispatched families free of charge.', ko: '한국어 이민 상담, 파견 가족 첫 상담 무료.' }, email: 'intake@baek-lowell.example' }, // prettier-ignore
      { by: wg, kind: 'interpreter', name: { en: 'Community interpreters’ pool (fictional)', ko: '지역 통역 봉사단(가상)' }, description: { en: 'Volunteer interpreters for school meetings and hospital visits.', ko: '학교 상담·병원 방문 통역 자원봉사.' }, phone: '+1-555-0103' }, // prettier-ignore
      { by: hanbit, kind: 'housing', name: { en: 'Relocation desk of the plant (fictional)', ko: '공장 정착 지원 창구(가상)' }, description: { en: 'Leases, utilities, school enrolment paperwork for the first month.', ko: '첫 달 임대차, 공과금, 학교 등록 서류 지원.' }, email: 'relocation@hanbit-energy.example' }, // prettier-ignore
      { by: wg, kind: 'mentor', name: { en: 'The Moon family, mentors since 2019 (fictional)', ko: '문씨 가족, 2019년부터 멘토(가상)' }, description: { en: 'A Korean-American family who helps a newcomer family through its first year: shopping, church or temple, sports leagues.', ko: '한인 가정이 새 가족의 첫해를 돕습니다: 장보기, 종교 시설, 스포츠 리그.' }, phone: '+1-555-0104' }, // prettier-ignore
    ] as const;
    for (const e of entries) {
      const { by, ...input } = e;
      await addDirectoryEntry(by, site.id, { ...input, languages: ['ko', 'en'], fictional: true, verifiedOn }, iso(now)); // prettier-ignore
    }
  }
  return { plans };
}
