import {
  activityIds,
  educationLevels,
  employerRelationships,
  payers,
  temporaryNeeds,
  workerRoles,
  type ActivityId,
  type AssessmentRequestInput,
} from '../../contract/assessment.js';

/**
 * The assessment interview, as data (after docassemble): every question names the step it belongs to, the
 * field of the AssessmentRequest it fills, and when it is relevant. The wizard asks only relevant questions;
 * an irrelevant one is sent with a neutral value (false, 'none', 0) that no category relies on.
 */

export const steps = ['assignment', 'worker', 'travel', 'employer', 'work', 'review'] as const;
export type StepId = (typeof steps)[number];

/** Countries offered for nationality (ISO 3166-1 alpha-2); names come from Intl.DisplayNames. */
export const nationalities = [
  'KR',
  'AU',
  'CA',
  'CL',
  'CN',
  'DE',
  'FR',
  'GB',
  'IN',
  'JP',
  'MX',
  'PH',
  'SG',
  'TH',
  'VN',
] as const;

export type YesNo = boolean | null;

/** What the user typed or chose; empty strings and nulls mean "not answered yet". */
export interface Answers {
  activities: ActivityId[];
  startDate: string;
  endDate: string;
  payer: string;
  nationality: string;
  residenceCountry: string;
  birthDate: string;
  education: string;
  usAdvancedDegree: YesNo;
  yearsSpecializedExperience: string;
  role: string;
  employedSince: string;
  electronicPassport: YesNo;
  priorRefusalOrDenial: YesNo;
  priorOverstayOrViolation: YesNo;
  restrictedCountryTravelOrNationality: YesNo;
  detained: YesNo;
  detainedOn: string;
  relationship: string;
  koreanOwnershipPercent: string;
  usEntityYearsInBusiness: string;
  blanketL: YesNo;
  equipmentFromAbroad: YesNo;
  contractRequiresSellerService: YesNo;
  specializedKnowledgeEssential: YesNo;
  occupationRequiresDegree: YesNo;
  temporaryNeed: string;
  asOf: string;
  e4Enacted: boolean;
}

export type QuestionId = Exclude<keyof Answers, 'asOf' | 'e4Enacted'>;

export type QuestionKind =
  | { type: 'activities' }
  | { type: 'date' }
  | { type: 'number'; min: number; max: number; step: number }
  | { type: 'select'; options: readonly string[]; optionKey: string }
  | { type: 'radio'; options: readonly string[]; optionKey: string }
  | { type: 'country' }
  | { type: 'yesno' };

export interface Question {
  id: QuestionId;
  step: StepId;
  kind: QuestionKind;
  /** Dotted path of the field in the AssessmentRequest (matches the server's field-error paths). */
  path: string;
  /** A judgement the user attests to: the result lists it and the verdict is at best "conditional". */
  judgement?: boolean;
  /** Whether the question has a help text (`wizard.q.<id>.help`). */
  help?: boolean;
  relevant?: (a: Answers) => boolean;
}

/** Activities done with equipment sold or leased from abroad: the B-1 installer and trainer provisions. */
export const equipmentActivities: readonly ActivityId[] = [
  'equipment_installation',
  'equipment_servicing',
  'equipment_supervision',
  'train_us_workers',
];
/** Hands-on labour that only a work visa such as H-2B may cover. */
const handsOnActivities: readonly ActivityId[] = [
  'construction_work',
  'production_work',
  'skilled_trade_work',
];
/** Relationships between the Korean employer and the US entity that qualify for L-1. */
const qualifyingForL = ['parent', 'subsidiary', 'affiliate', 'branch'];
const degreeLevels = ['bachelor', 'master', 'doctorate'];

const any = (a: Answers, list: readonly ActivityId[]) => a.activities.some((id) => list.includes(id));

