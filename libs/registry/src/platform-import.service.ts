import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import ExcelJS from 'exceljs';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { Clock, ZIP_SIZE_PROBLEMS, type ZipLimits, ZipInspectionError, inspectOoxml, ooxmlProblem, shanghaiDay } from '@app/common';
import { inTransaction } from '@app/database';
import type { Actor } from '@app/identity';
import { Platform } from './platform.entity';
import { type Dictionaries, checkRecognition, dayProblem, loadDictionaries, resolveRevocationReason } from './platform-fields';
import { RegistryErrors, type RowProblem } from './registry.errors';
import { RegistryTallyService, operatorKeyOf } from './registry-tally.service';
import type { RevocationReason } from './registry.types';
import { OPERATOR_TYPES } from './tally';

export interface ImportFile {
  filename: string;
  body: Buffer;
}

export interface ImportReport {
  dryRun: boolean;
  format: 'csv' | 'xlsx';
  /** Data rows read (blank rows skipped). */
  total: number;
  /** Rows without problems. */
  valid: number;
  /** Rows stored by this run (0 in a dry run). */
  created: number;
  /** Rows already in the registry (same document number, name and level): left as they are. */
  unchanged: number;
  /** Rows a real run would store. */
  toCreate: number;
  problems: RowProblem[];
}

export const IMPORT_MAX_ROWS = 20_000;

/**
 * Bounds for an XLSX before exceljs reads it (exceljs holds the whole expanded workbook in memory):
 * a full sheet of IMPORT_MAX_ROWS rows expands to about 13 MiB at a ratio under 20.
 */
export const IMPORT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 1_000,
  maxExpandedBytes: 64 * 1_048_576,
  maxEntryRatio: 100,
  ratioFloorBytes: 1_048_576,
};

type Column =
  | 'type'
  | 'level'
  | 'subtype'
  | 'name'
  | 'organisationName'
  | 'creditCode'
  | 'regionCode'
  | 'industries'
  | 'recognisedOn'
  | 'documentNumber'
  | 'professionalOperator'
  | 'revokedOn'
  | 'revocationReason';

/** Accepted headers per column: Chinese as the bureau's sheets have them, or the API's field names. */
export const IMPORT_COLUMNS: Record<Column, { required: boolean; headers: string[] }> = {
  type: { required: true, headers: ['类型', '平台类型', 'type'] },
  level: { required: true, headers: ['级别', 'level'] },
  subtype: { required: false, headers: ['子类型', 'subtype'] },
  name: { required: true, headers: ['平台名称', '名称', 'name'] },
  organisationName: { required: true, headers: ['依托单位', '运营机构', '依托单位/运营机构', 'organisation_name', 'organisationname'] },
  creditCode: { required: false, headers: ['统一社会信用代码', 'credit_code', 'creditcode'] },
  regionCode: { required: true, headers: ['所在地区', '县（市、区）', '地区', 'region', 'region_code', 'regioncode'] },
  industries: { required: false, headers: ['产业领域', '产业', 'industries'] },
  recognisedOn: { required: true, headers: ['认定日期', 'recognised_on', 'recognisedon'] },
  documentNumber: { required: true, headers: ['认定文号', '文号', 'document_number', 'documentnumber'] },
  professionalOperator: { required: false, headers: ['专业运营机构', 'professional_operator', 'professionaloperator'] },
  revokedOn: { required: false, headers: ['撤销日期', 'revoked_on', 'revokedon'] },
  revocationReason: { required: false, headers: ['撤销原因', 'revocation_reason', 'revocationreason'] },
};

const YES = ['是', 'y', 'yes', 'true', '1'];
const NO = ['否', 'n', 'no', 'false', '0', ''];

interface ParsedRow {
  row: number;
  cells: Partial<Record<Column, string>>;
}

interface ReadyRow {
  row: number;
  platform: Platform;
}

