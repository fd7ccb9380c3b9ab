import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsISO8601,
  IsUUID,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { type DecisionRelease, type DossierDecision, MEETING_KINDS, type MeetingKind, type RecognitionBatch } from '@app/applications';

export class MeetingRequest {
  @ApiProperty({ enum: MEETING_KINDS, description: 'director_office_meeting 局长办公会, party_group_meeting 党组会' })
  @IsIn(MEETING_KINDS)
  kind: MeetingKind;
  @ApiProperty({ example: '2027-06-10' }) @IsISO8601({ strict: true }) @Matches(/^\d{4}-\d{2}-\d{2}$/) date: string;
  @ApiProperty({ example: '局长办公会纪要〔2027〕5号' }) @IsString() @MinLength(2) @MaxLength(100) reference: string;
}

export class DecisionRequest {
  @ApiProperty({ enum: ['approve', 'reject'] }) @IsIn(['approve', 'reject']) outcome: 'approve' | 'reject';
  @ApiPropertyOptional({ description: 'Reasons (required to reject)' }) @IsOptional() @IsString() @MaxLength(2000) comment?: string;
  @ApiProperty({ type: MeetingRequest }) @IsDefined() @ValidateNested() @Type(() => MeetingRequest) meeting: MeetingRequest;
}

export class DecisionDto {
  @ApiProperty() id: string;
  @ApiProperty() applicationId: string;
  @ApiProperty() callId: string;
  @ApiProperty({ enum: ['approve', 'reject'] }) outcome: string;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty({ type: MeetingRequest }) meeting: MeetingRequest;
  @ApiProperty({ enum: ['pending', 'signed', 'released'], description: 'pending: waits for the leader; signed: waits for the release' })
  status: string;
  @ApiProperty() recordedBy: string;
  @ApiProperty() recordedAt: string;
  @ApiProperty({ nullable: true, type: String, description: 'The leader who signed off' }) signedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) signedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) releaseId: string | null;
}

export class ReleaseDto {
  @ApiProperty() id: string;
  @ApiProperty() callId: string;
  @ApiProperty() releasedBy: string;
  @ApiProperty() releasedAt: string;
  @ApiProperty({ type: [DecisionDto] }) decisions: DecisionDto[];
}

export function mapDecision(d: DossierDecision): DecisionDto {
  return {
    id: d.id,
    applicationId: d.applicationId,
    callId: d.callId,
    outcome: d.outcome,
    comment: d.comment,
    meeting: { kind: d.meetingKind, date: d.meetingDate, reference: d.meetingReference },
    status: d.status,
    recordedBy: d.recordedBy,
    recordedAt: new Date(d.recordedAt).toISOString(),
    signedBy: d.signedBy,
    signedAt: d.signedAt ? new Date(d.signedAt).toISOString() : null,
    releaseId: d.releaseId,
  };
}

export function mapRelease(release: DecisionRelease, decisions: DossierDecision[]): ReleaseDto {
  return {
    id: release.id,
    callId: release.callId,
    releasedBy: release.releasedBy,
    releasedAt: release.releasedAt.toISOString(),
    decisions: decisions.map(mapDecision),
  };
}

export class RecognitionBatchRequest {
  @ApiProperty({ example: '温科发〔2027〕31号', description: 'The recognition document (发文文号), one for the whole batch' })
  @IsString()
  @MinLength(2)
  @MaxLength(64)
  documentNumber: string;
  @ApiProperty({ example: '2027-07-15' }) @IsISO8601({ strict: true }) @Matches(/^\d{4}-\d{2}-\d{2}$/) recognisedOn: string;
  @ApiProperty({ type: [String], description: 'Dossiers of this call past their public notice (notice_closed)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  applicationIds: string[];
}

export class RecognitionBatchDto {
  @ApiProperty() id: string;
  @ApiProperty() callId: string;
  @ApiProperty() documentNumber: string;
  @ApiProperty() recognisedOn: string;
  @ApiProperty({ type: [String] }) applicationIds: string[];
  @ApiProperty() createdAt: string;
}

export function mapRecognitionBatch(batch: RecognitionBatch): RecognitionBatchDto {
  return {
    id: batch.id,
    callId: batch.callId,
    documentNumber: batch.documentNumber,
    recognisedOn: batch.recognisedOn,
    applicationIds: batch.applicationIds,
    createdAt: batch.createdAt.toISOString(),
  };
}
