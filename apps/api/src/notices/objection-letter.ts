import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import { detectAllowedType } from '@app/applications';
import { DomainError } from '@app/common';
import { LETTER_MAX_BYTES, NoticeErrors } from '@app/notices';

/**
 * Reads an organisation's sealed letter from a multipart request and checks it as the dossiers'
 * attachments are checked (content, not first bytes: it must parse as an unencrypted PDF with a
 * page), within LETTER_MAX_BYTES. The notices lib sits beside applications, so the app layer checks.
 */
export async function readLetter(request: FastifyRequest): Promise<Buffer> {
  if (!request.isMultipart()) {
    throw new DomainError(
      'unsupported_media',
      'notice.letter_multipart_required',
      '请以 multipart/form-data 上传书面材料。Send the letter as multipart/form-data.',
    );
  }
  let bytes: Buffer;
  try {
    const part = await request.file({ limits: { fileSize: LETTER_MAX_BYTES + 1, files: 1, fields: 0, parts: 1 } });
    if (!part) throw NoticeErrors.letterNotPdf();
    bytes = await part.toBuffer();
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw NoticeErrors.letterTooLarge(LETTER_MAX_BYTES);
    throw error;
  }
  if (bytes.length > LETTER_MAX_BYTES) throw NoticeErrors.letterTooLarge(LETTER_MAX_BYTES);
  const folder = await mkdtemp(join(tmpdir(), 'ouflow-letter-'));
  try {
    const path = join(folder, 'letter.pdf');
    await writeFile(path, bytes);
    const type = await detectAllowedType(path, 'pdf').catch((error: unknown) => {
      if (error instanceof DomainError && (error.kind === 'unsupported_media' || error.kind === 'validation'))
        throw NoticeErrors.letterNotPdf();
      throw error;
    });
    if (type.ext !== 'pdf') throw NoticeErrors.letterNotPdf();
    return bytes;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
