/** Example inputs for the letters' tests (fictitious people and companies). */
import type {
  BatchManifestInput,
  InvitationLetterInput,
  SupportLetterInput,
} from '../../../contract/letters.js';

export const installerLetter: SupportLetterInput = {
  language: 'en',
  employer: {
    name: { en: 'Hanbit Battery Systems Co., Ltd.', ko: '한빛배터리시스템 주식회사' },
    address: '123 Teheran-ro, Gangnam-gu, Seoul 06234, Republic of Korea',
    signatory: { name: 'Park Jiyoung', title: 'Head of Global HR' },
    phone: '+82-2-555-0100',
    email: 'global.hr@hanbit-battery.example',
  },
  usSite: { name: 'Peach State Cell Plant', address: '1000 Battery Way, Ellabell, GA 31308', state: 'GA' },
  project: { name: 'Cell line 2 commissioning', sector: 'Battery manufacturing' },
  worker: {
    familyName: 'Kim',
    givenNames: 'Minsu',
    hangulName: '김민수',
    birthDate: '1988-03-14',
    nationality: 'KOR',
    passportNumber: 'M12345678',
    role: 'Senior equipment engineer',
    yearsOfExperience: 12,
    qualifications: ['Industrial Engineer, Electricity (HRDK licence)'],
  },
  provision: 'installer',
  equipment: {
    description: 'Electrode coating and drying line, model HB-EC800',
    seller: 'Hanbit Battery Systems Co., Ltd. (Republic of Korea)',
    buyer: 'Peach State Cells LLC',
    contractReference: 'PSC-HB-2026-014',
    contractDate: '2026-01-20',
    clause:
      'Article 9.2: The Seller shall, at its own cost, dispatch qualified engineers to install, commission and service the Equipment at the Buyer’s site and train the Buyer’s personnel in its operation.',
  },
  activities: ['equipment_installation', 'train_us_workers', 'meetings'],
  dates: { start: '2026-04-01', end: '2026-06-15' },
  payer: 'foreign',
  post: 'Consular Section, U.S. Embassy Seoul',
  issueDate: '2026-02-10',
  annotation: {
    company: 'Peach State Cells LLC',
    facility: 'Ellabell, GA cell plant',
    project: 'Cell line 2 commissioning',
  },
};

export const trainerLetter: SupportLetterInput = {
  ...installerLetter,
  provision: 'trainer',
  equipment: {
    description: 'Formation and aging system, model HB-FA300',
    seller: 'Hanbit Battery Systems Co., Ltd. (Republic of Korea)',
    buyer: 'Peach State Cells LLC',
  },
  activities: ['train_us_workers'],
  worker: {
    ...installerLetter.worker,
    familyName: 'Lee',
    givenNames: 'Seoyeon',
    hangulName: '이서연',
    birthDate: '1990-11-02',
    passportNumber: 'M87654321',
  },
};

export const invitationLetter: InvitationLetterInput = {
  language: 'en',
  host: {
    name: 'Peach State Cells LLC',
    address: '1000 Battery Way, Ellabell, GA 31308',
    state: 'GA',
    signatory: { name: 'Jordan Miller', title: 'Plant Manager' },
    phone: '+1-912-555-0142',
    email: 'plant.office@peachstatecells.example',
  },
  visitor: {
    familyName: 'Choi',
    givenNames: 'Yuna',
    hangulName: '최유나',
    birthDate: '1985-07-21',
    nationality: 'KOR',
    passportNumber: 'M24681357',
    employer: { en: 'Hanbit Battery Systems Co., Ltd.', ko: '한빛배터리시스템 주식회사' },
    title: 'Project Director',
  },
  purpose:
    'Quarterly project review of the cell line 2 installation and negotiation of the service contract for 2027.',
  activities: ['meetings', 'negotiation', 'site_visit'],
  dates: { start: '2026-05-04', end: '2026-05-08' },
  expensesPaidBy: 'host',
  post: 'Consular Section, U.S. Embassy Seoul',
  issueDate: '2026-03-02',
};

const firstNames = ['Minsu', 'Jiho', 'Seojun', 'Hayun', 'Doyun', 'Eunwoo'];
const hangul = ['김민수', '박지호', '정서준', '윤하윤', '강도윤', '조은우'];
const families = ['Kim', 'Park', 'Jung', 'Yoon', 'Kang', 'Cho'];

export function batchManifest(rows: number): BatchManifestInput {
  return {
    batchId: 'KIT-2026-0007',
    annotation: {
      company: 'Peach State Cells LLC',
      facility: 'Ellabell, GA cell plant',
      project: 'Cell line 2 commissioning',
    },
    investor: { en: 'Hanbit Battery Systems Co., Ltd.', ko: '한빛배터리시스템 주식회사' },
    createdDate: '2026-02-12',
    post: 'KIT Desk, U.S. Embassy Seoul',
    rows: Array.from({ length: rows }, (_, i) => ({
      hangulName: hangul[i % hangul.length]!,
      familyName: families[i % families.length]!,
      givenNames: firstNames[i % firstNames.length]!,
      birthDate: `19${80 + (i % 15)}-0${1 + (i % 9)}-1${i % 10}`,
      passportNumber: `M${String(40000000 + i * 1013).padStart(8, '0')}`,
      employer:
        i % 3 === 0
          ? {
              name: { en: 'Hanbit Battery Systems Co., Ltd.', ko: '한빛배터리시스템 주식회사' },
              relation: 'own' as const,
            }
          : {
              name: { en: 'Daesung Automation Co., Ltd.', ko: '대성오토메이션 주식회사' },
              relation: 'partner' as const,
            },
      role: i % 2 === 0 ? 'Equipment engineer' : 'Controls technician',
      plannedEntry: '2026-04-01',
      activities:
        i % 2 === 0
          ? ['equipment_installation' as const, 'train_us_workers' as const]
          : ['equipment_servicing' as const],
      caseStatus: { code: 'documents_ready', en: 'Documents ready', ko: '서류 준비 완료' },
    })),
  };
}
