import { ApiExtraModels, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ANY_FORM_SCHEMA, type Attachment, type Application, FORM_CLASSES } from '@app/applications';
import { pageDtoOf, type Page } from '@app/common';
import {
  AVOIDANCE_RULES,
  type AggregationMethod,
  type AssignmentView,
  type AvoidanceRule,
  type CallRanking,
  type Declaration,
  type PanelResult,
  type PanelView,
  type PoolEntry,
  type Rubric,
  type Score,
} from '@app/reviews';

const REGION_CODE = /^[a-z][a-z0-9_]{1,31}$/;
const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
const CODE = /^[a-z][a-z0-9_.]{0,63}$/;

export class DeclaredLinkDto {
  @ApiPropertyOptional({ type: String, example: '温州某某科技有限公司', nullable: true }) @IsOptional() @IsString() @MaxLength(200) name:
    string | null = null;
  @ApiPropertyOptional({ type: String, example: '91330302MA2AXXXXXX', nullable: true })
  @IsOptional()
  @Matches(CREDIT_CODE)
  creditCode: string | null = null;
  @ApiPropertyOptional({
    type: String,
    format: 'date',
    example: '2024-06-30',
    nullable: true,
    description: 'Last day of the link; null while it lasts',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  until: string | null = null;
}

export class ExpertProfileRequest {
  @ApiPropertyOptional({ type: String, example: 'lucheng', nullable: true, description: 'County or zone code, for the same-county rule' })
  @IsOptional()
  @Matches(REGION_CODE)
  county: string | null = null;
  @ApiProperty() @IsBoolean() available: boolean;
  @ApiProperty({ example: 10, description: 'Panel seats a calendar year' }) @IsInt() @Min(0) @Max(100) yearlyCap: number;
  @ApiProperty({ type: [DeclaredLinkDto], description: 'Past or present employment and other links' })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => DeclaredLinkDto)
  declaredLinks: DeclaredLinkDto[];
}

export class ExpertDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty() disabled: boolean;
  @ApiProperty({ type: [String] }) expertise: string[];
  @ApiProperty({ nullable: true, type: String }) employerName: string | null;
  @ApiProperty({ nullable: true, type: String }) employerCreditCode: string | null;
  @ApiProperty({ nullable: true, type: String }) county: string | null;
  @ApiProperty() available: boolean;
  @ApiProperty() yearlyCap: number;
  @ApiProperty() reviewsThisYear: number;
  @ApiProperty({ type: [DeclaredLinkDto] }) declaredLinks: DeclaredLinkDto[];
  @ApiProperty({ description: 'False while the expert has no reviews profile (defaults apply)' }) profiled: boolean;
}
export const ExpertPageDto = pageDtoOf(ExpertDto, 'ExpertPageDto');
export type ExpertPageDto = Page<ExpertDto>;

export function mapExpert(entry: PoolEntry): ExpertDto {
  return {
    id: entry.user.id,
    name: entry.user.name,
    email: entry.user.email,
    disabled: entry.user.disabled,
    expertise: entry.user.expertise,
    employerName: entry.user.employerName,
    employerCreditCode: entry.user.employerCreditCode,
    county: entry.profile?.county ?? null,
    available: entry.profile?.available ?? true,
    yearlyCap: entry.profile?.yearlyCap ?? 10,
    reviewsThisYear: entry.reviewsThisYear,
    declaredLinks: entry.profile?.declaredLinks ?? [],
    profiled: entry.profile !== null,
  };
}

export class CriterionDto {
  @ApiProperty({ example: 'incubated_firms' }) @Matches(CODE) code: string;
  @ApiProperty({ example: '在孵企业质量' }) @IsString() @MinLength(1) @MaxLength(100) nameZh: string;
  @ApiProperty({ example: 'Quality of incubated firms' }) @IsString() @MinLength(1) @MaxLength(100) nameEn: string;
  @ApiProperty({ example: 30 }) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1000) weight: number;
  @ApiProperty({ example: 0 }) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-1000) @Max(1000) min: number;
  @ApiProperty({ example: 100 }) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-1000) @Max(1000) max: number;
}

