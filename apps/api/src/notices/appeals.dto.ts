import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { Appeal } from '@app/notices';
import { APPEAL_RETURN_STAGES, type Stage } from '@app/workflow';

export class AppealRequest {
  @ApiProperty({ description: 'Why the rejection should be reviewed, 20 to 5,000 characters' })
  @IsString()
  @MaxLength(20_000)
  reasons: string;
  @ApiPropertyOptional({ description: 'The evidence offered: documents, facts, where to find them (up to 5,000 characters)' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  evidence?: string;
}

export class AppealDecisionRequest {
  @ApiProperty({ enum: ['upheld', 'dismissed'] }) @IsIn(['upheld', 'dismissed']) decision: 'upheld' | 'dismissed';
  @ApiProperty({ description: 'The review’s findings, told to the applicant' }) @IsString() @MaxLength(5000) resolution: string;
}

export class AppealTermsDto {
  @ApiProperty({ description: 'Whether the call offers appeals (default true)' }) @IsBoolean() enabled: boolean;
  @ApiProperty({ description: 'Working days after the rejection (default 10)', minimum: 1, maximum: 60 })
  @IsInt()
  @Min(1)
  @Max(60)
  windowDays: number;
  @ApiProperty({ enum: APPEAL_RETURN_STAGES, description: 'Where an upheld appeal sends the dossier (default expert_review)' })
  @IsIn(APPEAL_RETURN_STAGES)
  returnTo: Stage;
}

export class AppealDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) applicationId: string;
  @ApiProperty({ format: 'uuid', description: 'The rejection appealed against: its event in the dossier’s timeline' })
  decisionEventId: string;
  @ApiProperty({ description: 'The same rejection’s `seq` in the timeline' }) decisionEventSeq: number;
  @ApiProperty() rejectedAt: string;
  @ApiProperty({ description: 'Last working day appeals were accepted' }) windowLastDay: string;
  @ApiProperty() reasons: string;
  @ApiProperty() evidence: string;
  @ApiProperty({ enum: ['lodged', 'upheld', 'dismissed'] }) status: string;
  @ApiProperty({ enum: APPEAL_RETURN_STAGES }) returnTo: string;
  @ApiProperty({ type: String, nullable: true }) resolution: string | null;
  @ApiProperty() lodgedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt: string | null;
}

export function mapAppeal(a: Appeal): AppealDto {
  return {
    id: a.id,
    applicationId: a.applicationId,
    decisionEventId: a.decisionEventId,
    decisionEventSeq: a.decisionEventSeq,
    rejectedAt: a.rejectedAt.toISOString(),
    windowLastDay: a.windowLastDay,
    reasons: a.reasons,
    evidence: a.evidence,
    status: a.status,
    returnTo: a.returnTo,
    resolution: a.resolution,
    lodgedAt: a.lodgedAt.toISOString(),
    resolvedAt: a.resolvedAt?.toISOString() ?? null,
  };
}
