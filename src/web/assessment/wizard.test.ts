import { describe, expect, it } from 'vitest';
import { contractExampleRequest } from '../../contract/assessment-example.js';
import { assessmentRequestSchema } from '../../contract/assessment.js';
import {
  emptyAnswers,
  questionForPath,
  questions,
  questionsOf,
  stepProblems,
  toRequest,
  visibleSteps,
  type Answers,
} from './wizard.js';

/** The issue-3 example: a technician installing Korean equipment and training US workers. */
function installer(): Answers {
  return {
    ...emptyAnswers('2026-03-02'),
    activities: ['train_us_workers', 'equipment_installation'],
    startDate: '2026-04-01',
    endDate: '2026-06-15',
    payer: 'foreign',
    birthDate: '1986-05-14',
    education: 'high_school',
    yearsSpecializedExperience: '12',
    role: 'technician',
    employedSince: '2014-03-01',
    electronicPassport: true,
    priorRefusalOrDenial: false,
    priorOverstayOrViolation: false,
    restrictedCountryTravelOrNationality: false,
    detained: false,
    relationship: 'subsidiary',
    koreanOwnershipPercent: '100',
    usEntityYearsInBusiness: '3',
    blanketL: false,
    equipmentFromAbroad: true,
    contractRequiresSellerService: true,
    specializedKnowledgeEssential: true,
  };
}

const ids = (step: Parameters<typeof questionsOf>[0], a: Answers) => questionsOf(step, a).map((q) => q.id);

describe('the assessment interview', () => {
  it('builds the contract example, which the contract schema accepts', () => {
    const request = toRequest(installer());
    // Activities come out in the contract's order, whatever order they were ticked in.
    expect(assessmentRequestSchema.parse(request)).toEqual(contractExampleRequest);
  });

  it('asks the contract-clause and equipment questions only for equipment activities', () => {
    const meetings: Answers = { ...installer(), activities: ['meetings', 'site_visit'], role: 'laborer' };
    meetings.relationship = 'customer';
    expect(ids('work', meetings)).toEqual([]);
    expect(visibleSteps(meetings)).toEqual(['assignment', 'worker', 'travel', 'employer', 'review']);
    for (const activity of ['equipment_installation', 'equipment_servicing', 'train_us_workers'] as const) {
      const a = { ...meetings, activities: [activity] };
      expect(ids('work', a)).toEqual([
        'equipmentFromAbroad',
        'contractRequiresSellerService',
        'specializedKnowledgeEssential',
      ]);
    }
  });

  it('asks about the blanket petition and years in business only for L-1 relationships', () => {
    const a = installer();
    expect(ids('employer', a)).toContain('blanketL');
    expect(ids('employer', { ...a, relationship: 'customer' })).toEqual([
      'relationship',
      'koreanOwnershipPercent',
    ]);
  });

  it('asks about a US advanced degree only with a master or doctorate, and the specialty question for degree jobs', () => {
    const a = { ...installer(), activities: ['meetings' as const], relationship: 'none', role: 'laborer' };
    expect(ids('worker', a)).not.toContain('usAdvancedDegree');
    expect(ids('worker', { ...a, education: 'master' })).toContain('usAdvancedDegree');
    expect(ids('work', a)).not.toContain('occupationRequiresDegree');
    expect(ids('work', { ...a, education: 'bachelor' })).toContain('occupationRequiresDegree');
    expect(ids('work', { ...a, activities: ['engineering_work'] })).toContain('occupationRequiresDegree');
  });

  it('asks about temporary need for hands-on labour or US pay, and sends "none" otherwise', () => {
    const a = installer();
    expect(ids('work', a)).not.toContain('temporaryNeed');
    expect(toRequest({ ...a, temporaryNeed: 'seasonal' }).assignment.temporaryNeed).toBe('none');
    const labour = { ...a, activities: ['construction_work' as const], temporaryNeed: 'peakload' };
    expect(ids('work', labour)).toContain('temporaryNeed');
    expect(toRequest(labour).assignment.temporaryNeed).toBe('peakload');
    expect(ids('work', { ...a, payer: 'us' })).toContain('temporaryNeed');
  });

  it('sends neutral values for questions that were answered and then made irrelevant', () => {
    const a = {
      ...installer(),
      activities: ['meetings' as const],
      relationship: 'customer',
      role: 'laborer',
    };
    const request = toRequest(a);
    expect(request.assignment.equipmentFromAbroad).toBe(false);
    expect(request.assignment.contractRequiresSellerService).toBe(false);
    expect(request.assignment.specializedKnowledgeEssential).toBe(false);
    expect(request.employer.blanketL).toBe(false);
    expect(request.employer.usEntityYearsInBusiness).toBe(0);
  });

  it('flags unanswered questions, dates out of order and numbers out of range', () => {
    const empty = emptyAnswers('2026-03-02');
    expect(stepProblems('assignment', empty)).toEqual({
      activities: 'wizard.error.activities',
      startDate: 'wizard.error.required',
      endDate: 'wizard.error.required',
      payer: 'wizard.error.required',
    });
    const a = { ...installer(), endDate: '2026-03-31', koreanOwnershipPercent: '120' };
    expect(stepProblems('assignment', a)).toEqual({ endDate: 'wizard.error.endBeforeStart' });
    expect(stepProblems('employer', a)).toEqual({ koreanOwnershipPercent: 'wizard.error.percent' });
    expect(stepProblems('worker', { ...a, employedSince: '1980-01-01' })).toEqual({
      employedSince: 'wizard.error.employedBeforeBirth',
    });
    for (const step of ['assignment', 'worker', 'travel', 'employer', 'work'] as const)
      expect(stepProblems(step, installer())).toEqual({});
  });

  it('maps the server field paths back to questions', () => {
    expect(questionForPath('assignment.activities[1]')?.id).toBe('activities');
    expect(questionForPath('worker.esta.electronicPassport')?.id).toBe('electronicPassport');
    expect(questionForPath('assignment.endDate')?.step).toBe('assignment');
    // Every question fills a distinct field of the request.
    expect(new Set(questions.map((q) => q.path)).size).toBe(questions.length);
  });
});