export class RubricDto implements Rubric {
  @ApiProperty({ type: [CriterionDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => CriterionDto)
  criteria: CriterionDto[];
  @ApiProperty({ enum: ['mean', 'trimmed_mean'] }) @IsIn(['mean', 'trimmed_mean']) method: AggregationMethod;
  @ApiProperty({ example: 70, description: 'On the 0-100 scale of a weighted total' }) @IsNumber() @Min(0) @Max(100) passMark: number;
  @ApiProperty({ example: 30, description: 'Spread of expert totals (0-100) above which the panel is flagged' })
  @IsNumber()
  @Min(0)
  @Max(100)
  disagreementThreshold: number;
  @ApiProperty({ example: 60, description: 'A criterion scored below this percent of its range needs a comment' })
  @IsNumber()
  @Min(0)
  @Max(100)
  commentBelowPercent: number;
  @ApiProperty({ example: 5 }) @IsInt() @Min(1) @Max(25) members: number;
  @ApiProperty({ example: 2 }) @IsInt() @Min(0) @Max(25) reserves: number;
  @ApiProperty() @IsBoolean() avoidSameCounty: boolean;
  @ApiPropertyOptional({ nullable: true, type: Number, example: 2 }) @IsOptional() @IsInt() @Min(1) @Max(20) avoidRecentPanelYears:
    number | null = null;
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    example: 10,
    description: 'Dossiers the call may recognise (名额), for the ranking; null: no limit',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  quota: number | null = null;
  @ApiProperty({ example: 'assumption', description: 'Document and article the numbers come from, or `assumption`' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  source: string;
  @ApiPropertyOptional({ example: 3, description: 'Working days an expert has to declare once seated (default 3)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  declarationDays?: number;
  @ApiPropertyOptional({ example: 10, description: 'Working days an expert has to score once seated (default 10)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  scoringDays?: number;
  @ApiPropertyOptional({ example: 3, description: 'Working days an inspection team has to sign after the visit (default 3)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60)
  inspectionSignDays?: number;
}

export class CallRubricDto {
  @ApiProperty() callId: string;
  @ApiProperty({ description: 'False when the call uses its platform type default' }) custom: boolean;
  @ApiProperty({ type: RubricDto }) rubric: Rubric;
}

export class PanelOverrideDto {
  @ApiProperty() @IsUUID() expertId: string;
  @ApiProperty({ example: '该细分领域仅此一位专家，经处务会同意' }) @IsString() @MinLength(2) @MaxLength(500) reason: string;
}

export class DrawPanelRequest {
  @ApiPropertyOptional({ description: 'Replays a published draw; made by the server when absent', example: '2027-WZ-INC-0042' })
  @IsOptional()
  @IsString()
  @Matches(/^[\x21-\x7e]{1,128}$/)
  seed?: string;
  @ApiPropertyOptional({
    type: [PanelOverrideDto],
    description: 'Experts whose avoidance findings are waived, each with a reason (audited)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => PanelOverrideDto)
  overrides?: PanelOverrideDto[];
}

export class RedrawPanelRequest {
  @ApiPropertyOptional({ description: 'Replays a published redraw; made by the server when absent', example: '2027-WZ-INC-0042-R1' })
  @IsOptional()
  @IsString()
  @Matches(/^[\x21-\x7e]{1,128}$/)
  seed?: string;
  @ApiPropertyOptional({
    type: [PanelOverrideDto],
    description: 'Experts whose avoidance findings are waived, each with a reason (audited)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => PanelOverrideDto)
  overrides?: PanelOverrideDto[];
}

export class DrawPanelsRequest {
  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'The dossiers to draw for, in this order; absent: every dossier of the call at expert review without an open panel',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  applicationIds?: string[];
  @ApiPropertyOptional({
    description:
      'Replays a published batch: each dossier is drawn with the seed `<seed>:<applicationId>`; made per dossier by the server when absent',
    example: '2027-WZ-INC-B1',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[\x21-\x7e]{1,80}$/)
  seed?: string;
}

export class ScoreDto {
  @ApiProperty() criterion: string;
  @ApiProperty() value: number;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
}

const mapScore = (s: Score): ScoreDto => ({ criterion: s.criterion, value: s.value, comment: s.comment });

export class SeatDto {
  @ApiProperty() assignmentId: string;
  @ApiProperty() expertId: string;
  @ApiProperty() expertName: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Null for a member; 1, 2 ... for reserves' }) reserveRank: number | null;
  @ApiProperty({ description: 'Sits on the panel now' }) active: boolean;
  @ApiProperty({ enum: ['none', 'no_conflict', 'conflict'] }) declaration: Declaration;
  @ApiProperty({ nullable: true, type: String }) declaredAt: string | null;
  @ApiProperty({ nullable: true, type: String }) conflictReason: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The seat of the reserve who took over' }) replacedBy: string | null;
  @ApiProperty() scored: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Last working day to declare; null for a reserve not called in' })
  declarationDue: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Last working day to score; null for a reserve not called in' })
  scoringDue: string | null;
  @ApiProperty({ type: [ScoreDto], nullable: true, description: 'Null while the scores are sealed' }) scores: ScoreDto[] | null;
}

export class PanelRedrawDto {
  @ApiProperty({ description: 'Published with the redraw, like the first draw seed' }) seed: string;
  @ApiProperty() drawnAt: string;
  @ApiProperty() drawnBy: string;
  @ApiProperty({ type: [String] }) members: string[];
  @ApiProperty({ type: [String] }) reserves: string[];
}

export class OverrideDto {
  @ApiProperty() expertId: string;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: AVOIDANCE_RULES, isArray: true }) waived: AvoidanceRule[];
}

export class CriterionMeanDto {
  @ApiProperty() code: string;
  @ApiProperty() mean: number;
}

export class PanelResultDto implements PanelResult {
  @ApiProperty({ type: [Number], description: 'Expert totals (0-100), ascending, without names' }) totals: number[];
  @ApiProperty({ enum: ['mean', 'trimmed_mean'] }) method: AggregationMethod;
  @ApiProperty() score: number;
  @ApiProperty() mean: number;
  @ApiProperty({ description: '去掉一个最高分和一个最低分' }) trimmedMean: number;
  @ApiProperty() min: number;
  @ApiProperty() max: number;
  @ApiProperty() spread: number;
  @ApiProperty() passMark: number;
  @ApiProperty() passed: boolean;
  @ApiProperty({ description: 'The spread exceeds the rubric threshold' }) disagreement: boolean;
  @ApiProperty({ type: [CriterionMeanDto] }) perCriterion: CriterionMeanDto[];
}

export class PanelDto {
  @ApiProperty() id: string;
  @ApiProperty() applicationId: string;
  @ApiProperty() callId: string;
  @ApiProperty({ description: "The dossier's review round it was drawn for: a resubmitted dossier needs a new panel" }) round: number;
  @ApiProperty({ description: 'Published with the draw: the same seed and pool draw the same panel' }) seed: string;
  @ApiProperty() drawnAt: string;
  @ApiProperty() drawnBy: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) closedAt: string | null;
  @ApiProperty({ type: [OverrideDto] }) overrides: OverrideDto[];
  @ApiProperty({ type: [PanelRedrawDto], description: 'Redraws of vacant seats, each with its seed' }) redraws: PanelRedrawDto[];
  @ApiProperty({ type: RubricDto }) rubric: Rubric;
  @ApiProperty({ description: 'Scores hidden until every seated expert scored or the panel closed' }) sealed: boolean;
  @ApiProperty({ description: 'Seats left empty after conflicts once the reserves ran out' }) vacancies: number;
  @ApiProperty({ type: [SeatDto] }) seats: SeatDto[];
  @ApiProperty({ type: PanelResultDto, nullable: true }) result: PanelResult | null;
}

export function mapPanel(view: PanelView): PanelDto {
  const { panel } = view;
  return {
    id: panel.id,
    applicationId: panel.applicationId,
    callId: panel.callId,
    round: panel.round,
    seed: panel.seed,
    drawnAt: panel.drawnAt.toISOString(),
    drawnBy: panel.drawnBy,
    status: panel.status,
    closedAt: panel.closedAt?.toISOString() ?? null,
    overrides: panel.overrides,
    redraws: panel.redraws,
    rubric: panel.rubric,
    sealed: view.sealed,
    vacancies: view.vacancies,
    seats: view.seats.map((seat) => ({
      assignmentId: seat.id,
      expertId: seat.expertId,
      expertName: seat.expertName,
      reserveRank: seat.reserveRank,
      active: seat.active,
      declaration: seat.declaration,
      declaredAt: seat.declaredAt?.toISOString() ?? null,
      conflictReason: seat.conflictReason,
      replacedBy: seat.replacedBy,
      scored: seat.scoredAt !== null,
      declarationDue: seat.declarationDue,
      scoringDue: seat.scoringDue,
      scores: seat.scores?.map(mapScore) ?? null,
    })),
    result: view.result,
  };
}

export class DossierLabelDto {
  @ApiProperty({ nullable: true, type: String }) number: string | null;
  @ApiProperty() name: string;
  @ApiProperty() applicantName: string;
  @ApiProperty() platformType: string;
}

/** What an expert sees of an assignment: never the other experts, never their scores. */
export class AssignmentDto {
  @ApiProperty() id: string;
  @ApiProperty() applicationId: string;
  @ApiProperty({ type: DossierLabelDto }) dossier: DossierLabelDto;
  @ApiProperty({ description: "The dossier's review round the panel was drawn for" }) round: number;
  @ApiProperty({ enum: ['open', 'closed'] }) panelStatus: string;
  @ApiProperty({ description: 'Sits on the panel now' }) active: boolean;
  @ApiProperty({ enum: ['none', 'no_conflict', 'conflict'] }) declaration: Declaration;
  @ApiProperty({ nullable: true, type: String }) declaredAt: string | null;
  @ApiProperty({ nullable: true, type: String }) scoredAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Last working day to declare' }) declarationDue: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Last working day to score' }) scoringDue: string | null;
  @ApiProperty({ type: [CriterionDto] }) criteria: CriterionDto[];
  @ApiProperty({ description: 'A criterion below this percent of its range needs a comment' }) commentBelowPercent: number;
  @ApiProperty({ type: [ScoreDto], description: 'Your own scores' }) ownScores: ScoreDto[];
}
export const AssignmentPageDto = pageDtoOf(AssignmentDto, 'AssignmentPageDto');
export type AssignmentPageDto = Page<AssignmentDto>;

export function mapAssignment(view: AssignmentView): AssignmentDto {
  const { assignment, panel } = view;
  return {
    id: assignment.id,
    applicationId: panel.applicationId,
    dossier: panel.dossier,
    round: panel.round,
    panelStatus: panel.status,
    active: assignment.active,
    declaration: assignment.declaration,
    declaredAt: assignment.declaredAt?.toISOString() ?? null,
    scoredAt: assignment.scoredAt?.toISOString() ?? null,
    declarationDue: assignment.declarationDue,
    scoringDue: assignment.scoringDue,
    criteria: panel.rubric.criteria,
    commentBelowPercent: panel.rubric.commentBelowPercent,
    ownScores: view.ownScores.map(mapScore),
  };
}

export class DeclarationRequest {
  @ApiProperty({ description: 'true: I have a conflict of interest (回避); false: I declare none' }) @IsBoolean() conflict: boolean;
  @ApiPropertyOptional({ description: 'Required with a conflict', example: '本人曾在申报单位任职' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class DeclarationDto extends AssignmentDto {
  @ApiProperty({ nullable: true, type: Boolean, description: 'After a conflict: whether a reserve took the seat' })
  replacedByReserve: boolean | null;
}

export class ScoreEntryDto {
  @ApiProperty({ example: 'incubated_firms' }) @IsString() @MaxLength(64) criterion: string;
  @ApiProperty({ example: 85 }) @IsNumber({ allowNaN: false, allowInfinity: false }) value: number;
  @ApiPropertyOptional({ description: 'Required below the rubric threshold' }) @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

export class ScoreRequest {
  @ApiProperty({ type: [ScoreEntryDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => ScoreEntryDto)
  scores: ScoreEntryDto[];
}

export class ExpertAttachmentDto {
  @ApiProperty() id: string;
  @ApiProperty() documentCode: string;
  @ApiProperty() fileName: string;
  @ApiProperty() contentType: string;
  @ApiProperty() sizeBytes: number;
  @ApiProperty() round: number;
  @ApiProperty() uploadedAt: string;
}

/** The dossier as an assigned expert reads it: the form and its documents, nothing about the procedure's people. */
@ApiExtraModels(...Object.values(FORM_CLASSES))
export class ExpertDossierDto {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String }) number: string | null;
  @ApiProperty() name: string;
  @ApiProperty() platformType: string;
  @ApiProperty() level: string;
  @ApiProperty() year: number;
  @ApiProperty({ nullable: true, type: String }) subtype: string | null;
  @ApiProperty({ type: [String] }) industries: string[];
  @ApiProperty() regionCode: string;
  @ApiProperty({ ...ANY_FORM_SCHEMA, description: 'The form of the platform type in platformType' }) form: Record<string, unknown>;
  @ApiProperty({ type: [ExpertAttachmentDto] }) attachments: ExpertAttachmentDto[];
}

export function mapExpertDossier(application: Application, attachments: Attachment[]): ExpertDossierDto {
  return {
    id: application.id,
    number: application.number,
    name: application.name,
    platformType: application.platformType,
    level: application.level,
    year: application.year,
    subtype: application.subtype,
    industries: application.industries,
    regionCode: application.regionCode,
    form: application.form,
    attachments: attachments.map((a) => ({
      id: a.id,
      documentCode: a.documentCode,
      fileName: a.fileName,
      contentType: a.contentType,
      sizeBytes: Number(a.sizeBytes),
      round: a.round,
      uploadedAt: a.createdAt.toISOString(),
    })),
  };
}

export class RankedDossierDto {
  @ApiProperty() applicationId: string;
  @ApiProperty({ type: DossierLabelDto }) dossier: DossierLabelDto;
  @ApiProperty() score: number;
  @ApiProperty() passed: boolean;
  @ApiProperty() rank: number;
  @ApiProperty({ description: 'Passed and within the quota by rank' }) withinQuota: boolean;
  @ApiProperty({ description: 'The experts disagreed widely' }) disagreement: boolean;
}

export class PendingDossierDto {
  @ApiProperty() applicationId: string;
  @ApiProperty({ type: DossierLabelDto }) dossier: DossierLabelDto;
}

export class CallRankingDto {
  @ApiProperty() callId: string;
  @ApiProperty({ nullable: true, type: Number }) quota: number | null;
  @ApiProperty({ type: [RankedDossierDto] }) ranked: RankedDossierDto[];
  @ApiProperty({ type: [PendingDossierDto], description: 'Panels whose scores are still sealed' }) pending: PendingDossierDto[];
}

export function mapRanking(callId: string, ranking: CallRanking): CallRankingDto {
  return {
    callId,
    quota: ranking.quota,
    ranked: ranking.ranked.map((r) => ({
      applicationId: r.applicationId,
      dossier: r.dossier,
      score: r.score,
      passed: r.passed,
      rank: r.rank,
      withinQuota: r.withinQuota,
      disagreement: r.disagreement,
    })),
    pending: ranking.pending,
  };
}

export class PanelBatchDto {
  @ApiProperty() callId: string;
  @ApiProperty({ type: [PanelDto], description: 'One panel per dossier, each with its own seed' }) panels: PanelDto[];
}
