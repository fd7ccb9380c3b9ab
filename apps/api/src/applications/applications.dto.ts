import { type Type, applyDecorators } from '@nestjs/common';
import { ApiBody, ApiExtraModels, OmitType, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import {
  type Application,
  type ApplicationDetail,
  type ApplicationEvent,
  type Attachment,
  FORM_CLASSES,
  type RuleResult,
  ANY_FORM_SCHEMA,
} from '@app/applications';
import { PageQuery, pageDtoOf, type Page } from '@app/common';
import { PLATFORM_LEVELS, PLATFORM_TYPE_CODES, type PlatformTypeCode } from '@app/reference';
import type { Platform } from '@app/registry';
import { ACTIONS, STAGES, type Action, type Stage } from '@app/workflow';
import { AttachmentDto, mapAttachment } from './attachments.dto';

const INDUSTRY_CODE = /^[a-z]+\.[a-z_]+$/;

const FORM_OF_TYPE: Record<PlatformTypeCode, Type> = FORM_CLASSES;

const ANY_FORM = ANY_FORM_SCHEMA;

const PLATFORM_TYPE_DESCRIPTION =
  "The platform type the form is filled for: the call's (new dossier) or the dossier's; another answers 422 application.platform_type_mismatch";

/** What the server validates; the document shows it as one variant per platform type (ApiDraftBody). */
export class CreateApplicationRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() callId: string;
  @ApiPropertyOptional({ enum: PLATFORM_TYPE_CODES, description: PLATFORM_TYPE_DESCRIPTION })
  @IsOptional()
  @IsIn(PLATFORM_TYPE_CODES)
  platformType?: PlatformTypeCode;
  @ApiProperty({ example: '瓯江科创孵化器' }) @IsString() @MinLength(2) @MaxLength(200) name: string;
  @ApiPropertyOptional({
    example: 'specialised',
    nullable: true,
    type: String,
    description: 'A subtype code of the platform type (GET /platform-types)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  subtype?: string | null;
  @ApiPropertyOptional({ example: ['emerg.digital'], type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(12)
  @Matches(INDUSTRY_CODE, { each: true })
  industries?: string[];
  @ApiPropertyOptional(ANY_FORM)
  @IsOptional()
  @IsObject()
  form?: Record<string, unknown>;
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      "For a promotion: a recognised platform of your organisation, of the call's type, active, at a lower level than the call's. " +
      'Otherwise 422 (application.promotion_source_unknown, promotion_type_mismatch, promotion_level_not_higher, promotion_source_revoked)',
  })
  @IsOptional()
  @IsUUID()
  promotedFromPlatformId?: string;
}

export class UpdateApplicationRequest {
  @ApiProperty({ description: 'The version you last saw; a stale one answers 409' }) @IsInt() @Min(1) expectedVersion: number;
  @ApiPropertyOptional({ enum: PLATFORM_TYPE_CODES, description: PLATFORM_TYPE_DESCRIPTION })
  @IsOptional()
  @IsIn(PLATFORM_TYPE_CODES)
  platformType?: PlatformTypeCode;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(2) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MaxLength(32) subtype?: string | null;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(12)
  @Matches(INDUSTRY_CODE, { each: true })
  industries?: string[];
  @ApiPropertyOptional(ANY_FORM) @IsOptional() @IsObject() form?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Sign (true) or withdraw (false) the integrity pledge 诚信承诺书' })
  @IsOptional()
  @IsBoolean()
  pledgeSigned?: boolean;
}

function pascal(code: string): string {
  return code.replace(/(?:^|_)([a-z])/g, (_match: string, letter: string) => letter.toUpperCase());
}

/**
 * One schema per platform type (`CreateIncubatorApplication`, ...) with platformType fixed and form typed, so a
 * generated client knows the form's fields from the type it names; the body is their oneOf, told apart by platformType.
 */
function variantsOf(kind: 'Create' | 'Update', base: Type): Record<PlatformTypeCode, Type> {
  return Object.fromEntries(
    PLATFORM_TYPE_CODES.map((type) => {
      class Variant extends OmitType(base as Type<{ platformType?: string; form?: unknown }>, ['platformType', 'form']) {}
      Object.defineProperty(Variant, 'name', { value: `${kind}${pascal(type)}Application` });
      ApiProperty({ enum: [type], description: PLATFORM_TYPE_DESCRIPTION })(Variant.prototype, 'platformType');
      ApiPropertyOptional({ type: () => FORM_OF_TYPE[type] })(Variant.prototype, 'form');
      return [type, Variant];
    }),
  ) as Record<PlatformTypeCode, Type>;
}

const DRAFT_VARIANTS = { Create: variantsOf('Create', CreateApplicationRequest), Update: variantsOf('Update', UpdateApplicationRequest) };

/** The body of the create and update routes: the oneOf of the platform types' variants, discriminated by platformType. */
export const ApiDraftBody = (kind: 'Create' | 'Update'): MethodDecorator => {
  const variants = DRAFT_VARIANTS[kind];
  return applyDecorators(
    ApiExtraModels(...Object.values(FORM_CLASSES), ...Object.values(variants)),
    ApiBody({
      schema: {
        oneOf: PLATFORM_TYPE_CODES.map((type) => ({ $ref: getSchemaPath(variants[type]) })),
        discriminator: {
          propertyName: 'platformType',
          mapping: Object.fromEntries(PLATFORM_TYPE_CODES.map((type) => [type, getSchemaPath(variants[type])])),
        },
      },
    }),
  );
};

export class SubmitRequest {
  @ApiProperty() @IsInt() @Min(1) expectedVersion: number;
}

export class ActionRequest {
  @ApiProperty({ enum: ACTIONS }) @IsIn(ACTIONS) action: Action;
  @ApiProperty() @IsInt() @Min(1) expectedVersion: number;
  @ApiPropertyOptional({ description: 'Reasons (required to return or reject)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
  @ApiPropertyOptional({
    description:
      'record_provincial_result only: the expert result is read from the closed panel (typed: 400 application.verdict_not_typed)',
  })
  @IsOptional()
  @IsBoolean()
  passed?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(100) score?: number;
  @ApiPropertyOptional({ description: 'close_notice: an objection was upheld' }) @IsOptional() @IsBoolean() objectionUpheld?: boolean;
  @ApiPropertyOptional({ example: '温科发〔2027〕12号' }) @IsOptional() @IsString() @MinLength(2) @MaxLength(64) documentNumber?: string;
  @ApiPropertyOptional({ example: '2027-06-30' }) @IsOptional() @IsISO8601({ strict: true }) recognisedOn?: string;
}

export class ApplicationQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() callId?: string;
  @ApiPropertyOptional({ enum: PLATFORM_TYPE_CODES }) @IsOptional() @IsIn(PLATFORM_TYPE_CODES) platformType?: string;
  @ApiPropertyOptional({ enum: PLATFORM_LEVELS }) @IsOptional() @IsIn(PLATFORM_LEVELS) level?: string;
  @ApiPropertyOptional({ enum: STAGES }) @IsOptional() @IsIn(STAGES) stage?: Stage;
  @ApiPropertyOptional({ description: 'County or zone code' }) @IsOptional() @Matches(/^[a-z_]{2,32}$/) county?: string;
  @ApiPropertyOptional({ example: 'emerg.digital' }) @IsOptional() @Matches(INDUSTRY_CODE) industry?: string;
  @ApiPropertyOptional({ description: 'Text in the name or the number' }) @IsOptional() @IsString() @MaxLength(100) q?: string;
}

@ApiExtraModels(...Object.values(FORM_CLASSES))
export class ApplicationDto {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String, example: 'WZ-INC-2027-0042' }) number: string | null;
  @ApiProperty() callId: string;
  @ApiProperty({ enum: PLATFORM_TYPE_CODES }) platformType: string;
  @ApiProperty({ enum: PLATFORM_LEVELS }) level: string;
  @ApiProperty() year: number;
  @ApiProperty() organisationId: string;
  @ApiProperty() regionCode: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) subtype: string | null;
  @ApiProperty({ type: [String] }) industries: string[];
  @ApiProperty({ ...ANY_FORM, description: 'The form of the platform type in platformType' }) form: Record<string, unknown>;
  @ApiProperty() pledgeSigned: boolean;
  @ApiProperty({ enum: STAGES }) stage: string;
  @ApiProperty({ nullable: true, type: String }) returnedFrom: string | null;
  @ApiProperty() round: number;
  @ApiProperty() version: number;
  @ApiProperty({ nullable: true, type: String }) stageDeadline: string | null;
  @ApiProperty({ nullable: true, type: String }) submittedAt: string | null;
  @ApiProperty({ enum: ACTIONS, isArray: true, description: 'What the caller may do now' }) availableActions: string[];
  @ApiProperty() workflowId: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The recognised platform this dossier promotes' })
  promotedFromPlatformId: string | null;
}

