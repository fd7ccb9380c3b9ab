import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import type { AuditEvent } from '@app/audit';
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
