import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
import type { Call } from '@app/applications';
import { PageQuery, pageDtoOf, type Page } from '@app/common';
import { PLATFORM_LEVELS, PLATFORM_TYPE_CODES } from '@app/reference';

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

class CallFields {
  @ApiProperty({ example: '2027年度温州市科技企业孵化器认定' }) @IsString() @MinLength(2) @MaxLength(200) title: string;
  @ApiProperty({ example: '2027-03-01T00:00:00+08:00' }) @Type(() => Date) @IsDate() opensAt: Date;
  @ApiProperty({ example: '2027-04-30T17:00:00+08:00' }) @Type(() => Date) @IsDate() closesAt: Date;
  @ApiPropertyOptional({ example: '2027-05-20', nullable: true }) @IsOptional() @IsISO8601({ strict: true }) countyReviewDeadline?:
    string | null;
  @ApiPropertyOptional({ type: StageDurationsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => StageDurationsDto)
  stageDurations?: StageDurationsDto;
  @ApiPropertyOptional({ description: 'Recommendations allowed per county or zone code', example: { lucheng: 3 } })
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
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsISO8601({ strict: true }) countyReviewDeadline?: string | null;
  @ApiPropertyOptional({ type: StageDurationsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => StageDurationsDto)
  stageDurations?: StageDurationsDto;
  @ApiPropertyOptional() @IsOptional() @IsObject() quotaPerCounty?: Record<string, number> | null;
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
  @ApiProperty() platformType: string;
  @ApiProperty() level: string;
  @ApiProperty() year: number;
  @ApiProperty() title: string;
  @ApiProperty() opensAt: string;
  @ApiProperty() closesAt: string;
  @ApiProperty({ nullable: true, type: String }) countyReviewDeadline: string | null;
  @ApiProperty() stageDurations: Record<string, number>;
  @ApiProperty({ nullable: true, type: Object }) quotaPerCounty: Record<string, number> | null;
  @ApiProperty({ type: [RequiredDocumentDto] }) requiredDocuments: RequiredDocumentDto[];
  @ApiProperty({ description: 'Eligibility rules in force (DOMAIN.md §6)' }) eligibilityRules: unknown[];
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
    quotaPerCounty: call.quotaPerCounty,
    requiredDocuments: call.requiredDocuments,
    eligibilityRules: call.eligibilityRules,
    workflowId: call.workflowId,
    status: call.status,
  };
}
