/**
 * Inputs of the generated letters and of the embassy-desk batch manifest (issue 5, items 5 and 6).
 *
 * - Support letter: the Korean employer supports a worker's B-1 application under the installer/servicer
 *   provision 9 FAM 402.2-5(E)(1), the specialized-trainer provision 9 FAM 402.2-5(E)(2) (from 2025-12-04,
 *   wording not yet confirmed) or as a general business visitor (9 FAM 402.2-5(B)/(C); 22 CFR 41.31).
 * - Invitation letter: the US host invites a business visitor.
 * - Batch manifest: an investor's batch of B-1 applicants for one project, with the KIT Desk annotation
 *   (company, facility, project).
 *
 * Plain data in, PDF bytes out (src/server/letters). Browser-safe: zod only.
 */
import { z } from 'zod';
import { activityIdSchema, isoDateSchema, payers, type ActivityId } from './assessment.js';

export const letterLanguages = ['en', 'ko'] as const;
export type LetterLanguage = (typeof letterLanguages)[number];

export const letterProvisions = ['installer', 'trainer', 'general'] as const;
export type LetterProvision = (typeof letterProvisions)[number];

/** General business-visitor activities (9 FAM 402.2-5(B)/(C); 22 CFR 41.31(b)(1); 8 CFR 214.2(b)(5)). */
export const generalVisitorActivities = [
  'meetings',
  'negotiation',
  'conference',
  'site_visit',
  'construction_supervision',
] as const satisfies readonly ActivityId[];

/**
 * What a support letter may list under each provision. Mirrors the visitor rules in core/visas/visitor.ts:
 * activities that are never allowed to a business visitor (hands-on construction, production, trade,
 * administrative work, managing US operations or staff) can never appear in a letter.
 */
export const letterActivitiesByProvision: Record<LetterProvision, readonly ActivityId[]> = {
  general: generalVisitorActivities,
  installer: [
    ...generalVisitorActivities,
    'equipment_installation',
    'equipment_servicing',
    'equipment_supervision',
    'train_us_workers',
  ],
  trainer: [...generalVisitorActivities, 'train_us_workers'],
};

const text = (max = 200) => z.string().trim().min(1).max(max);

/** A pattern check whose issue carries its message in both languages (see server/http/problem.ts). */
const matching = (pattern: RegExp, en: string, ko: string) =>
  z.string().refine((value) => pattern.test(value), { message: en, params: { en, ko } });

export const bilingualNameSchema = z
  .object({ en: text(), ko: text() })
  .strict()
  .describe('A name in English and in Korean');

