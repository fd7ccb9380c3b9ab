import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsDecimalNumber } from '@app/common';
import { IsDay } from '../platforms/platforms.dto';
import { PLATFORM_LEVELS, PLATFORM_TYPE_CODES } from '@app/reference';
import type { ProgressReport, TargetProgress, TargetRevision, TargetWithRevisions } from '@app/targets';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
export const PROGRESS_BY = ['county', 'industry', 'level', 'year'] as const;

export class ProgressQuery {
  @ApiPropertyOptional({ example: '2025-12-31', description: 'Default: today (Asia/Shanghai)' })
  @IsOptional()
  @IsDay()
  asOf?: string;

  @ApiPropertyOptional({ enum: PROGRESS_BY })
  @IsOptional()
  @IsIn(PROGRESS_BY)
  by?: (typeof PROGRESS_BY)[number];
}

export class TargetCodeParams {
  @ApiProperty({ pattern: '^[a-z0-9_.]{1,48}$', example: 'platforms.incubator' })
  @IsString()
  @Matches(/^[a-z0-9_.]{1,48}$/, { message: '目标代码无效。Invalid target code.' })
  code: string;
}

export class RevisionInputDto {
  @ApiProperty({ example: 100, description: 'The new target value' })
  @IsDecimalNumber(2)
  @Min(0)
  @Max(1e12)
  value: number;

  @ApiProperty({ example: '2027-12-31' })
  @IsDay()
  dueOn: string;