/** The baseline import: the bureau's existing platforms from a CSV or XLSX file (DOMAIN.md §7). */
@Injectable()
export class PlatformImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tally: RegistryTallyService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Checks every row; a dry run only reports. A real run stores all new rows or, if any row has a
   * problem, nothing. Rows already in the registry are left alone, so importing twice adds nothing.
   */
  async import(actor: Actor, file: ImportFile, dryRun: boolean): Promise<ImportReport> {
    const format = detectFormat(file);
    const rows = format === 'xlsx' ? await readXlsx(file.body) : readCsv(file.body);
    const today = shanghaiDay(this.clock.now());
    const run = async (manager: EntityManager): Promise<ImportReport> => {
      if (!dryRun) await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', ['platform.import']);
      const dictionaries = await loadDictionaries(manager);
      const { problems, ready, total } = mapRows(rows, dictionaries, today);
      const existing = await existingKeys(
        manager,
        ready.map((r) => r.platform),
      );
      const fresh = ready.filter((r) => !existing.has(keyOf(r.platform)));
      const report: ImportReport = {
        dryRun,
        format,
        total,
        valid: ready.length,
        created: 0,
        unchanged: ready.length - fresh.length,
        toCreate: fresh.length,
        problems,
      };
      if (dryRun) return report;
      if (problems.length > 0) throw RegistryErrors.importInvalid(problems, total);
      if (fresh.length === 0) return report;
      const platforms = fresh.map((r) => r.platform);
      const operatorKeys = platforms.filter((p) => p.professionalOperator && OPERATOR_TYPES.includes(p.type)).map(operatorKeyOf);
      await this.tally.track(manager, { lineageIds: platforms.map((p) => p.lineageId), operatorKeys }, async () => {
        for (let start = 0; start < platforms.length; start += 500) await manager.insert(Platform, platforms.slice(start, start + 500));
      });
      await this.audit.record(
        manager,
        { userId: actor.userId, role: actor.role, ip: actor.ip },
        {
          action: 'platform.imported',
          objectType: 'platform_import',
          objectId: randomUUID(),
          summary: {
            filename: file.filename.slice(0, 200),
            sha256: createHash('sha256').update(file.body).digest('hex'),
            created: fresh.length,
            unchanged: report.unchanged,
          },
        },
      );
      return { ...report, created: fresh.length };
    };
    return dryRun ? run(this.dataSource.manager) : inTransaction(this.dataSource, run);
  }
}

const keyOf = (p: Pick<Platform, 'documentNumber' | 'name' | 'level'>): string => `${p.documentNumber}\u0000${p.name}\u0000${p.level}`;

async function existingKeys(manager: EntityManager, platforms: Platform[]): Promise<Set<string>> {
  if (platforms.length === 0) return new Set();
  const rows: { document_number: string; name: string; level: string }[] = await manager.query(
    `SELECT p.document_number, p.name, p.level FROM platform p
       JOIN unnest($1::varchar[], $2::varchar[], $3::varchar[]) AS k(document_number, name, level)
         ON p.document_number = k.document_number AND p.name = k.name AND p.level = k.level`,
    [platforms.map((p) => p.documentNumber), platforms.map((p) => p.name), platforms.map((p) => p.level)],
  );
  return new Set(rows.map((r) => keyOf({ documentNumber: r.document_number, name: r.name, level: r.level as Platform['level'] })));
}

function detectFormat(file: ImportFile): 'csv' | 'xlsx' {
  const name = file.filename.toLowerCase();
  const zip = file.body.length >= 4 && file.body.readUInt32BE(0) === 0x504b0304;
  if (name.endsWith('.xlsx')) {
    if (!zip) throw RegistryErrors.importFile('not_xlsx', '文件内容不是XLSX格式。The file is not an XLSX workbook.', 'unsupported_media');
    return 'xlsx';
  }
  if (name.endsWith('.csv')) {
    if (zip || file.body.includes(0))
      throw RegistryErrors.importFile('not_csv', '文件内容不是CSV文本。The file is not CSV text.', 'unsupported_media');
    return 'csv';
  }
  throw RegistryErrors.importFile('unsupported_type', '仅支持CSV或XLSX文件。Only CSV and XLSX files are accepted.', 'unsupported_media');
}

function normaliseHeader(value: string): string {
  return value.trim().toLowerCase().replace(/\s+/g, '').replace(/\*$/, '');
}

