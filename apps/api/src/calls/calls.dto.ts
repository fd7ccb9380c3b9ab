import { ApiExtraModels, ApiProperty, ApiPropertyOptional, type ApiPropertyOptions, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { type Call, ruleSource } from '@app/applications';
import { PageQuery, pageDtoOf, type Page } from '@app/common';
import { PLATFORM_LEVELS, PLATFORM_TYPE_CODES } from '@app/reference';
import { type Provenance, durationSources } from '@app/workflow';

export class StageDurationsDto {
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(250) county_review?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(250) formal_review?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(250) expert_review?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(250) site_inspection?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(250) decision?: number;
  @ApiPropertyOptional({ description: 'Working days of the public notice (default 5)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  public_notice?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(250) revision?: number;
}

export class RequiredDocumentDto {
  @ApiProperty({ example: 'business_licence' }) @IsString() @Matches(/^[a-z][a-z0-9_]{1,63}$/) code: string;
  @ApiProperty({ example: '营业执照' }) @IsString() @MinLength(1) @MaxLength(100) nameZh: string;
  @ApiProperty({ example: 'Business licence' }) @IsString() @MinLength(1) @MaxLength(100) nameEn: string;
  @ApiProperty() @IsBoolean() required: boolean;
}

const QUOTA_PER_COUNTY = {
  type: 'object',
  additionalProperties: { type: 'integer', minimum: 0 },
  nullable: true,
  description: 'Recommendations allowed per county or zone code; null: no quota',
  example: { lucheng: 3 },
} as const;

const WHEN_VALUE = { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] };

/** A document and its article; the article is null when the document is known but the article was not found. */
export class SourceRefDto {
  @ApiProperty({ example: '科技企业孵化器管理办法（国科发区〔2018〕300号）' }) document: string;
  @ApiProperty({ type: String, nullable: true, example: '第九条' }) article: string | null;
}

/** Where a default comes from: `{ document, article }`, `assumption` (no text found), or `call` (set by this call). */
const PROVENANCE: ApiPropertyOptions = {
  oneOf: [{ $ref: getSchemaPath(SourceRefDto) }, { type: 'string', enum: ['assumption', 'call'] }],
};

export class StageDurationSourcesDto {
  @ApiProperty(PROVENANCE) county_review: Provenance;
  @ApiProperty(PROVENANCE) formal_review: Provenance;
  @ApiProperty(PROVENANCE) expert_review: Provenance;
  @ApiProperty(PROVENANCE) site_inspection: Provenance;
  @ApiProperty(PROVENANCE) decision: Provenance;
  @ApiProperty(PROVENANCE) public_notice: Provenance;
  @ApiProperty(PROVENANCE) revision: Provenance;
}

export class RuleConditionDto {
  @ApiProperty({ example: 'subtype' }) field: string;
  @ApiProperty({ ...WHEN_VALUE, example: 'specialised' }) equals: string | number | boolean;
}

/** A pre-check as data: a failed hard rule blocks submission, a soft one warns. */
@ApiExtraModels(SourceRefDto)
export class EligibilityRuleDto {
  @ApiProperty({ example: 'incubator.area' }) id: string;
  @ApiProperty({ example: 'areaM2', description: 'The form field it reads' }) field: string;
  @ApiProperty({ enum: ['>=', '<=', '==', 'in'] }) operator: string;
  @ApiProperty({
    oneOf: [
      { type: 'number' },
      { type: 'boolean' },
      { type: 'string' },
      { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'number' }] } },
    ],
    example: 3000,
  })
  value: number | boolean | string | (string | number)[];
  @ApiProperty({ enum: ['hard', 'soft'] }) severity: 'hard' | 'soft';
  @ApiProperty() messageZh: string;
  @ApiProperty() messageEn: string;
  @ApiPropertyOptional({ type: RuleConditionDto, description: 'Applies only when another field has this value' }) when?: RuleConditionDto;
  @ApiProperty({ ...PROVENANCE, description: 'Where the threshold comes from: document and article, or assumption' } as ApiPropertyOptions)
  source: Provenance;
}

