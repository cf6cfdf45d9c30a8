/**
 * The data each template sees (its "shape", checked when the template is loaded) and the builders that turn a
 * validated input into that data. All wording that depends on the law lives in the templates; this file only
 * formats values: masked passport numbers, activity labels, nationality names, ISO dates as given.
 */
import type { ActivityId } from '../../contract/assessment.js';
import type {
  BatchManifest,
  InvitationLetter,
  LetterLanguage,
  SupportLetter,
} from '../../contract/letters.js';
import { activityCatalog } from '../../core/visas/activities.js';
import type { Shape } from './template.js';

/** Masks all but the last four characters with `*` (idempotent on an already-masked number). */
export function maskPassportNumber(passportNumber: string): string {
  const visible = passportNumber.slice(-4);
  return '*'.repeat(Math.max(passportNumber.length - 4, 0)) + visible;
}

const nationalityNames: Record<string, { en: string; ko: string }> = {
  KOR: { en: 'Republic of Korea', ko: '대한민국' },
  USA: { en: 'United States of America', ko: '미국' },
};

export function nationalityName(code: string, language: LetterLanguage): string {
  return nationalityNames[code]?.[language] ?? code;
}

export function activityLabel(id: ActivityId, language: LetterLanguage): string {
  return activityCatalog[id].label[language];
}

const relationLabels = {
  own: { en: 'Own employee', ko: '자사 직원' },
  partner: { en: 'Partner firm', ko: '협력사' },
} as const;

const activityItem: Shape = { id: 'text', label: 'text', labelEn: 'text', labelKo: 'text' };

function activityItems(ids: readonly ActivityId[], language: LetterLanguage) {
  return ids.map((id) => ({
    id,
    label: activityLabel(id, language),
    labelEn: activityLabel(id, 'en'),
    labelKo: activityLabel(id, 'ko'),
  }));
}

export const supportLetterShape: Shape = {
  employer: {
    nameEn: 'text',
    nameKo: 'text',
    address: 'text',
    signatoryName: 'text',
    signatoryTitle: 'text',
    phone: 'text',
    email: 'text',
  },
  usSite: { name: 'text', address: 'text', state: 'text' },
  project: { name: 'text', sector: 'text' },
  worker: {
    familyName: 'text',
    givenNames: 'text',
    hangulName: 'text',
    birthDate: 'text',
    nationality: 'text',
    passport: 'text',
    role: 'text',
    yearsOfExperience: 'text',
    qualifications: [{ text: 'text' }],
  },
  isInstaller: 'flag',
  isTrainer: 'flag',
  isGeneral: 'flag',
  hasEquipment: 'flag',
  equipment: {
    description: 'text',
    seller: 'text',
    buyer: 'text',
    contractReference: 'text',
    contractDate: 'text',
    clause: 'text',
  },
  activities: [activityItem],
  startDate: 'text',
  endDate: 'text',
  expensesByEmployer: 'flag',
  post: 'text',
  issueDate: 'text',
  hasAnnotation: 'flag',
  annotation: { company: 'text', facility: 'text', project: 'text' },
  isReentry: 'flag',
  reentry: { detainedOn: 'text' },
  hasAttestations: 'flag',
  attestations: [{ text: 'text', signedBy: 'text', signedAt: 'text', status: 'text' }],
};