function toRows(matrix: string[][]): ParsedRow[] {
  const [header, ...body] = matrix;
  if (!header) throw RegistryErrors.importFile('empty', '文件为空。The file is empty.');
  const columns = new Map<number, Column>();
  header.forEach((cell, index) => {
    const normalised = normaliseHeader(cell);
    const column = (Object.keys(IMPORT_COLUMNS) as Column[]).find((c) =>
      IMPORT_COLUMNS[c].headers.some((h) => normaliseHeader(h) === normalised),
    );
    if (column && ![...columns.values()].includes(column)) columns.set(index, column);
  });
  const missing = (Object.keys(IMPORT_COLUMNS) as Column[]).filter((c) => IMPORT_COLUMNS[c].required && ![...columns.values()].includes(c));
  if (missing.length > 0) {
    throw RegistryErrors.missingColumns(missing.map((c) => ({ column: c, headers: IMPORT_COLUMNS[c].headers })));
  }
  if (body.length > IMPORT_MAX_ROWS) {
    throw RegistryErrors.importFile(
      'too_many_rows',
      `每次最多导入${IMPORT_MAX_ROWS}行。At most ${IMPORT_MAX_ROWS} rows per file.`,
      'too_large',
    );
  }
  const rows: ParsedRow[] = [];
  body.forEach((cells, index) => {
    if (cells.every((c) => c.trim() === '')) return;
    const parsed: ParsedRow = { row: index + 2, cells: {} };
    for (const [position, column] of columns) parsed.cells[column] = (cells[position] ?? '').trim();
    rows.push(parsed);
  });
  return rows;
}

/** The workbook's archive within IMPORT_ZIP_LIMITS and a real spreadsheet package, before exceljs inflates it. */
async function checkWorkbookArchive(body: Buffer): Promise<void> {
  let problem: { missing: string } | null;
  try {
    problem = ooxmlProblem(await inspectOoxml(body, IMPORT_ZIP_LIMITS), 'xlsx');
  } catch (error) {
    if (!(error instanceof ZipInspectionError)) throw error;
    if (ZIP_SIZE_PROBLEMS.includes(error.problem)) {
      throw RegistryErrors.importFile(
        'archive_too_large',
        `XLSX文件解压后超过上限（${IMPORT_ZIP_LIMITS.maxExpandedBytes / 1_048_576}MB、${IMPORT_ZIP_LIMITS.maxEntries}个条目、压缩比${IMPORT_ZIP_LIMITS.maxEntryRatio}）。The workbook expands beyond the limits.`,
        'too_large',
        { ...error.details, reason: error.problem },
      );
    }
    throw RegistryErrors.importFile('not_xlsx', '无法读取XLSX文件。The XLSX workbook cannot be read.', 'unsupported_media', {
      ...error.details,
      reason: error.problem,
    });
  }
  if (problem) {
    throw RegistryErrors.importFile(
      'not_xlsx',
      '文件不是有效的XLSX工作簿。The file is not an XLSX workbook.',
      'unsupported_media',
      problem,
    );
  }
}

async function readXlsx(body: Buffer): Promise<ParsedRow[]> {
  await checkWorkbookArchive(body);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(body as unknown as ArrayBuffer);
  } catch {
    throw RegistryErrors.importFile('not_xlsx', '无法读取XLSX文件。The XLSX workbook cannot be read.', 'unsupported_media');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw RegistryErrors.importFile('empty', '文件为空。The file is empty.');
  if (sheet.rowCount > IMPORT_MAX_ROWS + 1) {
    throw RegistryErrors.importFile(
      'too_many_rows',
      `每次最多导入${IMPORT_MAX_ROWS}行。At most ${IMPORT_MAX_ROWS} rows per file.`,
      'too_large',
    );
  }
  const matrix: string[][] = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= Math.max(row.cellCount, 1); c++) cells.push(cellText(row.getCell(c).value));
    matrix.push(cells);
  }
  return toRows(matrix);
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    return '';
  }
  return String(value);
}

function readCsv(body: Buffer): ParsedRow[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw RegistryErrors.importFile('not_utf8', 'CSV文件须为UTF-8编码。The CSV file must be UTF-8.');
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  return toRows(parseCsv(text));
}

