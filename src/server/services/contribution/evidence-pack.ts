import { Readable } from 'node:stream';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { labels } from '../../../contract/labels.js';
import type { CaseDocument } from '../../../contract/pipeline.js';
import { recordAudit } from '../../audit/audit.js';
import { ApiError } from '../../http/problem.js';
import { FONT_FAMILY, renderPdf } from '../../letters/pdf.js';
import { writableCase } from '../consular/case-consular.js';
import { auditContextOf, type ServiceContext } from '../context.js';
import { fieldError, nowOf, type PipelineDeps } from '../pipeline/common.js';
import { uploadDocument } from '../pipeline/documents.js';

/**
 * The training evidence pack of a B-1 specialized-trainer case (issue 20, item 4): a bilingual PDF of the training
 * the worker gave (the plans, every session with its hours and trainees, the certifications, the project's
 * knowledge-transfer milestones), cited to the provision, generated from the ledger and attached to the case as the
 * checklist's `training_evidence_pack` (stored encrypted like any document, audited). Trainees appear as counts:
 * names stay with the employer.
 */
export const EVIDENCE_PACK_DOC = 'training_evidence_pack';
export const TRAINER_CITATION = '9 FAM 402.2-5(E)(2) (in force from 2025-12-04; text to verify)';

interface SessionRow {
  held_on: string;
  hours: string;
  topic: string;
  equipment: string | null;
  place: string;
  trainees: number;
  certified: number;
  skill: string | null;
  plan_title: string | null;
  plan_goal: string | null;
  project_name: string;
  [key: string]: unknown;
}

export async function attachEvidencePack(
  ctx: ServiceContext,
  deps: PipelineDeps,
  caseId: string,
): Promise<CaseDocument> {
  const c = await writableCase(ctx, deps, caseId);
  if (c.category !== 'B1')
    throw new ApiError('request.invalid', {
      errors: [fieldError('caseId', 'is not a B-1 case: the evidence pack is for the specialized-trainer provision', 'B-1 사건이 아닙니다. 교육 증빙 자료는 전문 트레이너 조항용입니다')], // prettier-ignore
    });
  const sessions = await ctx.db.query<SessionRow>(
    `SELECT s.held_on::text, s.hours::text, s.topic, s.equipment, s.place, s.trainees, s.certified, s.skill,
            tp.title AS plan_title, tp.goal AS plan_goal, p.name AS project_name
       FROM training_sessions s JOIN projects p ON p.id = s.project_id LEFT JOIN training_plans tp ON tp.id = s.plan_id
      WHERE s.trainer_worker_id = $1 AND s.organization_id = $2
      ORDER BY s.held_on, s.created_at`,
    [c.workerId, c.organizationId],
  );
  if (sessions.length === 0)
    throw new ApiError('request.invalid', {
      errors: [fieldError('caseId', 'the worker has no training session in the ledger yet', '원장에 이 근로자의 교육 세션이 아직 없습니다')], // prettier-ignore
    });
  const milestones = await ctx.db.query<{ kind: string; title: string; achieved_on: string }>(
    `SELECT kind, title, achieved_on::text FROM transfer_milestones WHERE project_id = $1 ORDER BY achieved_on`,
    [c.projectId],
  );
  const now = nowOf(deps);
  const pdf = await renderEvidencePack({
    worker: `${c.workerNameHangul} · ${c.workerName}`,
    employer: c.organizationName,
    project: c.projectName,
    sessions,
    milestones,
    generatedAt: now.toISOString().replace(/\.\d+Z$/, 'Z'),
  });
  const document = await uploadDocument(
    ctx,
    deps,
    caseId,
    { docType: EVIDENCE_PACK_DOC },
    {
      filename: `training-evidence-pack-${now.toISOString().slice(0, 10)}.pdf`,
      mimetype: 'application/pdf',
      stream: Readable.from([pdf]),
    },
  );
  await ctx.db.transaction((tx) =>
    recordAudit(tx, auditContextOf(ctx), {
      action: 'contribution.evidence_pack',
      targetType: 'case',
      targetId: caseId,
      organizationId: c.organizationId,
      details: { documentId: document.id, sessions: sessions.length, sha256: document.sha256 },
    }),
  );
  return document;
}

