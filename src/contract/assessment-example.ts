import type { AssessmentRequest } from './assessment.js';

/**
 * The example request of the guidelines contract (issue 3): a Korean technician installing equipment bought
 * from abroad and training US workers, paid from Korea. Shared by tests of the engine, the API and the web.
 */
export const contractExampleRequest = {
  asOf: '2026-03-02',
  scenario: { e4Enacted: false },
  worker: {
    nationality: 'KR',
    birthDate: '1986-05-14',
    education: 'high_school',
    usAdvancedDegree: false,
    yearsSpecializedExperience: 12,
    role: 'technician',
    employedSince: '2014-03-01',
    esta: {
      electronicPassport: true,
      priorRefusalOrDenial: false,
      priorOverstayOrViolation: false,
      restrictedCountryTravelOrNationality: false,
    },
  },
  employer: {
    koreanOwnershipPercent: 100,
    relationship: 'subsidiary',
    usEntityYearsInBusiness: 3,
    blanketL: false,
  },
  assignment: {
    activities: ['equipment_installation', 'train_us_workers'],
    startDate: '2026-04-01',
    endDate: '2026-06-15',
    payer: 'foreign',
    equipmentFromAbroad: true,
    contractRequiresSellerService: true,
    specializedKnowledgeEssential: true,
    occupationRequiresDegree: false,
    temporaryNeed: 'none',
  },
} as const satisfies AssessmentRequest;
