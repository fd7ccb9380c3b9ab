import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';
import { IsDecimalNumber, PageQuery, isIsoDay, pageDtoOf, type Page } from '@app/common';
import { PLATFORM_LEVELS, PLATFORM_TYPE_CODES, type PlatformLevel, type PlatformTypeCode } from '@app/reference';
import {
  type AnnualReport,
  CHANGE_FIELDS,
  type ChangeField,
  type EvaluationOutcome,
  type ImportReport,
  PLATFORM_STATUSES,
  type Platform,
  type PlatformChange,
  type PlatformDetail,
  type PlatformStatus,
  RECTIFICATION_STATUSES,
  REVOCATION_REASONS,
  type RectificationOutcome,
  type RevocationReason,
  type Evaluation,
  type Rectification,
} from '@app/registry';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MESSAGE = '日期格式须为YYYY-MM-DD。Use YYYY-MM-DD.';
const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** A real calendar day written YYYY-MM-DD (2025-02-30 is refused). */
export function IsDay(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDay',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && DAY.test(value) && isIsoDay(value),
        defaultMessage: () => DAY_MESSAGE,
      },
    },
    options,
  );
}

/** A flat object of non-negative numbers (Torch statistics), at most 60 entries. */
function IsNumberRecord(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNumberRecord',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.keys(value).length <= 60 &&
          Object.entries(value).every(
            ([key, v]) => key.length > 0 && key.length <= 64 && typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1e13,
          ),
        defaultMessage: () => 'torch须为"指标: 非负数值"的对象（最多60项）。torch must map names to non-negative numbers.',
      },
    },
    options,
  );
}

class PlatformFilterFields {
  @ApiPropertyOptional({ enum: PLATFORM_TYPE_CODES })
  @IsOptional()
  @IsIn(PLATFORM_TYPE_CODES)
  type?: PlatformTypeCode;

  @ApiPropertyOptional({ enum: PLATFORM_LEVELS })
  @IsOptional()
  @IsIn(PLATFORM_LEVELS)
  level?: PlatformLevel;

  @ApiPropertyOptional({ enum: PLATFORM_STATUSES })
  @IsOptional()
  @IsIn(PLATFORM_STATUSES)
  status?: PlatformStatus;