/** RFC 4180: quoted fields, doubled quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const normaliseDay = (value: string): string => {
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(value.trim());
  return match ? `${match[1]}-${match[2].padStart(2, '0')}-${match[3].padStart(2, '0')}` : value.trim();
};

function mapRows(
  rows: ParsedRow[],
  dictionaries: Dictionaries,
  today: string,
): { problems: RowProblem[]; ready: ReadyRow[]; total: number } {
  const problems: RowProblem[] = [];
  const ready: ReadyRow[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of rows) {
    const get = (column: Column): string => cells[column] ?? '';
    const rowProblems: RowProblem[] = [];
    const recognisedOn = normaliseDay(get('recognisedOn'));
    const { problems: found, checked } = checkRecognition(
      dictionaries,
      {
        type: get('type'),
        level: get('level'),
        subtype: get('subtype') || null,
        name: get('name'),
        organisationName: get('organisationName'),
        creditCode: get('creditCode') || null,
        regionCode: get('regionCode'),
        industries: get('industries')
          .split(/[、,，;；|]/)
          .map((s) => s.trim())
          .filter((s) => s !== ''),
        recognisedOn,
        documentNumber: get('documentNumber'),
      },
      today,
    );
    rowProblems.push(...found.map((p) => ({ row, ...p })));
    const operatorText = get('professionalOperator').toLowerCase();
    const professionalOperator = YES.includes(operatorText);
    if (!professionalOperator && !NO.includes(operatorText)) {
      rowProblems.push({
        row,
        field: 'professionalOperator',
        code: 'invalid_boolean',
        message: `专业运营机构须填"是"或"否"：${get('professionalOperator')}。Use 是 or 否.`,
      });
    }
    let revokedOn: string | null = null;
    let reason: RevocationReason | null = null;
    if (get('revokedOn') !== '' || get('revocationReason') !== '') {
      revokedOn = normaliseDay(get('revokedOn'));
      const day = dayProblem('revokedOn', revokedOn, today, '撤销日期');
      if (day) rowProblems.push({ row, ...day });
      else if (revokedOn < recognisedOn)
        rowProblems.push({
          row,
          field: 'revokedOn',
          code: 'revoked_before_recognised',
          message: '撤销日期早于认定日期。Revoked before recognised.',
        });
      reason = resolveRevocationReason(get('revocationReason'));
      if (!reason)
        rowProblems.push({
          row,
          field: 'revocationReason',
          code: 'unknown_revocation_reason',
          message: `未知的撤销原因：${get('revocationReason')}。Unknown revocation reason.`,
        });
    }
    if (checked) {
      const key = `${get('documentNumber').trim()}\u0000${get('name').trim()}\u0000${checked.level}`;
      const first = seen.get(key);
      if (first !== undefined) {
        rowProblems.push({
          row,
          field: 'documentNumber',
          code: 'duplicate_row',
          message: `与第${first}行重复（认定文号、名称、级别相同）。Same as row ${first}.`,
        });
      } else seen.set(key, row);
    }
    if (rowProblems.length > 0 || !checked) {
      problems.push(...rowProblems);
      continue;
    }
    const id = randomUUID();
    const platform = Object.assign(new Platform(), {
      id,
      type: checked.type,
      level: checked.level,
      subtype: checked.subtype,
      name: get('name').trim(),
      organisationId: null,
      organisationName: get('organisationName').trim(),
      creditCode: checked.creditCode,
      regionCode: checked.regionCode,
      countyCode: checked.countyCode,
      industries: checked.industries,
      recognisedOn,
      documentNumber: get('documentNumber').trim(),
      status: revokedOn ? 'revoked' : 'active',
      revokedOn,
      revocationReason: reason,
      revocationDocumentNumber: null,
      reapplicationBannedUntil: null,
      promotedFromId: null,
      lineageId: id,
      applicationId: null,
      professionalOperator,
      source: 'import',
    } satisfies Partial<Platform>);
    ready.push({ row, platform });
  }
  return { problems, ready, total: rows.length };
}