  @ApiProperty({ example: '温科发〔2025〕8号' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  sourceDocumentNumber: string;

  @ApiProperty({ example: '2025-03-01' })
  @IsDay()
  sourceDocumentDate: string;

  @ApiPropertyOptional({ example: '2026-12-01', description: 'Default today; never before today' })
  @IsOptional()
  @IsDay()
  effectiveFrom?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class TargetDefinitionDto {
  @ApiProperty({ enum: ['count', 'coverage', 'operators', 'sum'] }) kind: string;
  @ApiPropertyOptional({ enum: PLATFORM_TYPE_CODES, isArray: true, description: 'Platform types counted (all but operators)' })
  types?: string[];
  @ApiProperty({ enum: PLATFORM_LEVELS, description: 'Lowest level counted' }) levelFloor: string;
  @ApiPropertyOptional({ enum: ['county', 'industry'], description: 'coverage: what must each have one' }) coverage?: string;
  @ApiPropertyOptional({ enum: ['incubated_enterprises', 'area_m2'], description: 'sum: the reported figure summed' }) field?: string;
}

export class RevisionInForceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() value: number;
  @ApiProperty({ format: 'date' }) dueOn: string;
  @ApiProperty() sourceDocumentNumber: string;
  @ApiProperty({ format: 'date' }) sourceDocumentDate: string;
  @ApiProperty({ format: 'date' }) effectiveFrom: string;
}

export class SeriesPointDto {
  @ApiProperty({ example: 2025 }) year: number;
  @ApiProperty({ format: 'date', example: '2025-12-31' }) day: string;
  @ApiProperty() value: number;
}

export class DayValueDto {
  @ApiProperty({ format: 'date' }) day: string;
  @ApiProperty() value: number;
}

export class PlanLineDto {
  @ApiProperty({ type: DayValueDto }) from: DayValueDto;
  @ApiProperty({ type: DayValueDto }) to: DayValueDto;
}

export class BreakdownItemDto {
  @ApiProperty() key: string;
  @ApiProperty() nameZh: string;
  @ApiProperty() value: number;
}

export class BreakdownDto {
  @ApiProperty({ enum: PROGRESS_BY }) by: string;
  @ApiProperty({ type: [BreakdownItemDto] }) items: BreakdownItemDto[];
}

export class NamedCodeDto {
  @ApiProperty() code: string;
  @ApiProperty() nameZh: string;
}

export class CoverageDto {
  @ApiProperty({ description: 'How many there are to cover' }) of: number;
  @ApiProperty({ type: [NamedCodeDto] }) covered: NamedCodeDto[];
  @ApiProperty({ type: [NamedCodeDto] }) missing: NamedCodeDto[];
}

export class PipelineStageDto {
  @ApiProperty() stage: string;
  @ApiProperty() nameZh: string;
  @ApiProperty({ description: 'Dossiers now at this stage that would count if recognised' }) count: number;
  @ApiProperty({ minimum: 0, maximum: 1, description: 'Share that went on from this stage to recognition, historically' }) passRate: number;
}

export class ForecastDto {
  @ApiProperty({ type: [PipelineStageDto] }) pipeline: PipelineStageDto[];
  @ApiProperty() expectedFromPipeline: number;
  @ApiProperty() projected: number;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) byDay: string | null;
  @ApiProperty() available: boolean;
}

export class PipelineDto {
  @ApiProperty({ description: 'False until the dossier workflow provides the stages' }) available: boolean;
  @ApiProperty({ type: [PipelineStageDto] }) stages: PipelineStageDto[];
}

export class RevisionDto {
  @ApiProperty() id: string;
  @ApiProperty() value: number;
  @ApiProperty() dueOn: string;
  @ApiProperty() sourceDocumentNumber: string;
  @ApiProperty() sourceDocumentDate: string;
  @ApiProperty() effectiveFrom: string;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty() createdAt: string;
}

export class TargetDto {
  @ApiProperty({ example: 'key_lab.municipal_plus' }) code: string;
  @ApiProperty() nameZh: string;
  @ApiProperty() nameEn: string;
  @ApiProperty() unitZh: string;
  @ApiProperty({ type: TargetDefinitionDto, description: 'What is counted' }) definition: TargetDefinitionDto;
  @ApiProperty({ type: RevisionDto, nullable: true, description: 'In force today' }) current: RevisionDto | null;
  @ApiProperty({ type: [RevisionDto], description: 'All revisions, oldest first' }) revisions: RevisionDto[];
}

class TargetProgressDto {
  @ApiProperty() code: string;
  @ApiProperty() nameZh: string;
  @ApiProperty() nameEn: string;
  @ApiProperty() unitZh: string;
  @ApiProperty({ enum: ['count', 'coverage', 'operators', 'sum'] }) kind: string;
  @ApiProperty({ type: TargetDefinitionDto }) definition: TargetDefinitionDto;
  @ApiProperty() asOf: string;
  @ApiProperty() value: number;
  @ApiProperty({ type: RevisionInForceDto, nullable: true, description: 'The revision in force on asOf' })
  target: RevisionInForceDto | null;
  @ApiProperty({ nullable: true, type: Number }) gap: number | null;
  @ApiProperty({ type: [SeriesPointDto], description: 'End of each year since 2023, asOf for its year' }) series: SeriesPointDto[];
  @ApiProperty({ type: PlanLineDto, nullable: true, description: 'Straight line from the revision start to the target' })
  plan: PlanLineDto | null;
  @ApiProperty({ nullable: true, type: Number }) plannedValue: number | null;
  @ApiProperty({ type: BreakdownDto, nullable: true }) breakdown: BreakdownDto | null;
  @ApiProperty({ type: CoverageDto, nullable: true, description: 'For coverage targets' }) coverage: CoverageDto | null;
  @ApiProperty({ type: ForecastDto }) forecast: ForecastDto;
  @ApiProperty({ enum: ['achieved', 'on_track', 'at_risk', 'missed', 'no_target'] }) status: string;
}

export class ProgressReportDto {
  @ApiProperty() asOf: string;
  @ApiProperty({ nullable: true, enum: PROGRESS_BY }) by: string | null;
  @ApiProperty({ type: [TargetProgressDto] }) targets: TargetProgressDto[];
  @ApiProperty({ type: PipelineDto, description: 'Dossiers in the pipeline' }) pipeline: PipelineDto;
}

export function mapRevision(r: TargetRevision): RevisionDto {
  return {
    id: r.id,
    value: r.value,
    dueOn: r.dueOn,
    sourceDocumentNumber: r.sourceDocumentNumber,
    sourceDocumentDate: r.sourceDocumentDate,
    effectiveFrom: r.effectiveFrom,
    note: r.note,
    createdAt: r.createdAt.toISOString(),
  };
}

export function mapTarget(t: TargetWithRevisions): TargetDto {
  return {
    code: t.target.code,
    nameZh: t.target.nameZh,
    nameEn: t.target.nameEn,
    unitZh: t.target.unitZh,
    definition: t.target.definition,
    current: t.current ? mapRevision(t.current) : null,
    revisions: t.revisions.map(mapRevision),
  };
}

const mapProgress = (p: TargetProgress): TargetProgressDto => ({ ...p });

export function mapProgressReport(r: ProgressReport): ProgressReportDto {
  return { asOf: r.asOf, by: r.by, targets: r.targets.map(mapProgress), pipeline: r.pipeline };
}