export class PromotedFromDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: PLATFORM_TYPE_CODES }) type: string;
  @ApiProperty({ enum: PLATFORM_LEVELS }) level: string;
  @ApiProperty({ example: '2024-01-15' }) recognisedOn: string;
  @ApiProperty({ description: 'The recognition document (认定文号)', example: '温科发〔2024〕12号' }) documentNumber: string;
  @ApiProperty({ enum: ['active', 'revoked'] }) status: string;
}

/** One dossier as GET /applications/:id shows it: with the platform it promotes. */
export class ApplicationDetailDto extends ApplicationDto {
  @ApiProperty({ type: PromotedFromDto, nullable: true, description: 'The recognised platform this dossier promotes, or null' })
  promotedFrom: PromotedFromDto | null;
}

export const ApplicationPageDto = pageDtoOf(ApplicationDto, 'ApplicationPageDto');
export type ApplicationPageDto = Page<ApplicationDto>;

export class EventDto {
  @ApiProperty() seq: number;
  @ApiProperty() action: string;
  @ApiProperty() fromStage: string;
  @ApiProperty() toStage: string;
  @ApiProperty() round: number;
  @ApiProperty() actorUserId: string;
  @ApiProperty() actorRole: string;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'What the action was given beyond its comment (passed, score, objectionUpheld, documentNumber, recognisedOn, ...)',
  })
  input: Record<string, unknown>;
  @ApiProperty() at: string;
}

