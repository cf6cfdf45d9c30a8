import { z } from 'zod';
import { bilingualSchema } from './assessment.js';
import { oneLine } from './text.js';

/**
 * Attestations a case's result or letter relies on (issue 18, item 4), signed by the person responsible. Each
 * applies to some categories (or when the assessment relied on the fact), says in both languages what is attested
 * and cites the provision that needs it. `{worker}` and `{employer}` are filled in from the case.
 */
export const attestationKinds = ['specialized_knowledge', 'degree_required', 'training_unavailable', 'seller_service'] as const; // prettier-ignore
export type AttestationKind = (typeof attestationKinds)[number];

export const attestationCatalogue: Record<
  AttestationKind,
  { categories: readonly string[]; text: { en: string; ko: string }; citation: string }
> = {
  specialized_knowledge: {
    categories: ['L1B', 'B1'],
    text: {
      en: "I attest that {worker} has specialized knowledge of {employer}'s equipment, processes or procedures that is essential to this assignment and is not readily available in the United States.",
      ko: '본인은 {worker}이(가) 이 파견에 필수적이며 미국에서 쉽게 구할 수 없는 {employer}의 장비·공정·절차에 관한 전문 지식을 가지고 있음을 증명합니다.',
    },
    citation: '8 CFR 214.2(l)(1)(ii)(D); 9 FAM 402.2-5(F)',
  },
  degree_required: {
    categories: ['H1B'],
    text: {
      en: "I attest that the position offered to {worker} requires the theoretical and practical application of highly specialized knowledge and at least a bachelor's degree in a specific specialty.",
      ko: '본인은 {worker}에게 제안된 직위가 고도로 전문화된 지식의 이론적·실무적 적용과 특정 전공의 학사 이상 학위를 요구함을 증명합니다.',
    },
    citation: '8 CFR 214.2(h)(4)(iii)(A)',
  },
  training_unavailable: {
    categories: ['H3'],
    text: {
      en: '{employer} attests that the training offered to {worker} is not available in Korea, and that {worker} will not be placed in a position in the normal operation of the business in which US workers are regularly employed.',
      ko: '{employer}는 {worker}에게 제공하는 교육을 한국에서 받을 수 없으며, {worker}을(를) 미국 근로자가 통상 고용되는 정상 업무 직위에 배치하지 않음을 증명합니다.',
    },
    citation: '8 CFR 214.2(h)(7)(ii)(A)',
  },
  seller_service: {
    categories: ['B1'],
    text: {
      en: 'I attest that the contract of sale of the equipment bought from abroad obliges {employer} to install, service or repair it, and that {worker} remains paid by {employer} abroad.',
      ko: '본인은 해외에서 구매한 장비의 판매 계약상 {employer}가 그 설치·정비·수리 의무를 지며, {worker}의 급여는 해외의 {employer}가 계속 지급함을 증명합니다.',
    },
    citation: '9 FAM 402.2-5(F)(1)',
  },
};

export const signAttestationSchema = z.object({
  kind: z.enum(attestationKinds),
  /** The signer's full name, typed. */
  name: oneLine(z.string().trim().min(2).max(120)),
  /** The signer's title or role (e.g. "HR Director"). */
  title: oneLine(z.string().trim().min(2).max(120)),
  /** The text shown and agreed to, as its SHA-256 (hex): a text changed in between is refused. */
  textHash: z.string().regex(/^[0-9a-f]{64}$/, 'the SHA-256 of the text shown (hex)'),
});

export const attestationSchema = z.object({
  kind: z.enum(attestationKinds),
  text: bilingualSchema,
  textHash: z.string(),
  citation: z.string(),
  signature: z
    .object({
      id: z.uuid(),
      name: z.string(),
      title: z.string(),
      by: z.string(),
      signedAt: z.string(),
      /** False once the facts it covered changed: it must be signed again. */
      valid: z.boolean(),
      /** The facts that changed since (names), when void. */
      changed: z.array(z.string()),
    })
    .nullable(),
});
export type Attestation = z.infer<typeof attestationSchema>;