export const questions: readonly Question[] = [
  { id: 'activities', step: 'assignment', kind: { type: 'activities' }, path: 'assignment.activities' },
  { id: 'startDate', step: 'assignment', kind: { type: 'date' }, path: 'assignment.startDate' },
  { id: 'endDate', step: 'assignment', kind: { type: 'date' }, path: 'assignment.endDate', help: true },
  {
    id: 'payer',
    step: 'assignment',
    kind: { type: 'radio', options: payers, optionKey: 'payer' },
    path: 'assignment.payer',
    help: true,
  },
  { id: 'nationality', step: 'worker', kind: { type: 'country' }, path: 'worker.nationality' },
  {
    id: 'residenceCountry',
    step: 'worker',
    kind: { type: 'country' },
    path: 'worker.residenceCountry',
    help: true,
  },
  { id: 'birthDate', step: 'worker', kind: { type: 'date' }, path: 'worker.birthDate' },
  {
    id: 'role',
    step: 'worker',
    kind: { type: 'select', options: workerRoles, optionKey: 'workerRole' },
    path: 'worker.role',
    help: true,
  },
  {
    id: 'education',
    step: 'worker',
    kind: { type: 'select', options: educationLevels, optionKey: 'education' },
    path: 'worker.education',
  },
  {
    id: 'usAdvancedDegree',
    step: 'worker',
    kind: { type: 'yesno' },
    path: 'worker.usAdvancedDegree',
    help: true,
    relevant: (a) => a.education === 'master' || a.education === 'doctorate',
  },
  {
    id: 'yearsSpecializedExperience',
    step: 'worker',
    kind: { type: 'number', min: 0, max: 80, step: 0.5 },
    path: 'worker.yearsSpecializedExperience',
    help: true,
  },
  { id: 'employedSince', step: 'worker', kind: { type: 'date' }, path: 'worker.employedSince', help: true },
  {
    id: 'electronicPassport',
    step: 'travel',
    kind: { type: 'yesno' },
    path: 'worker.esta.electronicPassport',
  },
  {
    id: 'priorRefusalOrDenial',
    step: 'travel',
    kind: { type: 'yesno' },
    path: 'worker.esta.priorRefusalOrDenial',
    help: true,
  },
  {
    id: 'priorOverstayOrViolation',
    step: 'travel',
    kind: { type: 'yesno' },
    path: 'worker.esta.priorOverstayOrViolation',
    help: true,
  },
  {
    id: 'restrictedCountryTravelOrNationality',
    step: 'travel',
    kind: { type: 'yesno' },
    path: 'worker.esta.restrictedCountryTravelOrNationality',
    help: true,
  },
  // The re-entry track (issue 16): a detention by US immigration authorities (the Georgia site, 2025-09-04).
  { id: 'detained', step: 'travel', kind: { type: 'yesno' }, path: 'worker.detained', help: true },
  {
    id: 'detainedOn',
    step: 'travel',
    kind: { type: 'date' },
    path: 'worker.detainedOn',
    relevant: (a) => a.detained === true,
  },
  {
    id: 'relationship',
    step: 'employer',
    kind: { type: 'select', options: employerRelationships, optionKey: 'relationship' },
    path: 'employer.relationship',
    help: true,
  },
  {
    id: 'koreanOwnershipPercent',
    step: 'employer',
    kind: { type: 'number', min: 0, max: 100, step: 1 },
    path: 'employer.koreanOwnershipPercent',
    help: true,
  },
  {
    id: 'usEntityYearsInBusiness',
    step: 'employer',
    kind: { type: 'number', min: 0, max: 80, step: 0.5 },
    path: 'employer.usEntityYearsInBusiness',
    help: true,
    relevant: (a) => qualifyingForL.includes(a.relationship),
  },
  {
    id: 'blanketL',
    step: 'employer',
    kind: { type: 'yesno' },
    path: 'employer.blanketL',
    help: true,
    relevant: (a) => qualifyingForL.includes(a.relationship),
  },
  {
    id: 'equipmentFromAbroad',
    step: 'work',
    kind: { type: 'yesno' },
    path: 'assignment.equipmentFromAbroad',
    help: true,
    relevant: (a) => any(a, equipmentActivities),
  },
  {
    id: 'contractRequiresSellerService',
    step: 'work',
    kind: { type: 'yesno' },
    path: 'assignment.contractRequiresSellerService',
    help: true,
    relevant: (a) => any(a, equipmentActivities),
  },
  {
    id: 'specializedKnowledgeEssential',
    step: 'work',
    kind: { type: 'yesno' },
    path: 'assignment.specializedKnowledgeEssential',
    judgement: true,
    help: true,
    // B-1 installer/trainer, L-1B specialized knowledge, E-2 essential skills.
    relevant: (a) =>
      any(a, equipmentActivities) ||
      qualifyingForL.includes(a.relationship) ||
      ['technician', 'engineer', 'specialist'].includes(a.role),
  },
  {
    id: 'occupationRequiresDegree',
    step: 'work',
    kind: { type: 'yesno' },
    path: 'assignment.occupationRequiresDegree',
    judgement: true,
    help: true,
    // H-1B and B-1 in lieu of H-1B: a specialty occupation.
    relevant: (a) =>
      a.activities.includes('engineering_work') ||
      degreeLevels.includes(a.education) ||
      ['engineer', 'specialist'].includes(a.role),
  },
  {
    id: 'temporaryNeed',
    step: 'work',
    kind: { type: 'radio', options: temporaryNeeds, optionKey: 'temporaryNeed' },
    path: 'assignment.temporaryNeed',
    judgement: true,
    help: true,
    // H-2B: temporary non-agricultural labour paid by a US employer.
    relevant: (a) => a.payer === 'us' || any(a, handsOnActivities),
  },
];

export function isRelevant(question: Question, answers: Answers): boolean {
  return question.relevant ? question.relevant(answers) : true;
}

export function questionsOf(step: StepId, answers: Answers): Question[] {
  return questions.filter((q) => q.step === step && isRelevant(q, answers));
}

/** The steps to walk through: a step with no relevant question is skipped (review is always shown). */
export function visibleSteps(answers: Answers): StepId[] {
  return steps.filter((s) => s === 'review' || questionsOf(s, answers).length > 0);
}