@ApiExtraModels(AttachmentDto)
export class TimelineDto {
  @ApiProperty({ type: ApplicationDetailDto }) application: ApplicationDetailDto;
  @ApiProperty({ type: [EventDto] }) events: EventDto[];
  @ApiProperty({
    description: 'Attachments uploaded in each round, by round number; each one as GET /applications/:id/attachments shows it',
    type: 'object',
    additionalProperties: { type: 'array', items: { $ref: getSchemaPath(AttachmentDto) } },
  })
  attachmentsByRound: Record<number, AttachmentDto[]>;
}

const RULE_VALUE = {
  oneOf: [
    { type: 'number' },
    { type: 'boolean' },
    { type: 'string' },
    { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'number' }] } },
  ],
};

export class RuleResultDto {
  @ApiProperty({ example: 'incubator.area' }) ruleId: string;
  @ApiProperty({ example: 'areaM2', description: 'The form field the rule reads' }) field: string;
  @ApiProperty({ enum: ['hard', 'soft'], description: 'A failed hard rule blocks submission; a soft one warns' }) severity: 'hard' | 'soft';
  @ApiProperty() passed: boolean;
  @ApiProperty({
    anyOf: [{ type: 'number', nullable: true }, ...RULE_VALUE.oneOf.slice(1)],
    description: "The form's value (null when not filled)",
  })
  actual: unknown;
  @ApiProperty({ example: '>= 3000' }) expected: string;
  @ApiProperty({ description: '中文。English.' }) message: string;
}

export class EligibilityDto {
  @ApiProperty({ type: [RuleResultDto] }) results: RuleResult[];
  @ApiProperty() hardFailures: number;
  @ApiProperty() softFailures: number;
}

export function mapApplication(app: Application, availableActions: string[]): ApplicationDto {
  return {
    id: app.id,
    number: app.number,
    callId: app.callId,
    platformType: app.platformType,
    level: app.level,
    year: app.year,
    organisationId: app.organisationId,
    regionCode: app.regionCode,
    name: app.name,
    subtype: app.subtype,
    industries: app.industries,
    form: app.form,
    pledgeSigned: app.pledgeSignedAt !== null,
    stage: app.stage,
    returnedFrom: app.returnedFrom,
    round: app.round,
    version: app.version,
    stageDeadline: app.stageDeadline,
    submittedAt: app.submittedAt ? new Date(app.submittedAt).toISOString() : null,
    availableActions,
    workflowId: app.workflowId,
    updatedAt: new Date(app.updatedAt ?? Date.now()).toISOString(),
    promotedFromPlatformId: app.promotedFromPlatformId ?? null,
  };
}

export function mapPromotedFrom(platform: Platform): PromotedFromDto {
  return {
    id: platform.id,
    name: platform.name,
    type: platform.type,
    level: platform.level,
    recognisedOn: platform.recognisedOn,
    documentNumber: platform.documentNumber,
    status: platform.status,
  };
}

export function mapApplicationDetail(detail: ApplicationDetail, availableActions: string[]): ApplicationDetailDto {
  return {
    ...mapApplication(detail.application, availableActions),
    promotedFrom: detail.promotedFrom ? mapPromotedFrom(detail.promotedFrom) : null,
  };
}

/** The same mapping of an attachment as every other route (no storage key). */
export function mapAttachmentsByRound(byRound: Record<number, Attachment[]>): Record<number, AttachmentDto[]> {
  return Object.fromEntries(Object.entries(byRound).map(([round, attachments]) => [round, attachments.map(mapAttachment)]));
}

export function mapEvent(event: ApplicationEvent): EventDto {
  return {
    seq: event.seq,
    action: event.action,
    fromStage: event.fromStage,
    toStage: event.toStage,
    round: event.round,
    actorUserId: event.actorUserId,
    actorRole: event.actorRole,
    comment: event.comment,
    input: event.input,
    at: event.createdAt.toISOString(),
  };
}