export async function renderEvidencePack(input: {
  worker: string;
  employer: string;
  project: string;
  sessions: SessionRow[];
  milestones: { kind: string; title: string; achieved_on: string }[];
  generatedAt: string;
}): Promise<Buffer> {
  const s = input.sessions;
  const hours = s.reduce((a, x) => a + Number(x.hours), 0);
  const traineeHours = s.reduce((a, x) => a + Number(x.hours) * x.trainees, 0);
  const trainees = s.reduce((a, x) => a + x.trainees, 0);
  const certified = s.reduce((a, x) => a + x.certified, 0);
  const plans = [...new Map(s.filter((x) => x.plan_title).map((x) => [x.plan_title, x.plan_goal])).entries()];
  const cell = (text: string, bold = false) => ({ text, fontSize: 8, bold });
  const content: Content[] = [
    { text: 'Training evidence pack: B-1 specialized trainer', style: 'title' },
    { text: '교육 증빙 자료: B-1 전문 트레이너', style: 'title' },
    {
      text: [
        `Trainer / 트레이너: ${input.worker}\nEmployer / 고용주: ${input.employer}\nProject / 프로젝트: ${input.project}\n`,
        `Provision / 근거: ${TRAINER_CITATION}: temporary travel to train US workers in specialized or proprietary techniques for equipment, machinery or processes sourced from foreign companies / 외국 기업에서 들여온 장비·기계·공정의 전문 또는 독점 기술을 미국 근로자에게 교육하기 위한 일시 방문.\n`,
        `Generated from the contribution ledger / 기여 원장에서 생성: ${input.generatedAt} (UTC)`,
      ],
      style: 'meta',
    },
    { text: 'Summary / 요약', style: 'heading' },
    {
      table: {
        widths: [200, '*'],
        body: [
          [cell('Sessions / 세션'), cell(String(s.length))],
          [cell('Hours given / 교육 시간'), cell(hours.toFixed(2))],
          [cell('US trainee places / 미국 교육생(연인원)'), cell(String(trainees))],
          [cell('Trainee-hours / 교육생·시간'), cell(traineeHours.toFixed(2))],
          [cell('Certified / 자격 취득'), cell(`${certified} (${trainees ? ((certified / trainees) * 100).toFixed(1) : '0.0'}%)`)], // prettier-ignore
          [cell('Period / 기간'), cell(`${s[0]!.held_on} – ${s.at(-1)!.held_on}`)],
        ],
      },
      layout: 'lightHorizontalLines',
    },
  ];
  if (plans.length) {
    content.push({ text: 'Training plans / 교육 계획', style: 'heading' });
    for (const [title, goal] of plans) content.push({ text: [{ text: `${title}: `, bold: true }, goal ?? ''], margin: [0, 0, 0, 4] }); // prettier-ignore
  }
  content.push(
    { text: 'Sessions / 세션', style: 'heading' },
    {
      table: {
        headerRows: 1,
        widths: [52, '*', 70, 30, 70, 34, 34],
        body: [
          ['Date / 날짜', 'Topic / 주제', 'Equipment / 장비', 'Hours / 시간', 'Place / 장소', 'Trainees / 교육생', 'Certified / 자격'].map((h) => cell(h, true)), // prettier-ignore
          ...s.map((x) => [
            cell(x.held_on),
            cell(x.skill ? `${x.topic} (${x.skill})` : x.topic),
            cell(x.equipment ?? '—'),
            cell(Number(x.hours).toFixed(2)),
            cell(x.place),
            cell(String(x.trainees)),
            cell(String(x.certified)),
          ]),
        ],
      },
      layout: 'lightHorizontalLines',
    },
  );
  if (input.milestones.length) {
    content.push({
      text: 'Knowledge-transfer milestones of the project / 프로젝트 기술 이전 이정표',
      style: 'heading',
    });
    content.push({
      ul: input.milestones.map((m) => {
        const kind = labels('milestoneKind', m.kind);
        return `${m.achieved_on}: ${m.title} (${kind.en} / ${kind.ko})`;
      }),
      fontSize: 8,
    });
  }
  content.push({
    text: 'Trainees are counted, not named: their names stay with the employer. / 교육생은 인원수로만 표시하며 이름은 고용주만 보관합니다.',
    style: 'meta',
    margin: [0, 10, 0, 0],
  });
  const doc: TDocumentDefinitions = {
    info: { title: 'Training evidence pack / 교육 증빙 자료', creator: 'KORUS Mobility' },
    pageSize: 'A4',
    pageMargins: [40, 40, 40, 40],
    defaultStyle: { font: FONT_FAMILY, fontSize: 9 },
    styles: {
      title: { fontSize: 15, bold: true, margin: [0, 0, 0, 2] },
      heading: { fontSize: 11, bold: true, margin: [0, 10, 0, 4] },
      meta: { fontSize: 8, color: '#444444', margin: [0, 4, 0, 8] },
    },
    content,
  };
  return renderPdf(doc);
}