export function supportLetterView(input: SupportLetter): Record<string, unknown> {
  const { worker, employer, equipment, language } = input;
  return {
    employer: {
      nameEn: employer.name.en,
      nameKo: employer.name.ko,
      address: employer.address,
      signatoryName: employer.signatory.name,
      signatoryTitle: employer.signatory.title,
      phone: employer.phone,
      email: employer.email,
    },
    usSite: { ...input.usSite },
    project: { ...input.project },
    worker: {
      familyName: worker.familyName.toUpperCase(),
      givenNames: worker.givenNames.toUpperCase(),
      hangulName: worker.hangulName,
      birthDate: worker.birthDate,
      nationality: nationalityName(worker.nationality, language),
      passport: input.showPassportNumber ? worker.passportNumber : maskPassportNumber(worker.passportNumber),
      role: worker.role,
      yearsOfExperience: String(worker.yearsOfExperience),
      qualifications: worker.qualifications.map((q) => ({ text: q })),
    },
    isInstaller: input.provision === 'installer',
    isTrainer: input.provision === 'trainer',
    isGeneral: input.provision === 'general',
    hasEquipment: equipment !== undefined,
    equipment: {
      description: equipment?.description ?? '',
      seller: equipment?.seller ?? '',
      buyer: equipment?.buyer ?? '',
      contractReference: equipment?.contractReference ?? '',
      contractDate: equipment?.contractDate ?? '',
      clause: equipment?.clause ?? '',
    },
    activities: activityItems(input.activities, language),
    startDate: input.dates.start,
    endDate: input.dates.end,
    expensesByEmployer: (input.expensesPaidBy ?? 'foreign') === 'foreign',
    post: input.post,
    issueDate: input.issueDate,
    hasAnnotation: input.annotation !== undefined,
    isReentry: input.reentry !== undefined,
    reentry: { detainedOn: input.reentry?.detainedOn ?? '' },
    hasAttestations: (input.attestations ?? []).length > 0,
    attestations: (input.attestations ?? []).map((a) => ({
      text: a.text,
      signedBy: a.signedBy,
      signedAt: a.signedAt,
      status: a.valid
        ? language === 'ko'
          ? '서명 유효'
          : 'signed'
        : language === 'ko'
          ? '무효: 서명 후 사실이 바뀌어 다시 서명해야 함'
          : 'VOID: the facts changed after signing; to be signed again',
    })),
    annotation: {
      company: input.annotation?.company ?? '',
      facility: input.annotation?.facility ?? '',
      project: input.annotation?.project ?? '',
    },
  };
}

export const invitationLetterShape: Shape = {
  host: {
    name: 'text',
    address: 'text',
    state: 'text',
    signatoryName: 'text',
    signatoryTitle: 'text',
    phone: 'text',
    email: 'text',
  },
  visitor: {
    familyName: 'text',
    givenNames: 'text',
    hangulName: 'text',
    birthDate: 'text',
    nationality: 'text',
    passport: 'text',
    employerEn: 'text',
    employerKo: 'text',
    title: 'text',
  },
  purpose: 'text',
  activities: [activityItem],
  startDate: 'text',
  endDate: 'text',
  expensesVisitorEmployer: 'flag',
  expensesHost: 'flag',
  expensesShared: 'flag',
  post: 'text',
  issueDate: 'text',
};

export function invitationLetterView(input: InvitationLetter): Record<string, unknown> {
  const { host, visitor, language } = input;
  return {
    host: {
      name: host.name,
      address: host.address,
      state: host.state,
      signatoryName: host.signatory.name,
      signatoryTitle: host.signatory.title,
      phone: host.phone,
      email: host.email,
    },
    visitor: {
      familyName: visitor.familyName.toUpperCase(),
      givenNames: visitor.givenNames.toUpperCase(),
      hangulName: visitor.hangulName,
      birthDate: visitor.birthDate,
      nationality: nationalityName(visitor.nationality, language),
      passport: input.showPassportNumber
        ? visitor.passportNumber
        : maskPassportNumber(visitor.passportNumber),
      employerEn: visitor.employer.en,
      employerKo: visitor.employer.ko,
      title: visitor.title,
    },
    purpose: input.purpose,
    activities: activityItems(input.activities, language),
    startDate: input.dates.start,
    endDate: input.dates.end,
    expensesVisitorEmployer: input.expensesPaidBy === 'visitor_employer',
    expensesHost: input.expensesPaidBy === 'host',
    expensesShared: input.expensesPaidBy === 'shared',
    post: input.post,
    issueDate: input.issueDate,
  };
}

