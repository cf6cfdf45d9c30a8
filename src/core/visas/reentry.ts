import { documentOf, verifyNote } from './common.js';
import type { ParamReader } from './types.js';
import type { Note } from '../../contract/assessment.js';

/**
 * The re-entry track (issue 16): workers detained by US immigration authorities (the Georgia site, 2025-09-04)
 * answer "yes" to the ESTA question on a prior violation. What is known, with its sources: ESTA is likely
 * refused; the path is a B-1 visa through the KIT Desk of the US Embassy in Seoul, annotated with the company,
 * facility and project; the US side said these workers face no disadvantage on re-entry (a reported statement,
 * `verify`). Bound per period: the desk's opening and the assurance are dated parameters.
 */
export const ASSURANCE = 'korus/reentry/georgia-2025-assurance';
const KIT_DESK = 'dos/embassy-seoul/kit-desk';

export const reentryRecord = documentOf(
  'reentry_record',
  'Record of the detention and of the departure that followed (I-94, CBP or ICE papers), and a short account for the consular officer',
  '구금과 그 후 출국 기록(I-94, CBP·ICE 서류) 및 영사에게 제출할 간단한 경위서',
);

export function reentryNotes(params: ParamReader): { esta: Note; b1: Note } {
  const desk = params.value(KIT_DESK) === true;
  const assured = params.value(ASSURANCE) === true;
  const where = desk
    ? {
        en: 'through the KIT Desk of the US Embassy in Seoul (the employer or its prime contractor files the batch); the visa is annotated with the company, the facility and the project',
        ko: '주한미국대사관 KIT 데스크를 통해(고용주 또는 원청이 일괄 신청) 신청하며, 비자에는 회사·시설·프로젝트가 기재됩니다',
      }
    : {
        en: 'at the US Embassy in Seoul, with a letter from the employer naming the company, the facility and the project',
        ko: '주한미국대사관에서, 회사·시설·프로젝트를 적은 고용주 서한과 함께 신청합니다',
      };
  const assurance = assured
    ? {
        en: ' The US side said on 2025-12-05 that previously detained workers face no disadvantage on re-entry, their existing visas remain valid and ESTA travellers may obtain a B-1 visa; it is a reported statement, not a published rule, and how it is applied case by case is not known.',
        ko: ' 미국 측은 2025-12-05에 이전에 구금된 근로자가 재입국 시 불이익이 없고 기존 비자는 유효하며 ESTA 여행자는 B-1 비자를 받을 수 있다고 밝혔습니다. 이는 보도된 발언이며 공포된 규정이 아니고, 개별 사안에 어떻게 적용될지는 알려지지 않았습니다.',
      }
    : { en: '', ko: '' };
  return {
    esta: verifyNote(params, 'esta.reentry-track', ASSURANCE, {
      en: `The worker was detained by US immigration authorities, so the ESTA question on a prior violation is answered "yes" and an ESTA is likely to be refused. Apply for a B-1 visa instead, ${where.en}.${assurance.en}`,
      ko: `근로자가 미국 이민 당국에 구금된 적이 있어 ESTA의 이전 위반 질문에 "예"로 답해야 하며 ESTA는 거절될 가능성이 큽니다. 대신 B-1 비자를 ${where.ko}.${assurance.ko}`,
    }),
    b1: verifyNote(params, 'b1.reentry-track', ASSURANCE, {
      en: `Re-entry track for a worker who was detained: a B-1 visa ${where.en}. Bring the record of the detention and the departure.${assurance.en}`,
      ko: `구금 이력이 있는 근로자의 재입국 경로: B-1 비자를 ${where.ko}. 구금과 출국 기록을 지참하세요.${assurance.ko}`,
    }),
  };
}