export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function emptyAnswers(today: string): Answers {
  return {
    activities: [],
    startDate: '',
    endDate: '',
    payer: '',
    nationality: 'KR',
    residenceCountry: 'KR',
    birthDate: '',
    education: '',
    usAdvancedDegree: null,
    yearsSpecializedExperience: '',
    role: '',
    employedSince: '',
    electronicPassport: null,
    priorRefusalOrDenial: null,
    priorOverstayOrViolation: null,
    restrictedCountryTravelOrNationality: null,
    detained: null,
    detainedOn: '',
    relationship: '',
    koreanOwnershipPercent: '',
    usEntityYearsInBusiness: '',
    blanketL: null,
    equipmentFromAbroad: null,
    contractRequiresSellerService: null,
    specializedKnowledgeEssential: null,
    occupationRequiresDegree: null,
    temporaryNeed: '',
    asOf: today,
    e4Enacted: false,
  };
}

/** Client-side problems of one question, as message keys: unanswered, out of range, dates in order. */
export function problemOf(question: Question, answers: Answers): string | null {
  const value = answers[question.id];
  const kind = question.kind;
  if (kind.type === 'activities') return answers.activities.length === 0 ? 'wizard.error.activities' : null;
  if (value === null || value === '') return 'wizard.error.required';
  if (kind.type === 'number') {
    const n = Number(value);
    if (!Number.isFinite(n) || n < kind.min || n > kind.max)
      return kind.max === 100 ? 'wizard.error.percent' : 'wizard.error.years';
  }
  if (kind.type === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(String(value))) return 'wizard.error.date';
  if (question.id === 'endDate' && answers.startDate && answers.endDate < answers.startDate)
    return 'wizard.error.endBeforeStart';
  if (question.id === 'employedSince' && answers.birthDate && answers.employedSince <= answers.birthDate)
    return 'wizard.error.employedBeforeBirth';
  return null;
}

export function stepProblems(step: StepId, answers: Answers): Partial<Record<QuestionId, string>> {
  const out: Partial<Record<QuestionId, string>> = {};
  for (const q of questionsOf(step, answers)) {
    const problem = problemOf(q, answers);
    if (problem) out[q.id] = problem;
  }
  return out;
}

/** The question a server field error (`assignment.activities[1]`, `worker.esta.electronicPassport`) is about. */
export function questionForPath(path: string): Question | undefined {
  const bare = path.replace(/\[\d+\]$/, '');
  return questions.find((q) => q.path === bare);
}

/** The AssessmentRequest of the issue-3 contract, with neutral values for the questions not asked. */
export function toRequest(answers: Answers): AssessmentRequestInput {
  const asked = (id: QuestionId) =>
    isRelevant(
      questions.find((q) => q.id === id)!,
      answers,
    );
  const yes = (id: QuestionId) => asked(id) && answers[id] === true;
  const number = (id: QuestionId) => (asked(id) ? Number(answers[id]) : 0);
  const activities = activityIds.filter((id) => answers.activities.includes(id));
  return {
    asOf: answers.asOf,
    scenario: { e4Enacted: answers.e4Enacted },
    worker: {
      nationality: answers.nationality,
      ...(answers.residenceCountry && answers.residenceCountry !== answers.nationality
        ? { residenceCountry: answers.residenceCountry }
        : {}),
      ...(yes('detained') && asked('detainedOn') && answers.detainedOn
        ? { detainedOn: answers.detainedOn }
        : {}),
      birthDate: answers.birthDate,
      education: answers.education as AssessmentRequestInput['worker']['education'],
      usAdvancedDegree: yes('usAdvancedDegree'),
      yearsSpecializedExperience: number('yearsSpecializedExperience'),
      role: answers.role as AssessmentRequestInput['worker']['role'],
      employedSince: answers.employedSince,
      esta: {
        electronicPassport: yes('electronicPassport'),
        priorRefusalOrDenial: yes('priorRefusalOrDenial'),
        priorOverstayOrViolation: yes('priorOverstayOrViolation'),
        restrictedCountryTravelOrNationality: yes('restrictedCountryTravelOrNationality'),
      },
    },
    employer: {
      koreanOwnershipPercent: number('koreanOwnershipPercent'),
      relationship: answers.relationship as AssessmentRequestInput['employer']['relationship'],
      usEntityYearsInBusiness: number('usEntityYearsInBusiness'),
      blanketL: yes('blanketL'),
    },
    assignment: {
      activities,
      startDate: answers.startDate,
      endDate: answers.endDate,
      payer: answers.payer as AssessmentRequestInput['assignment']['payer'],
      equipmentFromAbroad: yes('equipmentFromAbroad'),
      contractRequiresSellerService: yes('contractRequiresSellerService'),
      specializedKnowledgeEssential: yes('specializedKnowledgeEssential'),
      occupationRequiresDegree: yes('occupationRequiresDegree'),
      temporaryNeed: (asked('temporaryNeed')
        ? answers.temporaryNeed
        : 'none') as AssessmentRequestInput['assignment']['temporaryNeed'],
    },
  };
}
