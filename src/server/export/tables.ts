import type { CaseSummary, Roster, Worker } from '../../contract/pipeline.js';

/**
 * Lists as tables for CSV and XLSX exports, with bilingual headers (`English / 한국어`). Passport numbers are
 * never exported in full (the masked form only). The workers' headers are ones the importer recognizes.
 */
export interface Table {
  header: string[];
  rows: unknown[][];
}

export function workersTable(items: readonly Worker[]): Table {
  return {
    header: [
      'Name in Hangul / 한글 성명',
      'Family name / 영문 성',
      'Given names / 영문 이름',
      'Date of birth / 생년월일',
      'Sex / 성별',
      'Nationality / 국적',
      'Passport (masked) / 여권(일부)',
      'Passport expiry / 여권 만료일',
      'Education / 최종학력',
      'Role / 직무',
      'Employed since / 입사일',
      'Phone / 연락처',
      'E-mail / 이메일',
      'Skills / 보유 기술',
      'Qualifications / 자격증',
      'Employer / 소속',
      'Open cases / 진행 중 사건',
      'Worker ID',
    ],
    rows: items.map((w) => [
      w.nameHangul,
      w.familyName,
      w.givenName,
      w.birthDate,
      w.sex,
      w.nationality,
      w.passportMasked,
      w.passportExpiry,
      w.education,
      w.role,
      w.employedSince,
      w.phone,
      w.email,
      w.skills,
      w.qualifications.map((q) => (q.grade && !q.name.endsWith(q.grade) ? `${q.name} (${q.grade})` : q.name)),
      w.organizationName,
      w.openCases,
      w.id,
    ]),
  };
}

export function casesTable(items: readonly CaseSummary[]): Table {
  return {
    header: [
      'Case ID',
      'Worker / 근로자',
      'Name in Hangul / 한글 성명',
      'Employer / 소속',
      'Project / 프로젝트',
      'Category / 비자',
      'Provision / 조항',
      'Stage / 단계',
      'Status / 상태',
      'Verdict / 판정',
      'Opened / 개시',
      'Assignment start / 파견 시작일',
      'Target date / 목표일',
      'SLA',
      'Days late / 지연 일수',
      'Admitted / 입국',
      'Lead time (days) / 소요일',
      'Batch ID',
    ],
    rows: items.map((c) => [
      c.id,
      c.workerName,
      c.workerNameHangul,
      c.organizationName,
      c.projectName,
      c.category,
      c.provision,
      `${c.stageTitle.en} / ${c.stageTitle.ko}`,
      c.status,
      c.verdict,
      c.openedAt,
      c.assignmentStart,
      c.targetDate,
      c.sla,
      c.daysLate,
      c.admittedAt,
      c.leadTimeDays,
      c.batchId,
    ]),
  };
}

const flagText: Record<string, string> = {
  green: 'GREEN ✓ permitted / 허용',
  amber: 'AMBER ! conditional / 조건부',
  red: 'RED ✗ not permitted / 불허',
  grey: 'GREY – not present / 미입국',
};

export function rosterTable(roster: Roster): Table {
  return {
    header: [
      'Name in Hangul / 한글 성명',
      'Name / 영문 성명',
      'Employer / 소속',
      'Project / 프로젝트',
      'Assignment / 배치 기간',
      'Present / 체류',
      'Class of admission / 입국 자격',
      'Admit until / 체류 만료일',
      'Days left / 남은 일수',
      'Flag / 판정',
      'Activities / 업무',
      'Warnings / 경고',
    ],
    rows: roster.people.map((p) => [
      p.nameHangul,
      p.name,
      p.employer,
      p.project,
      `${p.assignmentStart} – ${p.assignmentEnd}`,
      p.present ? 'yes / 예' : 'no / 아니오',
      p.classOfAdmission,
      p.admitUntil,
      p.daysRemaining,
      flagText[p.flag] ?? p.flag,
      p.activities.map((a) => `${a.activity}: ${a.flag}`),
      p.warnings.map((w) => `${w.message.en} / ${w.message.ko}`),
    ]),
  };
}
