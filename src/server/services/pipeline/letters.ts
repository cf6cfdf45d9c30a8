import { label } from '../../../contract/labels.js';
import { ZodError } from 'zod';
import { generalVisitorActivities, type SupportLetterInput } from '../../../contract/letters.js';
import type { LetterRequest } from '../../../contract/pipeline.js';
import { recordAudit } from '../../audit/audit.js';
import { ApiError, pathOf } from '../../http/problem.js';
import { renderInvitationLetter, renderSupportLetter } from '../../letters/index.js';
import { auditContextOf, type ServiceContext } from '../context.js';
import { getCase } from './cases.js';
import { caseAttestations } from '../attestations/attestations.js';
import type { Answers } from '../../../contract/questionnaire.js';
import { ANSWERS_CONTEXT } from '../questionnaires/questionnaires.js';
import { fieldError, nowOf, PASSPORT_CONTEXT, type PipelineDeps } from './common.js';

/** ISO 3166-1 alpha-2 to alpha-3 for the nationalities letters print (Korean workers, mostly). */
const alpha3: Record<string, string> = {
  KR: 'KOR',
  US: 'USA',
  JP: 'JPN',
  VN: 'VNM',
  CN: 'CHN',
  PH: 'PHL',
  IN: 'IND',
};

/** Turns the letter module's zod errors into the API's bilingual field errors. */
function letterProblem(error: ZodError): ApiError {
  return new ApiError('request.invalid', {
    errors: error.issues.map((issue) => {
      const params = (issue as { params?: { en?: string; ko?: string } }).params;
      return fieldError(pathOf(issue.path), params?.en ?? issue.message, params?.ko ?? issue.message);
    }),
  });
}

/**
 * Generates the employer's support letter (B-1 installer, trainer or general business) or the host's
 * invitation letter for a case, as a PDF in English or Korean, from the case data and the signatory and
 * contact details in the request. Audited; the passport number is printed masked unless asked for.
 */
