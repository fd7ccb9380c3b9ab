import { type ZipLimits, type ZipSummary, inspectZip } from './zip-inspection';

export type OoxmlKind = 'xlsx' | 'docx';

/** The part each kind of Office package must have, and the content type [Content_Types].xml must give it. */
export const OOXML_MAIN_PARTS: Record<OoxmlKind, { part: string; contentType: string }> = {
  xlsx: { part: 'xl/workbook.xml', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml' },
  docx: { part: 'word/document.xml', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml' },
};

const CONTENT_TYPES = '[content_types].xml';

/** What makes a zip not an Office package of `kind`, or null when it is one. */
export function ooxmlProblem(summary: ZipSummary, kind: OoxmlKind): { missing: string } | null {
  const main = OOXML_MAIN_PARTS[kind];
  const names = new Map(summary.names.map((name) => [name.toLowerCase(), name]));
  const contentTypes = names.get(CONTENT_TYPES);
  if (!contentTypes) return { missing: '[Content_Types].xml' };
  if (!names.has(main.part)) return { missing: main.part };
  const declared = summary.kept.get(contentTypes)?.toString('utf8') ?? '';
  if (!declared.includes(main.contentType)) return { missing: main.contentType };
  return null;
}

/**
 * Inspects a zip within `limits` (see inspectZip), keeping [Content_Types].xml to check the package
 * declares its main part. Throws ZipInspectionError for a bomb or a broken archive.
 */
export function inspectOoxml(source: string | Buffer, limits: ZipLimits): Promise<ZipSummary> {
  return inspectZip(source, limits, (name) => name.toLowerCase() === CONTENT_TYPES);
}
