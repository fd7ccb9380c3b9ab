import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import type { AuditEvent, AuditVerification } from '@app/audit';
import { PageQuery, pageDtoOf, type Page } from '@app/common';

export class AuditListQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() actorUserId?: string;
  @ApiPropertyOptional({ example: 'auth.login_failed' }) @IsOptional() @IsString() @MaxLength(64) action?: string;
  @ApiPropertyOptional({ example: 'user' }) @IsOptional() @IsString() @MaxLength(32) objectType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) objectId?: string;
  @ApiPropertyOptional({ description: 'ISO 8601, inclusive' }) @IsOptional() @Type(() => Date) @IsDate() from?: Date;
  @ApiPropertyOptional({ description: 'ISO 8601, exclusive' }) @IsOptional() @Type(() => Date) @IsDate() to?: Date;
}

export class AuditEventDto {
  @ApiProperty() id: string;
  @ApiProperty() stream: string;
  @ApiProperty() streamSeq: number;
  @ApiProperty({ nullable: true, type: String }) prevHash: string | null;
  @ApiProperty() hash: string;
  @ApiProperty({ nullable: true, type: String }) actorUserId: string | null;
  @ApiProperty({ nullable: true, type: String }) actorRole: string | null;
  @ApiProperty() action: string;
  @ApiProperty() objectType: string;
  @ApiProperty({ nullable: true, type: String }) objectId: string | null;
  @ApiProperty() occurredAt: string;
  @ApiProperty({ nullable: true, type: String }) ip: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) summary: Record<string, unknown>;
}

export const AuditPageDto = pageDtoOf(AuditEventDto, 'AuditPageDto');
export type AuditPageDto = Page<AuditEventDto>;

export function mapAuditEvent(e: AuditEvent): AuditEventDto {
  return { ...e, occurredAt: e.occurredAt.toISOString() };
}

export class AuditVerificationQuery {
  @ApiPropertyOptional({
    description: 'A checkpoint MAC kept outside the database (64 hex digits): it must be in the checkpoint chain',
    pattern: '^[0-9a-fA-F]{64}$',
  })
  @IsOptional()
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'expect 须为 64 位十六进制的检查点 MAC。expect must be a checkpoint MAC of 64 hex digits.' })
  expect?: string;
}

export class AuditBreakDto {
  @ApiProperty({
    enum: [
      'hash_mismatch',
      'prev_hash_mismatch',
      'sequence_gap',
      'legacy_after_switch',
      'checkpoint_head_missing',
      'checkpoint_head_mismatch',
      'checkpoint_mac_mismatch',
      'checkpoint_sequence_gap',
      'checkpoint_missing',
      'anchor_not_found',
    ],
  })
  reason: string;
  @ApiProperty({ nullable: true, type: String, description: 'The row at fault' }) id: string | null;
  @ApiProperty({ nullable: true, type: String }) stream: string | null;
  @ApiProperty({ nullable: true, type: Number }) streamSeq: number | null;
  @ApiProperty({ nullable: true, type: Number }) checkpointSeq: number | null;
}

export class AuditCheckpointDto {
  @ApiProperty() seq: number;
  @ApiProperty({
    description: 'Keep it outside the database: a later verification with it as `expect` proves nothing before it was removed',
  })
  mac: string;
  @ApiProperty() createdAt: string;
}

export class AuditVerificationDto {
  @ApiProperty({ description: 'Every chain and checkpoint verified with the key, and the anchor found if one was given' }) intact: boolean;
  @ApiProperty({ description: 'Audit rows checked' }) checked: number;
  @ApiProperty({ type: AuditBreakDto, nullable: true, description: 'The first break found' }) broken: AuditBreakDto | null;
  @ApiProperty({ type: AuditCheckpointDto, nullable: true }) latestCheckpoint: AuditCheckpointDto | null;
}

export function mapVerification(result: AuditVerification): AuditVerificationDto {
  const { broken, latest } = result;
  return {
    intact: broken === null,
    checked: result.checked,
    broken: broken
      ? {
          reason: broken.reason,
          id: broken.id ?? null,
          stream: broken.stream ?? null,
          streamSeq: broken.streamSeq ?? null,
          checkpointSeq: broken.checkpointSeq ?? null,
        }
      : null,
    latestCheckpoint: latest ? { seq: latest.seq, mac: latest.mac, createdAt: latest.createdAt.toISOString() } : null,
  };
}