/** Names as printed in the passport's machine-readable zone: Latin letters, spaces, hyphens, apostrophes. */
const romanizedSchema = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .pipe(
    matching(
      /^[A-Za-z][A-Za-z' -]*$/,
      'must be written in Latin letters as in the passport',
      '여권에 적힌 대로 로마자로 적어야 합니다',
    ),
  );

const hangulNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .pipe(matching(/[\uAC00-\uD7A3]/, 'must contain the name in Hangul', '한글 이름이어야 합니다'));

/** ISO 3166-1 alpha-3 code, as in the passport (KOR). */
const nationalitySchema = matching(
  /^[A-Z]{3}$/,
  'must be an ISO 3166-1 alpha-3 code such as KOR',
  'KOR 같은 ISO 3166-1 alpha-3 코드여야 합니다',
);

/** A passport number (already decrypted), or one already masked with `*`. */
const passportNumberSchema = z
  .string()
  .trim()
  .transform((value) => value.toUpperCase())
  .pipe(
    matching(/^[A-Z0-9*]{5,20}$/, 'must be 5 to 20 letters or digits', '영문자 또는 숫자 5~20자여야 합니다'),
  );

const emailSchema = z.email();

const usStateSchema = matching(
  /^[A-Z]{2}$/,
  'must be a two-letter US state code such as GA',
  'GA 같은 미국 주 두 글자 코드여야 합니다',
);

export const embassyAnnotationSchema = z
  .object({ company: text(), facility: text(), project: text() })
  .strict()
  .describe('The KIT Desk annotation printed on the visa: company, facility, project');
export type EmbassyAnnotation = z.infer<typeof embassyAnnotationSchema>;

function report(ctx: z.RefinementCtx, path: (string | number)[], en: string, ko: string): void {
  ctx.addIssue({ code: 'custom', path, message: en, params: { en, ko } });
}

const signatorySchema = z.object({ name: text(), title: text() }).strict();

const dateRangeSchema = z
  .object({ start: isoDateSchema, end: isoDateSchema.describe('Inclusive') })
  .strict()
  .superRefine((dates, ctx) => {
    if (dates.end < dates.start) {
      report(
        ctx,
        ['end'],
        'must be on or after the start date (the end date is inclusive)',
        '시작일과 같거나 그 이후여야 합니다(종료일 포함)',
      );
    }
  });

function uniqueActivities(
  activities: readonly ActivityId[],
  path: (string | number)[],
  ctx: z.RefinementCtx,
) {
  const seen = new Set<ActivityId>();
  activities.forEach((activity, index) => {
    if (seen.has(activity)) {
      report(ctx, [...path, index], `lists ${activity} twice`, `${activity} 활동이 두 번 들어 있습니다`);
    }
    seen.add(activity);
  });
}

export const letterWorkerSchema = z
  .object({
    familyName: romanizedSchema.describe('Family name as in the passport'),
    givenNames: romanizedSchema.describe('Given names as in the passport'),
    hangulName: hangulNameSchema,
    birthDate: isoDateSchema,
    nationality: nationalitySchema,
    passportNumber: passportNumberSchema.describe(
      'Printed masked except the last 4 unless showPassportNumber',
    ),
    role: text(),
    yearsOfExperience: z.number().finite().min(0).max(60),
    qualifications: z.array(text()).max(20).default([]),
  })
  .strict();

export const letterEquipmentSchema = z
  .object({
    description: text(400),
    seller: text(),
    buyer: text(),
    contractReference: text().optional(),
    contractDate: isoDateSchema.optional(),
    clause: text(3000).optional().describe("The contract clause quoting the seller's obligation, verbatim"),
  })
  .strict();

export const supportLetterInputSchema = z
  .object({
    language: z.enum(letterLanguages),
    employer: z
      .object({
        name: bilingualNameSchema,
        address: text(400),
        signatory: signatorySchema,
        phone: text(40),
        email: emailSchema,
      })
      .strict(),
    usSite: z.object({ name: text(), address: text(400), state: usStateSchema }).strict(),
    project: z.object({ name: text(), sector: text() }).strict(),
    worker: letterWorkerSchema,
    showPassportNumber: z.boolean().default(false),
    provision: z.enum(letterProvisions),
    equipment: letterEquipmentSchema.optional(),
    activities: z.array(activityIdSchema).min(1).max(20),
    dates: dateRangeSchema,
    payer: z
      .enum(payers)
      .describe("Who pays the worker's salary: must be the employer abroad for a B-1 letter"),
    expensesPaidBy: z
      .enum(payers)
      .optional()
      .describe('Who pays travel and living expenses; defaults to the employer abroad'),
    post: text().describe('The post addressed, e.g. "Consular Section, U.S. Embassy Seoul"'),
    issueDate: isoDateSchema,
    annotation: embassyAnnotationSchema.optional(),
    /** The re-entry track (issue 16): the worker was detained by US immigration authorities on this date. */
    reentry: z.object({ detainedOn: isoDateSchema }).strict().optional(),
    /** Signed attestations the letter relies on (issue 18); a void one is printed as void. */
    attestations: z
      .array(
        z
          .object({ text: z.string(), signedBy: z.string(), signedAt: z.string(), valid: z.boolean() })
          .strict(),
      )
      .max(10)
      .default([]),
  })
  .strict()
  .superRefine((input, ctx) => {
    uniqueActivities(input.activities, ['activities'], ctx);
    const allowed = letterActivitiesByProvision[input.provision];
    input.activities.forEach((activity, index) => {
      if (!allowed.includes(activity)) {
        report(
          ctx,
          ['activities', index],
          `${activity} cannot be stated in a ${input.provision} support letter: the provision does not allow it`,
          `${activity} 활동은 이 조항(${input.provision})의 지원서에 적을 수 없습니다: 허용되지 않는 활동입니다`,
        );
      }
    });
    if (input.payer !== 'foreign') {
      report(
        ctx,
        ['payer'],
        'a B-1 support letter cannot state pay from a US source: the worker must be paid by the employer abroad (9 FAM 402.2-5(E)(1); 22 CFR 41.31)',
        'B-1 지원서에는 미국 측 급여를 적을 수 없습니다: 해외 고용주가 급여를 지급해야 합니다(9 FAM 402.2-5(E)(1); 22 CFR 41.31)',
      );
    }
    if (input.provision === 'installer' || input.provision === 'trainer') {
      const equipment = input.equipment;
      if (!equipment) {
        report(
          ctx,
          ['equipment'],
          'the installer and trainer provisions need the equipment bought from abroad',
          '설치 기술자·전문 트레이너 조항에는 해외에서 구매한 장비 정보가 필요합니다',
        );
      } else if (input.provision === 'installer') {
        for (const field of ['contractReference', 'contractDate', 'clause'] as const) {
          if (equipment[field] === undefined) {
            report(
              ctx,
              ['equipment', field],
              'the installer provision needs the contract of sale that requires the seller to provide the services',
              '설치 기술자 조항에는 판매자의 용역 제공 의무가 적힌 매매계약 정보가 필요합니다',
            );
          }
        }
      }
    }
  });
export type SupportLetterInput = z.input<typeof supportLetterInputSchema>;
export type SupportLetter = z.output<typeof supportLetterInputSchema>;

export const invitationExpensePayers = ['visitor_employer', 'host', 'shared'] as const;

export const invitationLetterInputSchema = z
  .object({
    language: z.enum(letterLanguages),
    host: z
      .object({
        name: text(),
        address: text(400),
        state: usStateSchema,
        signatory: signatorySchema,
        phone: text(40),
        email: emailSchema,
      })
      .strict(),
    visitor: z
      .object({
        familyName: romanizedSchema,
        givenNames: romanizedSchema,
        hangulName: hangulNameSchema,
        birthDate: isoDateSchema,
        nationality: nationalitySchema,
        passportNumber: passportNumberSchema,
        employer: bilingualNameSchema,
        title: text(),
      })
      .strict(),
    showPassportNumber: z.boolean().default(false),
    purpose: text(1500).describe('Purpose of the visit, in the language of the letter'),
    activities: z.array(z.enum(generalVisitorActivities)).min(1).max(generalVisitorActivities.length),
    dates: dateRangeSchema,
    expensesPaidBy: z.enum(invitationExpensePayers).describe('Who pays travel and living expenses'),
    post: text(),
    issueDate: isoDateSchema,
  })
  .strict()
  .superRefine((input, ctx) => uniqueActivities(input.activities, ['activities'], ctx));
export type InvitationLetterInput = z.input<typeof invitationLetterInputSchema>;
export type InvitationLetter = z.output<typeof invitationLetterInputSchema>;

export const employerRelations = ['own', 'partner'] as const;

export const batchManifestRowSchema = z
  .object({
    hangulName: hangulNameSchema,
    familyName: romanizedSchema,
    givenNames: romanizedSchema,
    birthDate: isoDateSchema,
    passportNumber: passportNumberSchema.describe('Always printed masked except the last 4'),
    employer: z.object({ name: bilingualNameSchema, relation: z.enum(employerRelations) }).strict(),
    role: text(),
    plannedEntry: isoDateSchema,
    activities: z.array(activityIdSchema).min(1).max(20),
    caseStatus: z
      .object({
        code: matching(
          /^[a-z][a-z0-9_]*$/,
          'must be a status code such as documents_ready',
          'documents_ready 같은 상태 코드여야 합니다',
        ),
        en: text(80),
        ko: text(80),
      })
      .strict()
      .describe('The case status code and its label in both languages'),
  })
  .strict();

export const batchManifestInputSchema = z
  .object({
    batchId: text(80),
    annotation: embassyAnnotationSchema,
    investor: bilingualNameSchema,
    createdDate: isoDateSchema,
    post: text().optional(),
    rows: z.array(batchManifestRowSchema).min(1).max(1000),
  })
  .strict()
  .superRefine((input, ctx) =>
    input.rows.forEach((row, index) => uniqueActivities(row.activities, ['rows', index, 'activities'], ctx)),
  );
export type BatchManifestInput = z.input<typeof batchManifestInputSchema>;
export type BatchManifest = z.output<typeof batchManifestInputSchema>;
