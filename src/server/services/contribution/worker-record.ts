import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { TrainingSession } from '../../../contract/contribution.js';
import { ApiError } from '../../http/problem.js';
import { FONT_FAMILY, renderPdf } from '../../letters/pdf.js';
import type { ServiceContext } from '../context.js';
import type { PipelineDeps } from '../pipeline/common.js';
import { sessionOf } from './ledger.js';

/**
 * A worker's own record of the training they gave (issue 20, item 5): every session with its hours, trainees and
 * certifications, and the totals; exportable as a bilingual PDF for their career and a later immigrant petition
 * (evidence of experience). Counts only: the trainees' names stay with the employer.
 */
export interface TrainingRecord {
  worker: { name: string; nameHangul: string };
  totals: { sessions: number; hours: number; trainees: number; traineeHours: number; certified: number; from: string | null; to: string | null }; // prettier-ignore
  sessions: TrainingSession[];
}

export async function ownTrainingRecord(
  ctx: ServiceContext,
  deps: Pick<PipelineDeps, 'cipher'>,
): Promise<TrainingRecord> {
  // prettier-ignore
  const [worker] = await ctx.db.query<{ id: string; name: string; name_hangul: string }>(
    `SELECT id, family_name || ' ' || given_name AS name, name_hangul FROM workers WHERE user_id = $1`,
    [ctx.actor.userId],
  );
  if (!worker) throw new ApiError('resource.not_found');
  const rows = await ctx.db.query<Record<string, unknown>>(
    `SELECT e.*, o.name AS org, p.name AS project_name, tp.title AS plan_title,
            w.name_hangul || ' · ' || w.family_name || ' ' || w.given_name AS trainer_name, NULL AS names
       FROM training_sessions e JOIN projects p ON p.id = e.project_id JOIN organizations o ON o.id = e.organization_id
       JOIN workers w ON w.id = e.trainer_worker_id LEFT JOIN training_plans tp ON tp.id = e.plan_id
      WHERE e.trainer_worker_id = $1 ORDER BY e.held_on DESC, e.created_at DESC`,
    [worker.id],
  );
  const sessions = rows.map((r) => sessionOf(r, null, deps));
  const hours = sessions.reduce((a, s) => a + s.hours, 0);
  return {
    worker: { name: worker.name, nameHangul: worker.name_hangul },
    totals: {
      sessions: sessions.length,
      hours,
      trainees: sessions.reduce((a, s) => a + s.trainees, 0),
      traineeHours: sessions.reduce((a, s) => a + s.trainees * s.hours, 0),
      certified: sessions.reduce((a, s) => a + s.certified, 0),
      from: sessions.at(-1)?.heldOn ?? null,
      to: sessions[0]?.heldOn ?? null,
    },
    sessions: sessions.map((s) => ({ ...s, traineeNames: null })),
  };
}

export async function trainingRecordPdf(record: TrainingRecord, generatedAt: string): Promise<Buffer> {
  const t = record.totals;
  const cell = (text: string, bold = false) => ({ text, fontSize: 8, bold });
  const content: Content[] = [
    { text: 'Record of training given / 교육 실적 기록', fontSize: 15, bold: true },
    {
      text: `${record.worker.nameHangul} · ${record.worker.name}\nFrom the employer's contribution ledger / 고용주의 기여 원장 기준 · ${generatedAt} (UTC)`,
      fontSize: 8,
      color: '#444444',
      margin: [0, 4, 0, 8],
    },
    {
      table: {
        widths: [200, '*'],
        body: [
          [cell('Sessions / 세션'), cell(String(t.sessions))],
          [cell('Hours given / 교육 시간'), cell(t.hours.toFixed(2))],
          [cell('US trainee places / 미국 교육생(연인원)'), cell(String(t.trainees))],
          [cell('Trainee-hours / 교육생·시간'), cell(t.traineeHours.toFixed(2))],
          [cell('Certified / 자격 취득'), cell(String(t.certified))],
          [cell('Period / 기간'), cell(t.from ? `${t.from} – ${t.to}` : '—')],
        ],
      },
      layout: 'lightHorizontalLines',
    },
    { text: 'Sessions / 세션', bold: true, fontSize: 11, margin: [0, 10, 0, 4] },
    {
      table: {
        headerRows: 1,
        widths: [52, '*', 80, 30, 34, 34],
        body: [
          ['Date / 날짜', 'Topic / 주제', 'Project / 프로젝트', 'Hours / 시간', 'Trainees / 교육생', 'Certified / 자격'].map((h) => cell(h, true)), // prettier-ignore
          ...record.sessions.map((s) => [cell(s.heldOn), cell(s.equipment ? `${s.topic} (${s.equipment})` : s.topic), cell(s.projectName), cell(s.hours.toFixed(2)), cell(String(s.trainees)), cell(String(s.certified))]), // prettier-ignore
        ],
      },
      layout: 'lightHorizontalLines',
    },
  ];
  const doc: TDocumentDefinitions = {
    info: { title: 'Record of training given / 교육 실적 기록', creator: 'KORUS Mobility' },
    pageSize: 'A4',
    pageMargins: [40, 40, 40, 40],
    defaultStyle: { font: FONT_FAMILY, fontSize: 9 },
    content,
  };
  return renderPdf(doc);
}
