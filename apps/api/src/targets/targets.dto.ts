import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsDecimalNumber } from '@app/common';
import { IsDay } from '../platforms/platforms.dto';
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
  @ApiProperty({ type: Object, description: 'What is counted: kind (count|coverage|operators|sum), types, levelFloor, coverage, field' })
  definition: object;
  @ApiProperty({ type: RevisionDto, nullable: true, description: 'In force today' }) current: RevisionDto | null;
  @ApiProperty({ type: [RevisionDto], description: 'All revisions, oldest first' }) revisions: RevisionDto[];
}

class TargetProgressDto {
  @ApiProperty() code: string;
  @ApiProperty() nameZh: string;
  @ApiProperty() nameEn: string;
  @ApiProperty() unitZh: string;
  @ApiProperty({ enum: ['count', 'coverage', 'operators', 'sum'] }) kind: string;
  @ApiProperty({ type: Object }) definition: object;
  @ApiProperty() asOf: string;
  @ApiProperty() value: number;
  @ApiProperty({ type: Object, nullable: true, description: 'The revision in force on asOf' }) target: object | null;
  @ApiProperty({ nullable: true, type: Number }) gap: number | null;
  @ApiProperty({ type: [Object], description: '{ year, day, value }: end of each year since 2023, asOf for its year' }) series: object[];
  @ApiProperty({ type: Object, nullable: true, description: 'Straight line from the revision start to the target' }) plan: object | null;
  @ApiProperty({ nullable: true, type: Number }) plannedValue: number | null;
  @ApiProperty({ type: Object, nullable: true }) breakdown: object | null;
  @ApiProperty({ type: Object, nullable: true, description: '{ of, covered[], missing[] } for coverage targets' }) coverage: object | null;
  @ApiProperty({ type: Object, description: '{ pipeline[], expectedFromPipeline, projected, byDay, available }' }) forecast: object;
  @ApiProperty({ enum: ['achieved', 'on_track', 'at_risk', 'missed', 'no_target'] }) status: string;
}

export class ProgressReportDto {
  @ApiProperty() asOf: string;
  @ApiProperty({ nullable: true, enum: PROGRESS_BY }) by: string | null;
  @ApiProperty({ type: [TargetProgressDto] }) targets: TargetProgressDto[];
  @ApiProperty({
    type: Object,
    description: '{ available, stages[] }: dossiers in the pipeline (empty until the dossier workflow provides them)',
  })
  pipeline: object;
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
