import type { FastifyRequest } from 'fastify';
import { ApiError } from './problem.js';

/**
 * The one file of a multipart request (field "file"), read whole: for spreadsheets, bounded by the route's
 * multipart limits (a file over the limit is `import.too_large`; none is `document.missing_file`).
 */
export async function uploadedSpreadsheet(
  request: FastifyRequest,
): Promise<{ bytes: Buffer; fileName: string }> {
  if (!request.isMultipart()) throw new ApiError('document.missing_file');
  const file = await request.file();
  if (!file) throw new ApiError('document.missing_file');
  try {
    return { bytes: await file.toBuffer(), fileName: file.filename };
  } catch {
    throw new ApiError('import.too_large');
  }
}