export const batchManifestShape: Shape = {
  batchId: 'text',
  createdDate: 'text',
  investorEn: 'text',
  investorKo: 'text',
  post: 'text',
  annotation: { company: 'text', facility: 'text', project: 'text' },
  count: 'text',
  ownCount: 'text',
  partnerCount: 'text',
  rows: [
    {
      no: 'text',
      hangulName: 'text',
      romanized: 'text',
      birthDate: 'text',
      passport: 'text',
      employerEn: 'text',
      employerKo: 'text',
      relationEn: 'text',
      relationKo: 'text',
      role: 'text',
      plannedEntry: 'text',
      activitiesEn: 'text',
      activitiesKo: 'text',
      statusCode: 'text',
      statusEn: 'text',
      statusKo: 'text',
    },
  ],
};

export function batchManifestView(input: BatchManifest): Record<string, unknown> {
  const own = input.rows.filter((row) => row.employer.relation === 'own').length;
  return {
    batchId: input.batchId,
    createdDate: input.createdDate,
    investorEn: input.investor.en,
    investorKo: input.investor.ko,
    post: input.post ?? '',
    annotation: { ...input.annotation },
    count: String(input.rows.length),
    ownCount: String(own),
    partnerCount: String(input.rows.length - own),
    rows: input.rows.map((row, index) => ({
      no: String(index + 1),
      hangulName: row.hangulName,
      romanized: `${row.familyName.toUpperCase()}, ${row.givenNames.toUpperCase()}`,
      birthDate: row.birthDate,
      passport: maskPassportNumber(row.passportNumber),
      employerEn: row.employer.name.en,
      employerKo: row.employer.name.ko,
      relationEn: relationLabels[row.employer.relation].en,
      relationKo: relationLabels[row.employer.relation].ko,
      role: row.role,
      plannedEntry: row.plannedEntry,
      activitiesEn: row.activities.map((id) => activityLabel(id, 'en')).join(', '),
      activitiesKo: row.activities.map((id) => activityLabel(id, 'ko')).join(', '),
      statusCode: row.caseStatus.code,
      statusEn: row.caseStatus.en,
      statusKo: row.caseStatus.ko,
    })),
  };
}

/** The CSV export of a batch: a bilingual header and one row per applicant, passports masked. */
export interface ManifestTable {
  header: string[];
  rows: string[][];
}

export const batchManifestColumns: readonly { en: string; ko: string }[] = [
  { en: 'No.', ko: '번호' },
  { en: 'Batch', ko: '배치' },
  { en: 'Annotation: company', ko: '주석: 회사' },
  { en: 'Annotation: facility', ko: '주석: 시설' },
  { en: 'Annotation: project', ko: '주석: 프로젝트' },
  { en: 'Name (Hangul)', ko: '성명(한글)' },
  { en: 'Family name (passport)', ko: '성(여권)' },
  { en: 'Given names (passport)', ko: '이름(여권)' },
  { en: 'Birth date', ko: '생년월일' },
  { en: 'Passport (masked)', ko: '여권번호(일부 가림)' },
  { en: 'Employer', ko: '소속 회사' },
  { en: 'Employer (Korean)', ko: '소속 회사(한글)' },
  { en: 'Own or partner', ko: '자사·협력사' },
  { en: 'Role', ko: '직무' },
  { en: 'Planned entry', ko: '입국 예정일' },
  { en: 'Activities', ko: '활동' },
  { en: 'Case status', ko: '진행 상태' },
];

export function batchManifestTable(input: BatchManifest): ManifestTable {
  return {
    header: batchManifestColumns.map((column) => `${column.en} / ${column.ko}`),
    rows: input.rows.map((row, index) => [
      String(index + 1),
      input.batchId,
      input.annotation.company,
      input.annotation.facility,
      input.annotation.project,
      row.hangulName,
      row.familyName.toUpperCase(),
      row.givenNames.toUpperCase(),
      row.birthDate,
      maskPassportNumber(row.passportNumber),
      row.employer.name.en,
      row.employer.name.ko,
      `${relationLabels[row.employer.relation].en} / ${relationLabels[row.employer.relation].ko}`,
      row.role,
      row.plannedEntry,
      row.activities.map((id) => `${activityLabel(id, 'en')} / ${activityLabel(id, 'ko')}`).join('; '),
      `${row.caseStatus.en} / ${row.caseStatus.ko}`,
    ]),
  };
}