  @ApiPropertyOptional({ description: 'County counted toward (includes its zones)', example: 'longwan' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  county?: string;

  @ApiPropertyOptional({ description: 'Industry code', example: 'emerg.digital' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  industry?: string;

  @ApiPropertyOptional({ description: 'Recognition year', example: 2025 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1990)
  @Max(2100)
  year?: number;

  @ApiPropertyOptional({ description: 'Name contains' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class PlatformListQuery extends IntersectionType(PageQuery, PlatformFilterFields) {}

export class PlatformExportQuery extends PlatformFilterFields {
  @ApiPropertyOptional({ enum: ['csv', 'xlsx'], default: 'xlsx' })
  @IsOptional()
  @IsIn(['csv', 'xlsx'])
  format: 'csv' | 'xlsx' = 'xlsx';
}

export class PlatformIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

export class ImportQuery {
  @ApiPropertyOptional({ description: 'Check and report only; store nothing', default: false })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' || value === true ? true : value === 'false' || value === false ? false : value))
  @IsIn([true, false], { message: 'dryRun须为true或false。dryRun must be true or false.' })
  dryRun?: boolean;
}

export class ReportInputDto {
  @ApiProperty({ example: 2025 })
  @IsInt()
  @Min(1990)
  @Max(2100)
  year: number;

  @ApiPropertyOptional({ description: '在孵企业数', example: 120 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  incubatedEnterprises?: number;

  @ApiPropertyOptional({ description: '毕业企业数', example: 8 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  graduatedEnterprises?: number;

  @ApiPropertyOptional({ description: '孵化场地面积（平方米）', example: 12000 })
  @IsOptional()
  @IsDecimalNumber(2)
  @Min(0)
  @Max(1e9)
  areaM2?: number;

  @ApiPropertyOptional({ example: 25 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  staff?: number;

  @ApiPropertyOptional({ description: '研发投入（元）' })
  @IsOptional()
  @IsDecimalNumber(2)
  @Min(0)
  @Max(1e13)
  rdSpendYuan?: number;

  @ApiPropertyOptional({ description: '融资额（元）' })
  @IsOptional()
  @IsDecimalNumber(2)
  @Min(0)
  @Max(1e13)
  financingYuan?: number;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'number', minimum: 0 },
    description: '火炬统计 (incubators and maker spaces)',
    example: { 在孵企业总收入_千元: 350000 },
  })
  @IsOptional()
  @IsObject()
  @IsNumberRecord()
  torch?: Record<string, number>;
}

export class EvaluationInputDto {
  @ApiProperty({ example: 2025 })
  @IsInt()
  @Min(1990)
  @Max(2100)
  year: number;

  @ApiPropertyOptional({
    description: 'Required unless no report was filed or the key lab is in its build period',
    minimum: 0,
    maximum: 100,
  })
  @IsOptional()
  @IsDecimalNumber(2)
  @Min(0)
  @Max(100)
  score?: number;

  @ApiPropertyOptional({ example: '2026-06-30', description: 'Defaults to today (Asia/Shanghai)' })
  @IsOptional()
  @IsDay()
  evaluatedOn?: string;
}

export class RevocationInputDto {
  @ApiProperty({ enum: REVOCATION_REASONS })
  @IsIn(REVOCATION_REASONS)
  reason: RevocationReason;

  @ApiProperty({ example: '2026-03-31', description: 'Stops counting from this day' })
  @IsDay()
  revokedOn: string;

  @ApiPropertyOptional({ example: '温科发〔2026〕12号' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  documentNumber?: string;

  @ApiPropertyOptional({ description: 'Fraud only: years of re-application ban (default 3)', minimum: 1, maximum: 10 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  banYears?: number;
}

export class RectificationClosingDto {
  @ApiProperty({ enum: ['passed', 'failed'], description: 'The follow-up finding: passed closes it; failed suggests revocation' })
  @IsIn(['passed', 'failed'])
  outcome: 'passed' | 'failed';

  @ApiPropertyOptional({ example: '2026-09-30', description: 'Day of the follow-up finding (default today)' })
  @IsOptional()
  @IsDay()
  closedOn?: string;

  @ApiPropertyOptional({ maxLength: 2000, description: 'The finding; required when failed' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 2000)
  note?: string;
}

export class ChangeInputDto {
  @ApiProperty({ enum: CHANGE_FIELDS })
  @IsIn(CHANGE_FIELDS)
  field: ChangeField;

  @ApiProperty({ example: '温州瓯江科技企业孵化器' })
  @Transform(trim)
  @IsString()
  @Length(1, 300)
  newValue: string;

  @ApiProperty({ example: '2026-05-01' })
  @IsDay()
  changedOn: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  documentNumber?: string;
}

export class RevocationSuggestionDto {
  @ApiProperty({ enum: REVOCATION_REASONS }) reason: string;
  @ApiProperty({ example: '2026-09-30' }) suggestedOn: string;
}

export class PlatformDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: PLATFORM_TYPE_CODES }) type: string;
  @ApiProperty({ enum: PLATFORM_LEVELS }) level: string;
  @ApiProperty({ nullable: true, type: String }) subtype: string | null;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) organisationId: string | null;
  @ApiProperty() organisationName: string;
  @ApiProperty({ nullable: true, type: String }) creditCode: string | null;
  @ApiProperty() regionCode: string;
  @ApiProperty({ description: 'County counted toward' }) countyCode: string;
  @ApiProperty({ type: [String] }) industries: string[];
  @ApiProperty({ example: '2024-06-30' }) recognisedOn: string;
  @ApiProperty() documentNumber: string;
  @ApiProperty({ enum: PLATFORM_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: String }) revokedOn: string | null;
  @ApiProperty({ nullable: true, enum: REVOCATION_REASONS }) revocationReason: string | null;
  @ApiProperty({ nullable: true, type: String }) revocationDocumentNumber: string | null;
  @ApiProperty({ nullable: true, type: String }) reapplicationBannedUntil: string | null;
  @ApiProperty({
    type: RevocationSuggestionDto,
    nullable: true,
    description: 'A ground for revocation the registry found (two failing grades, a failed rectification); cleared on revocation',
  })
  revocationSuggestion: RevocationSuggestionDto | null;
  @ApiProperty({ nullable: true, type: String }) promotedFromId: string | null;
  @ApiProperty({ description: 'Root of the promotion chain: counts once' }) lineageId: string;
  @ApiProperty({ nullable: true, type: String }) applicationId: string | null;
  @ApiProperty() professionalOperator: boolean;
  @ApiProperty({ enum: ['import', 'procedure'] }) source: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export const PlatformPageDto = pageDtoOf(PlatformDto, 'PlatformPageDto');
export type PlatformPageDto = Page<PlatformDto>;

export class AnnualReportDto {
  @ApiProperty() id: string;
  @ApiProperty() platformId: string;
  @ApiProperty() year: number;
  @ApiProperty() filedOn: string;
  @ApiProperty({ nullable: true, type: Number }) incubatedEnterprises: number | null;
  @ApiProperty({ nullable: true, type: Number }) graduatedEnterprises: number | null;
  @ApiProperty({ nullable: true, type: Number }) areaM2: number | null;
  @ApiProperty({ nullable: true, type: Number }) staff: number | null;
  @ApiProperty({ nullable: true, type: Number }) rdSpendYuan: number | null;
  @ApiProperty({ nullable: true, type: Number }) financingYuan: number | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: '火炬统计' }) torch: Record<string, number>;
}

export class EvaluationDto {
  @ApiProperty() id: string;
  @ApiProperty() year: number;
  @ApiProperty({ nullable: true, type: Number }) score: number | null;
  @ApiProperty({ enum: ['A', 'B', 'C', 'D', 'not_evaluated', 'absent'] }) grade: string;
  @ApiProperty() evaluatedOn: string;
}

export class RectificationDto {
  @ApiProperty() id: string;
  @ApiProperty() evaluationId: string;
  @ApiProperty() openedOn: string;
  @ApiProperty() deadline: string;
  @ApiProperty({ enum: RECTIFICATION_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: String }) closedOn: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The follow-up finding' }) closingNote: string | null;
}

export class RectificationOutcomeDto {
  @ApiProperty({ type: RectificationDto }) rectification: RectificationDto;
  @ApiProperty({ nullable: true, enum: REVOCATION_REASONS, description: 'failed_rectification when it failed' })
  suggestedRevocation: string | null;
}

export class EvaluationOutcomeDto {
  @ApiProperty({ type: EvaluationDto }) evaluation: EvaluationDto;
  @ApiProperty({ type: RectificationDto, nullable: true }) rectification: RectificationDto | null;
  @ApiProperty({ nullable: true, enum: REVOCATION_REASONS, description: 'failed_twice after a second failing grade in a row' })
  suggestedRevocation: string | null;
}

export class PlatformChangeDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: CHANGE_FIELDS }) field: string;
  @ApiProperty({ nullable: true, type: String }) oldValue: string | null;
  @ApiProperty() newValue: string;
  @ApiProperty() changedOn: string;
  @ApiProperty({ nullable: true, type: String }) documentNumber: string | null;
}

export class PlatformDetailDto extends PlatformDto {
  @ApiProperty({ type: [PlatformDto], description: 'Records promoted from this one' }) promotedTo: PlatformDto[];
  @ApiProperty({ type: [PlatformChangeDto] }) changes: PlatformChangeDto[];
  @ApiProperty({ type: [AnnualReportDto] }) reports: AnnualReportDto[];
  @ApiProperty({ type: [EvaluationDto] }) evaluations: EvaluationDto[];
  @ApiProperty({ type: [RectificationDto] }) rectifications: RectificationDto[];
}

class RowProblemDto {
  @ApiProperty({ description: 'Spreadsheet row (header is row 1)' }) row: number;
  @ApiProperty() field: string;
  @ApiProperty() code: string;
  @ApiProperty() message: string;
}

export class ImportReportDto {
  @ApiProperty() dryRun: boolean;
  @ApiProperty({ enum: ['csv', 'xlsx'] }) format: string;
  @ApiProperty() total: number;
  @ApiProperty() valid: number;
  @ApiProperty() created: number;
  @ApiProperty() unchanged: number;
  @ApiProperty() toCreate: number;
  @ApiProperty({ type: [RowProblemDto] }) problems: RowProblemDto[];
}

export function mapPlatform(p: Platform): PlatformDto {
  return {
    id: p.id,
    type: p.type,
    level: p.level,
    subtype: p.subtype,
    name: p.name,
    organisationId: p.organisationId,
    organisationName: p.organisationName,
    creditCode: p.creditCode,
    regionCode: p.regionCode,
    countyCode: p.countyCode,
    industries: p.industries,
    recognisedOn: p.recognisedOn,
    documentNumber: p.documentNumber,
    status: p.status,
    revokedOn: p.revokedOn,
    revocationReason: p.revocationReason,
    revocationDocumentNumber: p.revocationDocumentNumber,
    reapplicationBannedUntil: p.reapplicationBannedUntil,
    revocationSuggestion:
      p.revocationSuggestedReason && p.revocationSuggestedOn
        ? { reason: p.revocationSuggestedReason, suggestedOn: p.revocationSuggestedOn }
        : null,
    promotedFromId: p.promotedFromId,
    lineageId: p.lineageId,
    applicationId: p.applicationId,
    professionalOperator: p.professionalOperator,
    source: p.source,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function mapReport(r: AnnualReport): AnnualReportDto {
  const { id, platformId, year, filedOn, incubatedEnterprises, graduatedEnterprises, areaM2, staff, rdSpendYuan, financingYuan, torch } = r;
  return { id, platformId, year, filedOn, incubatedEnterprises, graduatedEnterprises, areaM2, staff, rdSpendYuan, financingYuan, torch };
}

export function mapEvaluation(e: Evaluation): EvaluationDto {
  return { id: e.id, year: e.year, score: e.score, grade: e.grade, evaluatedOn: e.evaluatedOn };
}

export function mapRectification(r: Rectification): RectificationDto {
  return {
    id: r.id,
    evaluationId: r.evaluationId,
    openedOn: r.openedOn,
    deadline: r.deadline,
    status: r.status,
    closedOn: r.closedOn,
    closingNote: r.closingNote,
  };
}

export function mapRectificationOutcome(o: RectificationOutcome): RectificationOutcomeDto {
  return { rectification: mapRectification(o.rectification), suggestedRevocation: o.suggestedRevocation };
}

export function mapChange(c: PlatformChange): PlatformChangeDto {
  return { id: c.id, field: c.field, oldValue: c.oldValue, newValue: c.newValue, changedOn: c.changedOn, documentNumber: c.documentNumber };
}

export function mapDetail(d: PlatformDetail): PlatformDetailDto {
  return {
    ...mapPlatform(d.platform),
    promotedTo: d.promotedTo.map(mapPlatform),
    changes: d.changes.map(mapChange),
    reports: d.reports.map(mapReport),
    evaluations: d.evaluations.map(mapEvaluation),
    rectifications: d.rectifications.map(mapRectification),
  };
}

export function mapOutcome(o: EvaluationOutcome): EvaluationOutcomeDto {
  return {
    evaluation: mapEvaluation(o.evaluation),
    rectification: o.rectification ? mapRectification(o.rectification) : null,
    suggestedRevocation: o.suggestedRevocation,
  };
}

export function mapImportReport(r: ImportReport): ImportReportDto {
  return { ...r };
}