class CallFields {
  @ApiProperty({ example: '2027年度温州市科技企业孵化器认定' }) @IsString() @MinLength(2) @MaxLength(200) title: string;
  @ApiProperty({ example: '2027-03-01T00:00:00+08:00' }) @Type(() => Date) @IsDate() opensAt: Date;
  @ApiProperty({ example: '2027-04-30T17:00:00+08:00' }) @Type(() => Date) @IsDate() closesAt: Date;
  @ApiPropertyOptional({ type: String, format: 'date', example: '2027-05-20', nullable: true, description: 'Last day of county review' })
  @IsOptional()
  @IsISO8601({ strict: true })
  countyReviewDeadline?: string | null;
  @ApiPropertyOptional({ type: StageDurationsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => StageDurationsDto)
  stageDurations?: StageDurationsDto;
  @ApiPropertyOptional(QUOTA_PER_COUNTY)
  @IsOptional()
  @IsObject()
  quotaPerCounty?: Record<string, number> | null;
  @ApiPropertyOptional({ type: [RequiredDocumentDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => RequiredDocumentDto)
  requiredDocuments?: RequiredDocumentDto[];
}

export class CreateCallRequest extends CallFields {
  @ApiProperty({ enum: PLATFORM_TYPE_CODES }) @IsIn(PLATFORM_TYPE_CODES) platformType: string;
  @ApiProperty({ enum: PLATFORM_LEVELS }) @IsIn(PLATFORM_LEVELS) level: string;
  @ApiProperty({ example: 2027 }) @IsInt() @Min(2020) @Max(2100) year: number;
}

export class UpdateCallRequest {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(2) @MaxLength(200) title?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Date) @IsDate() opensAt?: Date;
  @ApiPropertyOptional() @IsOptional() @Type(() => Date) @IsDate() closesAt?: Date;
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, example: '2027-05-20' })
  @IsOptional()
  @IsISO8601({ strict: true })
  countyReviewDeadline?: string | null;
  @ApiPropertyOptional({ type: StageDurationsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => StageDurationsDto)
  stageDurations?: StageDurationsDto;
  @ApiPropertyOptional(QUOTA_PER_COUNTY) @IsOptional() @IsObject() quotaPerCounty?: Record<string, number> | null;
  @ApiPropertyOptional({ type: [RequiredDocumentDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => RequiredDocumentDto)
  requiredDocuments?: RequiredDocumentDto[];
  @ApiPropertyOptional({ enum: ['draft', 'open', 'closed'], description: 'draft -> open -> closed' })
  @IsOptional()
  @IsIn(['draft', 'open', 'closed'])
  status?: 'draft' | 'open' | 'closed';
}

export class CallQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PLATFORM_TYPE_CODES }) @IsOptional() @IsIn(PLATFORM_TYPE_CODES) platformType?: string;
  @ApiPropertyOptional({ enum: PLATFORM_LEVELS }) @IsOptional() @IsIn(PLATFORM_LEVELS) level?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year?: number;
  @ApiPropertyOptional({ enum: ['draft', 'open', 'closed'] }) @IsOptional() @IsIn(['draft', 'open', 'closed']) status?:
    'draft' | 'open' | 'closed';
}

export class CallDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: PLATFORM_TYPE_CODES }) platformType: string;
  @ApiProperty({ enum: PLATFORM_LEVELS }) level: string;
  @ApiProperty() year: number;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date-time' }) opensAt: string;
  @ApiProperty({ format: 'date-time' }) closesAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) countyReviewDeadline: string | null;
  @ApiProperty({ type: StageDurationsDto, description: 'Working days per stage' }) stageDurations: Record<string, number>;
  @ApiProperty({
    type: StageDurationSourcesDto,
    description:
      'Where each duration comes from: the default’s source (document and article, or assumption), or call when set by this call',
  })
  stageDurationSources: StageDurationSourcesDto;
  @ApiProperty({ ...QUOTA_PER_COUNTY, example: undefined }) quotaPerCounty: Record<string, number> | null;
  @ApiProperty({ type: [RequiredDocumentDto] }) requiredDocuments: RequiredDocumentDto[];
  @ApiProperty({ type: [EligibilityRuleDto], description: 'Eligibility rules in force' }) eligibilityRules: EligibilityRuleDto[];
  @ApiProperty() workflowId: string;
  @ApiProperty({ enum: ['draft', 'open', 'closed'] }) status: string;
}

export const CallPageDto = pageDtoOf(CallDto, 'CallPageDto');
export type CallPageDto = Page<CallDto>;

export function mapCall(call: Call): CallDto {
  return {
    id: call.id,
    platformType: call.platformType,
    level: call.level,
    year: call.year,
    title: call.title,
    opensAt: call.opensAt.toISOString(),
    closesAt: call.closesAt.toISOString(),
    countyReviewDeadline: call.countyReviewDeadline,
    stageDurations: { ...call.stageDurations },
    stageDurationSources: durationSources(call.stageDurations),
    quotaPerCounty: call.quotaPerCounty,
    requiredDocuments: call.requiredDocuments,
    eligibilityRules: call.eligibilityRules.map((rule) => ({ ...rule, source: ruleSource(rule) })),
    workflowId: call.workflowId,
    status: call.status,
  };
}
