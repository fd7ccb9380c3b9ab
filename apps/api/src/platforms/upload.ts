import { createHash } from 'node:crypto';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '@app/common';
import { fingerprintUpload } from '../idempotency/idempotent';

export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;

/**
 * Reads the one file of a multipart request into memory, within a size limit; fingerprints it for
 * Idempotency-Key. What the file expands to is the reader's to bound (PlatformImportService inspects
 * an XLSX before exceljs).
 */
export async function readSingleUpload(request: FastifyRequest, maxBytes: number): Promise<{ filename: string; body: Buffer }> {
  if (!request.isMultipart()) {
    throw new DomainError(
      'unsupported_media',
      'request.not_multipart',
      '请以multipart/form-data上传文件。Upload the file as multipart/form-data.',
    );
  }
  let file: MultipartFile | undefined;
  try {
    // Fields before the file are buffered by the parser: few and small, so only the file costs memory.
    file = await request.file({ limits: { fileSize: maxBytes, files: 1, fields: 5, fieldSize: 1024, parts: 6 } });
    if (!file) throw new DomainError('validation', 'request.no_file', '请求中没有文件。The request has no file.');
    const body = await file.toBuffer();
    fingerprintUpload(request, [file.filename, createHash('sha256').update(body).digest('hex')]);
    return { filename: file.filename, body };
  } catch (error) {
    if (error instanceof DomainError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT') {
      throw new DomainError(
        'too_large',
        'request.file_too_large',
        `文件超过${Math.round(maxBytes / 1024 / 1024)}MB上限。The file is too large.`,
        { maxBytes },
      );
    }
    throw new DomainError('validation', 'request.invalid_multipart', '上传内容无法读取。The upload cannot be read.');
  }
}