export async function caseLetter(
  ctx: ServiceContext,
  deps: PipelineDeps,
  caseId: string,
  request: LetterRequest,
): Promise<{ pdf: Buffer; filename: string }> {
  const detail = await getCase(ctx, deps, caseId);
  if (!detail.letters.includes(request.kind)) {
    throw new ApiError('request.invalid', {
      errors: [
        fieldError(
          'kind',
          `no ${request.kind} letter for a ${detail.category} case`,
          `${detail.category} 사건에는 이 서한을 만들 수 없습니다`,
        ),
      ],
    });
  }
  const [row] = await ctx.db.query<{
    family_name: string;
    given_name: string;
    name_hangul: string;
    birth_date: string;
    nationality: string;
    passport_enc: string;
    role: string | null;
    employed_since: string | null;
    qualifications: { name: string; grade?: string }[];
    employer_name: string;
    investor_name: string;
    activities: SupportLetterInput['activities'];
    start_date: string;
    end_date: string;
    payer: 'foreign' | 'us';
    project_name: string;
    sector: string;
    site_name: string;
    address: string;
    city: string;
    state: string;
    annotation_company: string | null;
    annotation_facility: string | null;
    annotation_project: string | null;
    detained_on: string | null;
  }>(
    `SELECT w.family_name, w.given_name, w.name_hangul, w.birth_date::text, w.nationality, w.passport_enc, w.role,
            w.employed_since::text, w.qualifications, eo.name AS employer_name, io.name AS investor_name,
            a.activities, a.start_date::text, a.end_date::text, a.payer, p.name AS project_name, p.sector,
            s.name AS site_name, s.address, s.city, s.state, b.annotation_company, b.annotation_facility,
            b.annotation_project, w.detained_on::text
       FROM cases c JOIN workers w ON w.id = c.worker_id JOIN organizations eo ON eo.id = c.organization_id
       JOIN assignments a ON a.id = c.assignment_id JOIN projects p ON p.id = c.project_id
       JOIN organizations io ON io.id = p.organization_id JOIN sites s ON s.id = p.site_id
       LEFT JOIN batches b ON b.id = c.batch_id
      WHERE c.id = $1`,
    [caseId],
  );
  const r = row!;
  const today = nowOf(deps).toISOString().slice(0, 10);
  const passportNumber = deps.cipher.decrypt(r.passport_enc, PASSPORT_CONTEXT);
  const state = r.state.trim();
  const siteAddress = `${r.address}, ${r.city}, ${state}`;
  // The worker's accepted questionnaire (issue 18) feeds the letter: the present job title and start date the
  // worker confirmed prevail over the record's role and employment date.
  const [answered] = await ctx.db.query<{ answers_enc: string }>(
    `SELECT answers_enc FROM questionnaires WHERE case_id = $1 AND form = 'ds160' AND status = 'accepted'`,
    [caseId],
  );
  const work = answered
    ? ((JSON.parse(deps.cipher.decrypt(answered.answers_enc, ANSWERS_CONTEXT)) as Answers).work ?? {})
    : {};
  const confirmedTitle =
    typeof work.currentTitle === 'string' && work.currentTitle ? work.currentTitle : null;
  const since =
    typeof work.currentSince === 'string' && work.currentSince ? work.currentSince : r.employed_since;
  const years = since ? Math.max(0, Number(today.slice(0, 4)) - Number(since.slice(0, 4))) : 0;
  let pdf: Buffer;
  try {
    if (request.kind === 'support') {
      const provision =
        detail.provision === 'installer' || detail.provision === 'trainer' ? detail.provision : 'general';
      pdf = await renderSupportLetter({
        language: request.language,
        employer: {
          name: { en: r.employer_name, ko: request.employerNameKo ?? r.employer_name },
          address: request.contact.address,
          signatory: request.signatory,
          phone: request.contact.phone,
          email: request.contact.email,
        },
        usSite: { name: r.site_name, address: siteAddress, state },
        project: { name: r.project_name, sector: label(request.language, 'sector', r.sector) },
        worker: {
          familyName: r.family_name,
          givenNames: r.given_name,
          hangulName: r.name_hangul,
          birthDate: r.birth_date,
          nationality: alpha3[r.nationality.trim()] ?? 'KOR',
          passportNumber,
          role: confirmedTitle ?? (r.role ? label(request.language, 'workerRole', r.role) : ''),
          yearsOfExperience: years,
          qualifications: r.qualifications.map((q) => (q.grade ? `${q.name} (${q.grade})` : q.name)),
        },
        showPassportNumber: request.showPassportNumber,
        provision,
        ...(request.equipment ? { equipment: request.equipment } : {}),
        activities: r.activities,
        dates: { start: r.start_date, end: r.end_date },
        payer: r.payer,
        post: request.post,
        issueDate: today,
        ...(r.detained_on ? { reentry: { detainedOn: r.detained_on } } : {}),
        attestations: (await caseAttestations(ctx, deps, caseId))
          .filter((a) => a.signature)
          .map((a) => ({
            text: a.text[request.language],
            signedBy: `${a.signature!.name}, ${a.signature!.title}`,
            signedAt: a.signature!.signedAt.slice(0, 10),
            valid: a.signature!.valid,
          })),
        ...(r.annotation_company
          ? {
              annotation: {
                company: r.annotation_company,
                facility: r.annotation_facility!,
                project: r.annotation_project!,
              },
            }
          : {}),
      });
    } else {
      const activities = r.activities.filter((a): a is (typeof generalVisitorActivities)[number] =>
        (generalVisitorActivities as readonly string[]).includes(a),
      );
      if (activities.length === 0) {
        throw new ApiError('request.invalid', {
          errors: [
            fieldError(
              'kind',
              'an invitation letter covers business-visitor activities, and this assignment has none',
              '초청장은 상용 방문 활동에 대한 것인데 이 배치에는 해당 활동이 없습니다',
            ),
          ],
        });
      }
      pdf = await renderInvitationLetter({
        language: request.language,
        host: {
          name: r.investor_name,
          address: siteAddress,
          state,
          signatory: request.signatory,
          phone: request.contact.phone,
          email: request.contact.email,
        },
        visitor: {
          familyName: r.family_name,
          givenNames: r.given_name,
          hangulName: r.name_hangul,
          birthDate: r.birth_date,
          nationality: alpha3[r.nationality.trim()] ?? 'KOR',
          passportNumber,
          employer: { en: r.employer_name, ko: request.employerNameKo ?? r.employer_name },
          title: r.role ? label(request.language, 'workerRole', r.role) : '',
        },
        showPassportNumber: request.showPassportNumber,
        purpose: request.purpose ?? `${r.project_name}: ${activities.join(', ')}`,
        activities,
        dates: { start: r.start_date, end: r.end_date },
        expensesPaidBy: request.expensesPaidBy,
        post: request.post,
        issueDate: today,
      });
    }
  } catch (error) {
    if (error instanceof ZodError) throw letterProblem(error);
    throw error;
  }
  await ctx.db.transaction((tx) =>
    recordAudit(tx, auditContextOf(ctx), {
      action: 'letter.generate',
      targetType: 'case',
      targetId: caseId,
      organizationId: detail.organizationId,
      details: {
        kind: request.kind,
        language: request.language,
        showPassportNumber: request.showPassportNumber,
      },
    }),
  );
  return {
    pdf,
    filename: `${request.kind}-letter-${r.family_name}-${request.language}.pdf`.replace(/\s+/g, '_'),
  };
}
