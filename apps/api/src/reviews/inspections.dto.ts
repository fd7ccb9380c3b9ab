import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { AVOIDANCE_RULES, type ChecklistItem, type Inspection, type TeamMember } from '@app/reviews';

const CHECK_STATUSES = ['pending', 'verified', 'not_verified'] as const;

export class TeamMemberRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() userId: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Required to keep a member an avoidance rule excludes (audited)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  overrideReason?: string | null;
}

export class ChecklistItemRequest {
  @ApiProperty({ example: 'site_and_facilities', description: "A criterion code of the call's rubric" })
  @Matches(/^[a-z][a-z0-9_]{0,63}$/)
  code: string;
  @ApiProperty({ enum: CHECK_STATUSES }) @IsIn(CHECK_STATUSES) status: (typeof CHECK_STATUSES)[number];
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(2000) note?: string | null;
  @ApiPropertyOptional({ type: [String], description: 'Attachment ids of this dossier (POST /applications/:id/attachments)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  evidence?: string[];
}

export class InspectionRequest {
  @ApiPropertyOptional({ example: '2027-05-20', description: 'Required when the inspection is created' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  visitDate?: string;
  @ApiPropertyOptional({
    type: [TeamMemberRequest],
    description: 'Bureau officers, county officers of the dossier, experts; at least one bureau officer and one expert',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => TeamMemberRequest)
  team?: TeamMemberRequest[];
  @ApiPropertyOptional({ type: [ChecklistItemRequest] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => ChecklistItemRequest)
  items?: ChecklistItemRequest[];
  @ApiPropertyOptional({ enum: ['passed', 'failed'], nullable: true }) @IsOptional() @IsIn(['passed', 'failed', null]) result?:
    'passed' | 'failed' | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(4000) resultNote?: string | null;
}

export class TeamMemberDto {
  @ApiProperty() userId: string;
  @ApiProperty({ enum: ['bureau_officer', 'county_officer', 'expert'] }) role: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) signedAt: string | null;
  @ApiProperty({ enum: AVOIDANCE_RULES, isArray: true }) waived: string[];
  @ApiProperty({ nullable: true, type: String }) overrideReason: string | null;
}

export class ChecklistItemDto {
  @ApiProperty() code: string;
  @ApiProperty() nameZh: string;
  @ApiProperty() nameEn: string;
  @ApiProperty({ enum: CHECK_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ type: [String] }) evidence: string[];
}

export class InspectionDto {
  @ApiProperty() id: string;
  @ApiProperty() applicationId: string;
  @ApiProperty({ description: "The dossier's review round inspected: a resubmitted dossier is inspected again" }) round: number;
  @ApiProperty() visitDate: string;
  @ApiProperty({ nullable: true, type: String, description: 'Last working day for the team to sign; reminders run to it' })
  signDue: string | null;
  @ApiProperty({ type: [TeamMemberDto] }) team: TeamMember[];
  @ApiProperty({ type: [ChecklistItemDto] }) checklist: ChecklistItem[];
  @ApiProperty({ enum: ['passed', 'failed'], nullable: true, type: String }) result: string | null;
  @ApiProperty({ nullable: true, type: String }) resultNote: string | null;
  @ApiProperty({ enum: ['draft', 'signed'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) signedAt: string | null;
}

export function mapInspection(inspection: Inspection): InspectionDto {
  return {
    id: inspection.id,
    applicationId: inspection.applicationId,
    round: inspection.round,
    visitDate: inspection.visitDate,
    signDue: inspection.signDue,
    team: inspection.team,
    checklist: inspection.checklist,
    result: inspection.result,
    resultNote: inspection.resultNote,
    status: inspection.status,
    signedAt: inspection.signedAt ? new Date(inspection.signedAt).toISOString() : null,
  };
}
