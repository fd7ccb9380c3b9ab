import { open } from 'node:fs/promises';
import { type OoxmlKind, ZIP_SIZE_PROBLEMS, type ZipLimits, ZipInspectionError, inspectOoxml, ooxmlProblem } from '@app/common';
import { AttachmentErrors } from './attachments.errors';
import { inspectPdf } from './pdf-inspection';

/** A file type we accept, as detected from the bytes, with the extensions a file of that type may carry. */
export interface AllowedType {
  ext: string;
  mime: string;
  extensions: readonly string[];
}

/**
 * The allow-list (QUALITY.md, Security §6). XLSX and DOCX are zip containers: file-type looks into
 * the archive and names them; a plain zip, or any other archive or executable, is refused.
 */
export const ALLOWED_TYPES: readonly AllowedType[] = [
  { ext: 'pdf', mime: 'application/pdf', extensions: ['pdf'] },
  { ext: 'jpg', mime: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
  { ext: 'png', mime: 'image/png', extensions: ['png'] },
  { ext: 'xlsx', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'] },
  { ext: 'docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'] },
];

const ALLOWED_EXTENSIONS = ALLOWED_TYPES.flatMap((type) => type.extensions);
const MAX_NAME_LENGTH = 255;

export interface CheckedFileName {
  /** Safe to show and to put in a Content-Disposition header (after encoding). */
  displayName: string;
  /** Lower-case extension without the dot, or null. */
  extension: string | null;
}

/**
 * Refuses names that try to say where the file goes (separators, `.`/`..`, NUL and other control
 * characters) and returns a display name without invisible formatting characters (bidi overrides
 * that make `exe.pdf` read as `fdp.exe`, zero-width spaces). The name never becomes a path.
 */
export function checkFileName(raw: string | undefined): CheckedFileName {
  if (raw === undefined || raw.length === 0) throw AttachmentErrors.invalidFileName('empty');
  if (raw.length > MAX_NAME_LENGTH) throw AttachmentErrors.invalidFileName('too_long');
  if (/[/\\]/.test(raw)) throw AttachmentErrors.invalidFileName('path_separator');
  // C0 and C1 controls and DEL, NUL included.
  if (/\p{Cc}/u.test(raw)) throw AttachmentErrors.invalidFileName('control_character');
  const displayName = raw
    .normalize('NFC')
    .replace(/\p{Cf}/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim();
  if (displayName === '' || /^\.+$/.test(displayName)) throw AttachmentErrors.invalidFileName('path_segment');
  const dot = displayName.lastIndexOf('.');
  const extension = dot > 0 && dot < displayName.length - 1 ? displayName.slice(dot + 1).toLowerCase() : null;
  return { displayName, extension };
}

/** Cheap early refusal, before any byte is stored: the name must at least claim an allowed type. */
export function checkClaimedExtension(extension: string | null): void {
  if (extension === null || !ALLOWED_EXTENSIONS.includes(extension)) {
    throw AttachmentErrors.unsupportedType(null, ALLOWED_EXTENSIONS);
  }
}

const MIB = 1_048_576;

/**
 * Bounds for XLSX and DOCX packages (zip): far above what Office writes for a dossier (a 20,000-row
 * sheet expands to about 13 MiB at a ratio under 20), far below what would hurt a reviewer's machine
 * or ours. A 1 GiB entry in a 1 MB file has a ratio of about 1,000.
 */
export const ATTACHMENT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 2_000,
  maxExpandedBytes: 256 * MIB,
  maxEntryRatio: 100,
  ratioFloorBytes: MIB,
};

/**
 * Detects the type from the stored bytes, checks it against the allow-list and the name's
 * extension, then checks the content really is of that type: a zip is bounded (entries, expanded
 * size, ratios) before anything inflates it, an XLSX or DOCX must be an Office package with its main
 * part, and a PDF must parse with at least one page. First bytes alone prove nothing.
 */
export async function detectAllowedType(path: string, extension: string | null): Promise<AllowedType> {
  const zip = await startsLikeZip(path);
  // Bounded first: file-type and any later reader look inside the archive.
  const archive = zip ? await inspectArchive(path) : null;
  // file-type is ESM-only: the build keeps this import() as is, jest turns it into require(). The
  // `/node` subpath has a plain `default` export condition, which jest's require() resolution needs.
  const { fileTypeFromFile } = await import('file-type/node');
  const detected = await fileTypeFromFile(path);
  const allowed = detected ? ALLOWED_TYPES.find((type) => type.mime === detected.mime && type.ext === detected.ext) : undefined;
  if (!allowed) throw AttachmentErrors.unsupportedType(detected?.mime ?? null, ALLOWED_EXTENSIONS);
  if (extension === null || !allowed.extensions.includes(extension)) throw AttachmentErrors.extensionMismatch(extension, allowed.ext);
  if (allowed.ext === 'xlsx' || allowed.ext === 'docx') {
    const kind: OoxmlKind = allowed.ext;
    const problem = archive ? ooxmlProblem(archive, kind) : { missing: 'zip' };
    if (problem) throw AttachmentErrors.notAnOfficeDocument(kind, problem.missing);
  }
  if (allowed.ext === 'pdf') await checkPdf(path);
  return allowed;
}

async function startsLikeZip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return bytesRead === 4 && buffer.readUInt32LE(0) === 0x04034b50;
  } finally {
    await handle.close();
  }
}

async function inspectArchive(path: string): ReturnType<typeof inspectOoxml> {
  try {
    return await inspectOoxml(path, ATTACHMENT_ZIP_LIMITS);
  } catch (error) {
    if (!(error instanceof ZipInspectionError)) throw error;
    if (ZIP_SIZE_PROBLEMS.includes(error.problem)) throw AttachmentErrors.archiveTooLarge(error.problem, error.details);
    throw AttachmentErrors.archiveInvalid(error.problem, error.details);
  }
}

/**
 * Encrypted PDFs are refused: the server cannot check what they hold, and reviewers may be unable
 * to open them (a user password) or to print and annotate them (restrictions).
 */
async function checkPdf(path: string): Promise<void> {
  const verdict = await inspectPdf(path);
  if (verdict.kind === 'not_a_pdf') throw AttachmentErrors.notAPdf(verdict.reason);
  if (verdict.kind === 'encrypted') throw AttachmentErrors.pdfEncrypted();
  if (verdict.kind === 'too_complex') throw AttachmentErrors.pdfTooComplex(verdict.reason);
}

/** `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<RFC 5987>`: never inline, never raw user text. */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
