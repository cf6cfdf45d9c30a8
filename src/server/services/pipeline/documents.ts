import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { CaseDocument } from '../../../contract/pipeline.js';
import { recordAudit } from '../../audit/audit.js';
import { ApiError } from '../../http/problem.js';
import { auditContextOf, iso, type ServiceContext } from '../context.js';
import { fieldError, nowOf, type PipelineDeps } from './common.js';
import { caseScope } from './scope.js';

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
const DOCUMENT_CONTEXT = 'case_documents.file';

/** The accepted types, recognised by their first bytes (the declared type and the name must agree). */
const kinds = [
  { type: 'application/pdf', ext: ['pdf'], magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: 'image/jpeg', ext: ['jpg', 'jpeg'], magic: [0xff, 0xd8, 0xff] },
  { type: 'image/png', ext: ['png'], magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
] as const;

export function sniff(head: Uint8Array): (typeof kinds)[number] | undefined {
  return kinds.find((k) => k.magic.every((byte, i) => head[i] === byte));
}

/** A file name safe to show and to put in a Content-Disposition header. */
export function safeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'document';
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '_')
    .trim()
    .slice(0, 150);
  return cleaned || 'document';
}

export interface Upload {
  filename: string;
  mimetype: string;
  stream: Readable;
}

async function visibleCaseOwner(ctx: ServiceContext, caseId: string): Promise<{ organization_id: string }> {
  const scope = caseScope(ctx.actor, 'c', 2);
  const [row] = await ctx.db.query<{ organization_id: string }>(
    `SELECT c.organization_id FROM cases c WHERE c.id = $1 AND ${scope.sql}`,
    [caseId, ...scope.params],
  );
  if (!row) throw new ApiError('resource.not_found');
  return row;
}

/** A file written encrypted under the uploads folder, checked, not yet in place (`temp` until the caller renames). */
export interface StoredUpload {
  id: string;
  temp: string;
  storageKey: string;
  sha256: string;
  size: number;
  contentType: string;
  filename: string;
}

/**
 * Streams an upload into `uploadsDir/folder`, encrypted with the field key ring under `context` as it is written,
 * while its SHA-256 and size are computed (at most 10 MB), and checks it by content (PDF, JPEG, PNG; the declared
 * type and the name must agree). On any problem the file is removed and an ApiError says why, with path `file`.
 * The caller records it and renames `temp` to `uploadsDir/storageKey` in its transaction (and removes `temp` if
 * that fails).
 */
