import { DomainError } from '@app/common';

export interface RowProblem {
  /** Spreadsheet row number (the header is row 1). */
  row: number;
  field: string;
  code: string;
  message: string;
}

export const RegistryErrors = {
  notFound: (id?: string): DomainError =>
    new DomainError('not_found', 'platform.not_found', '未找到该平台。Platform not found.', id ? { id } : {}),
  invalid: (field: string, code: string, message: string, details: Record<string, unknown> = {}): DomainError =>
    new DomainError('validation', `platform.${code}`, message, { field, ...details }),
  duplicate: (): DomainError =>
    new DomainError(
      'conflict',
      'platform.duplicate',
      '相同认定文号、名称和级别的平台已存在。A platform with this document number, name and level exists.',
    ),
  duplicateApplication: (): DomainError =>
    new DomainError('conflict', 'platform.application_already_recognised', '该申报已认定入库。This application is already recognised.'),
  alreadyRevoked: (): DomainError =>
    new DomainError('conflict', 'platform.already_revoked', '该平台已被撤销。This platform is already revoked.'),
  rectificationNotFound: (id: string): DomainError =>
    new DomainError('not_found', 'platform.rectification_not_found', '未找到该整改。Rectification not found.', { id }),
  rectificationClosed: (status: string): DomainError =>
    new DomainError('conflict', 'platform.rectification_closed', '该整改已结束。This rectification is already closed.', { status }),
  duplicateReport: (year: number): DomainError =>
    new DomainError('conflict', 'platform.report_exists', `${year}年度报告已提交。The report for ${year} has been filed.`, { year }),
  duplicateEvaluation: (year: number): DomainError =>
    new DomainError('conflict', 'platform.evaluation_exists', `${year}年度已评价。The ${year} evaluation exists.`, { year }),
  noThreshold: (type: string, year: number): DomainError =>
    new DomainError(
      'unprocessable',
      'platform.no_evaluation_threshold',
      `未配置该类平台${year}年度的评价标准。No thresholds for this type and year.`,
      { type, year },
    ),
  reportNotDue: (year: number, due: string): DomainError =>
    new DomainError(
      'unprocessable',
      'platform.report_not_yet_due',
      `${year}年度报告截止日期（${due}）未到，暂不能评价。The report is not due yet.`,
      { year, due },
    ),
  importInvalid: (problems: RowProblem[], total: number): DomainError =>
    new DomainError(
      'validation',
      'platform.import_invalid',
      `导入文件有${problems.length}处问题，未导入任何数据。The file has ${problems.length} problems; nothing was imported.`,
      {
        total,
        problems,
      },
    ),
  missingColumns: (columns: { column: string; headers: string[] }[]): DomainError =>
    new DomainError(
      'validation',
      'platform.import_missing_columns',
      `缺少必填列：${columns.map((c) => c.headers[0]).join('、')}。Required columns are missing.`,
      {
        columns,
      },
    ),
  importFile: (
    code: string,
    message: string,
    kind: 'validation' | 'unsupported_media' | 'too_large' = 'validation',
    details: Record<string, unknown> = {},
  ): DomainError => new DomainError(kind, `platform.import_${code}`, message, details),
};
