import type { WorkerChecklist } from '../../../contract/pipeline.js';
import { ApiError } from '../../http/problem.js';
import type { ServiceContext } from '../context.js';
import { getCase } from './cases.js';
import { fieldError, type PipelineDeps } from './common.js';
import { uploadDocument, type Upload } from './documents.js';

/**
 * The worker's side of their case's documents (issue 18): the checklist of their own case (never another's: the
 * case scope of a worker is their own cases) and an upload for one of its items. The worker sees the documents of
 * the case by name and date; HR sees them on the case as any other, uploaded by the worker.
 */
export async function workerChecklist(
  ctx: ServiceContext,
  deps: PipelineDeps,
  caseId: string,
): Promise<WorkerChecklist> {
  const c = await getCase(ctx, deps, caseId);
  return {
    caseId: c.id,
    items: c.checklist,
    // Files attached to messages are read in the thread (an internal note's never reaches the worker).
    documents: c.documents
      .filter((d) => d.docType !== 'message_attachment')
      .map((d) => ({
        id: d.id,
        docType: d.docType,
        filename: d.filename,
        uploadedAt: d.uploadedAt,
        uploadedBy: d.uploadedBy,
      })),
  };
}

export async function workerUpload(
  ctx: ServiceContext,
  deps: PipelineDeps,
  caseId: string,
  docType: string,
  upload: Upload,
): Promise<WorkerChecklist> {
  const checklist = await workerChecklist(ctx, deps, caseId);
  // The questionnaire is answered, not uploaded.
  const item = checklist.items.find((i) => i.id === docType && i.source !== 'questionnaire');
  if (!item)
    throw new ApiError('request.invalid', {
      errors: [
        fieldError(
          'docType',
          "is not a document this case's checklist asks for",
          '이 사건의 서류 목록에 없는 서류입니다',
        ),
      ],
    });
  await uploadDocument(
    ctx,
    deps,
    caseId,
    { docType, ...(item.stageId ? { stageId: item.stageId } : {}) },
    upload,
  );
  return workerChecklist(ctx, deps, caseId);
}