export async function writeEncryptedUpload(
  deps: Pick<PipelineDeps, 'uploadsDir' | 'cipher'>,
  folder: string,
  upload: Upload,
  context: string,
): Promise<StoredUpload> {
  const dir = join(deps.uploadsDir, folder);
  await mkdir(dir, { recursive: true });
  const id = randomUUID();
  const temp = join(dir, `.${id}.part`);
  const hash = createHash('sha256');
  let size = 0;
  let head = new Uint8Array(0);
  let tooLarge = false;
  const encryptor = deps.cipher.fileEncryptor(context);
  const file = await open(temp, 'wx', 0o600);
  try {
    await file.write(encryptor.header);
    for await (const chunk of upload.stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_DOCUMENT_BYTES) {
        tooLarge = true;
        upload.stream.resume();
        break;
      }
      if (head.length < 16) head = Buffer.concat([head, chunk.subarray(0, 16)]);
      hash.update(chunk);
      await file.write(encryptor.update(chunk));
    }
    await file.write(encryptor.final());
  } finally {
    await file.close();
  }
  const truncated = (upload.stream as Readable & { truncated?: boolean }).truncated === true;
  try {
    if (tooLarge || truncated)
      throw new ApiError('document.too_large', {
        errors: [fieldError('file', 'is larger than 10 MB', '10MB를 넘습니다', 'too_large')],
      });
    if (size === 0)
      throw new ApiError('document.missing_file', {
        errors: [fieldError('file', 'is empty', '비어 있습니다', 'required')],
      });
    const kind = sniff(head);
    const filename = safeFilename(upload.filename);
    const ext = filename.toLowerCase().split('.').pop() ?? '';
    if (!kind || kind.type !== upload.mimetype || !(kind.ext as readonly string[]).includes(ext)) {
      throw new ApiError('document.type_not_allowed', {
        errors: [
          fieldError(
            'file',
            'must be a PDF, JPEG or PNG whose content, type and name agree',
            'PDF, JPEG, PNG 파일이어야 하며 내용·형식·이름이 일치해야 합니다',
            'type',
          ),
        ],
      });
    }
    return { id, temp, storageKey: `${folder}/${id}`, sha256: hash.digest('hex'), size, contentType: kind.type, filename }; // prettier-ignore
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Stores an uploaded document for a case: streamed to a temporary file under the uploads folder while its
 * SHA-256 and size are computed (at most 10 MB), checked by content (PDF, JPEG, PNG only, and the declared type
 * must match), then recorded in one transaction with an audit event and moved into place. On any failure the
 * file is removed and nothing is recorded.
 */
export async function uploadDocument(
  ctx: ServiceContext,
  deps: PipelineDeps,
  caseId: string,
  meta: { docType: string; stageId?: string; expiresOn?: string },
  upload: Upload,
): Promise<CaseDocument> {
  const owner = await visibleCaseOwner(ctx, caseId);
  const stored = await writeEncryptedUpload(deps, caseId, upload, DOCUMENT_CONTEXT);
  const { id, temp, storageKey, sha256, size, filename } = stored;
  const kind = { type: stored.contentType };
  try {
    const now = nowOf(deps);
    const document = await ctx.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO case_documents (id, case_id, stage_id, doc_type, filename, content_type, size, sha256, storage_key,
           expires_on, uploaded_by, uploaded_by_label, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          id,
          caseId,
          meta.stageId ?? null,
          meta.docType,
          filename,
          kind.type,
          size,
          sha256,
          storageKey,
          meta.expiresOn ?? null,
          ctx.actor.userId,
          ctx.actor.email,
          now.toISOString(),
        ],
      );
      await recordAudit(tx, auditContextOf(ctx), {
        action: 'document.upload',
        targetType: 'case_document',
        targetId: id,
        organizationId: owner.organization_id,
        details: {
          caseId,
          docType: meta.docType,
          stageId: meta.stageId ?? null,
          size,
          sha256,
          contentType: kind.type,
        },
      });
      await rename(temp, join(deps.uploadsDir, storageKey));
      return {
        id,
        caseId,
        stageId: meta.stageId ?? null,
        docType: meta.docType,
        filename,
        contentType: kind.type,
        size,
        sha256,
        expiresOn: meta.expiresOn ?? null,
        uploadedAt: iso(now)!,
        uploadedBy: ctx.actor.email,
      };
    });
    return document;
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** A visible document's bytes, for download (the route always sends it as an attachment). */
export async function openDocument(
  ctx: ServiceContext,
  deps: PipelineDeps,
  id: string,
): Promise<{ filename: string; contentType: string; size: number; sha256: string; body: Buffer }> {
  const scope = caseScope(ctx.actor, 'c', 2);
  const [row] = await ctx.db.query<{
    filename: string;
    content_type: string;
    size: number;
    sha256: string;
    storage_key: string;
    organization_id: string;
    case_id: string;
  }>(
    `SELECT d.filename, d.content_type, d.size, d.sha256, d.storage_key, c.organization_id, c.id AS case_id
       FROM case_documents d JOIN cases c ON c.id = d.case_id WHERE d.id = $1 AND ${scope.sql}`,
    [id, ...scope.params],
  );
  if (!row) throw new ApiError('resource.not_found');
  // The file may be missing (a restore without the uploads folder): a 404 that says so, not a 500.
  let stored: Buffer;
  try {
    stored = await readFile(join(deps.uploadsDir, row.storage_key));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ApiError('document.file_missing');
    throw error;
  }
  const body = deps.cipher.decryptFile(stored, DOCUMENT_CONTEXT);
  await ctx.db.transaction((tx) =>
    recordAudit(tx, auditContextOf(ctx), {
      action: 'document.download',
      targetType: 'case_document',
      targetId: id,
      organizationId: row.organization_id,
      details: { caseId: row.case_id },
    }),
  );
  return {
    filename: row.filename,
    contentType: row.content_type,
    size: row.size,
    sha256: row.sha256.trim(),
    body,
  };
}
