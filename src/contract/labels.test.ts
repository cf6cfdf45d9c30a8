import { describe, expect, it } from 'vitest';
import { enumLabels, flatLabels, label } from './labels.js';
import { organizationKinds, roles, siteSectors, contactKinds } from './api.js';
import {
  activityStatuses,
  educationLevels,
  employerRelationships,
  payers,
  temporaryNeeds,
  verdicts,
  workerRoles,
} from './assessment.js';
import { batchStatuses, dependentRelationships, rosterFlags, sexes } from './pipeline.js';
import { directoryKinds, planGoalKinds, planRiskSeverities, planRoutes, planStatusCodes, planStepKinds, spouseWorkModes } from './settlement.js'; // prettier-ignore
import { caseStatuses, slaStates } from './workflow.js';
import { alertKindValues, alertSeverityValues } from './alerts.js';
import { importStatuses } from './imports.js';
import { uscisStatuses } from './uscis.js';
import { questionnaireStatuses } from './questionnaire.js';
import { investmentKinds, milestoneKinds } from './contribution.js';
import { batchEventKinds, ceacStatuses, consularPosts, deskOutcomes, deskStatuses } from './consular.js';
import { mandates } from './api.js';

/** Words, not codes (issue 13): every value of every enum a person reads has English and Korean words. */
describe('enum labels', () => {
  const enums: Record<keyof typeof enumLabels, readonly string[] | null> = {
    role: roles,
    orgKind: organizationKinds,
    sector: siteSectors,
    payer: payers,
    workerRole: workerRoles,
    education: educationLevels,
    relationship: employerRelationships,
    temporaryNeed: temporaryNeeds,
    verdict: verdicts,
    activityStatus: activityStatuses,
    provision: null, // the rules name provisions; checked against the rules catalog by rules-labels.test
    capPool: null,
    alertKind: alertKindValues,
    alertSeverity: alertSeverityValues,
    importStatus: importStatuses,
    rosterFlag: rosterFlags,
    caseStatus: caseStatuses,
    sex: sexes,
    dependentRelationship: dependentRelationships,
    planRoute: planRoutes,
    planStepKind: planStepKinds,
    spouseWork: spouseWorkModes,
    directoryKind: directoryKinds,
    planStatus: planStatusCodes,
    planGoalKind: planGoalKinds,
    planRiskSeverity: planRiskSeverities,
    contactKind: contactKinds,
    deskStatus: deskStatuses,
    ceacStatus: ceacStatuses,
    uscisStatus: uscisStatuses,
    questionnaireStatus: questionnaireStatuses,
    milestoneKind: milestoneKinds,
    investmentKind: investmentKinds,
    deskOutcome: deskOutcomes,
    batchEvent: batchEventKinds,
    mandate: mandates,
    consularPost: consularPosts,
    batchStatus: batchStatuses,
    slaState: slaStates,
    country: null, // open list: the nationalities the demo and common dispatches use
  };

  it.each(Object.entries(enums))('%s: every value has words in both languages', (group, values) => {
    const labels = enumLabels[group as keyof typeof enumLabels].values as Record<
      string,
      { en: string; ko: string }
    >;
    if (values) expect(Object.keys(labels).sort()).toEqual([...values].sort());
    for (const [code, text] of Object.entries(labels)) {
      expect(text.en.trim(), `${group}.${code} en`).not.toBe('');
      expect(text.ko.trim(), `${group}.${code} ko`).not.toBe('');
      expect(text.ko, `${group}.${code}: Korean words, not the code`).not.toBe(code);
    }
  });

  it('gives words by code, and the code only for an unknown one', () => {
    expect(label('ko', 'workerRole', 'technician')).toBe('기술자');
    expect(label('en', 'sector', 'battery')).toBe('Battery');
    expect(label('ko', 'country', 'KR')).toBe('대한민국');
    expect(label('en', 'caseStatus', 'departed')).toMatch(/Departed/);
    expect(flatLabels('ko')['alerts.kind.admit_until']).toBeTruthy();
  });
});
