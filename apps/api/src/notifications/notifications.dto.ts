import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsDate, IsIn, IsObject, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQuery, pageDtoOf, type Page } from '@app/common';
import { DELIVERY_STATES, type DeliveryState, type NotificationDelivery, type OutboxEntry, type RenderedMail } from '@app/notifications';

export class DeliveryQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Recipient email address' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  recipient?: string;

  @ApiPropertyOptional({ example: 'account.verify_email' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  event?: string;

  @ApiPropertyOptional({ enum: DELIVERY_STATES })
  @IsOptional()
  @IsIn(DELIVERY_STATES)
  state?: DeliveryState;

  @ApiPropertyOptional({ description: 'The deliveries of one batch (a mail outbox row and its job have the batch id)' })
  @IsOptional()
  @IsUUID()
  batch?: string;

  @ApiPropertyOptional({ description: 'Created at or after (ISO 8601)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ description: 'Created before (ISO 8601)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;
}

export class OutboxQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['mail', 'timer'] })
  @IsOptional()
  @IsIn(['mail', 'timer'])
  topic?: 'mail' | 'timer';

  @ApiPropertyOptional({ description: 'true: not yet handed to the queue' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  pending?: boolean;
}

export class PreviewRequest {
  @ApiProperty({ example: 'system.test' })
  @IsString()
  @MaxLength(64)
  event: string;

  @ApiPropertyOptional({ enum: ['zh-CN', 'en'], default: 'zh-CN' })
  @IsOptional()
  @IsIn(['zh-CN', 'en'])
  locale?: 'zh-CN' | 'en';

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Template variables; the template sample fills what is missing',
  })
  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;
}

export class DeliveryDto {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'The mails one transaction queued share a batch: one outbox row and one job with this id' })
  batchId: string;
  @ApiProperty() event: string;
  @ApiProperty() recipientEmail: string;
  @ApiProperty({ nullable: true, type: String }) recipientUserId: string | null;
  @ApiProperty({ enum: ['zh-CN', 'en'] }) locale: string;
  @ApiProperty({ enum: DELIVERY_STATES }) state: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: Number }) smtpCode: number | null;
  @ApiProperty({ nullable: true, type: String }) smtpResponse: string | null;
  @ApiProperty({ nullable: true, type: String }) messageId: string | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ nullable: true, type: String }) nextAttemptAt: string | null;
  @ApiProperty({ nullable: true, type: String }) sentAt: string | null;
  @ApiProperty({ nullable: true, type: String }) subjectType: string | null;
  @ApiProperty({ nullable: true, type: String }) subjectId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Template variables, secrets masked' }) data: Record<
    string,
    unknown
  >;
  @ApiProperty() createdAt: string;
}

export const DeliveryPageDto = pageDtoOf(DeliveryDto, 'DeliveryPageDto');
export type DeliveryPageDto = Page<DeliveryDto>;

export class OutboxDto {
  @ApiProperty({ description: 'For mail: the batch id (`GET /notifications/deliveries?batch=` lists its deliveries)' }) id: string;
  @ApiProperty({ enum: ['mail', 'timer'] }) topic: string;
  @ApiProperty() jobId: string;
  @ApiProperty() availableAt: string;
  @ApiProperty({ nullable: true, type: String }) dispatchedAt: string | null;
  @ApiProperty() createdAt: string;
}

export const OutboxPageDto = pageDtoOf(OutboxDto, 'OutboxPageDto');
export type OutboxPageDto = Page<OutboxDto>;

export class RenderedMailDto {
  @ApiProperty() subject: string;
  @ApiProperty() text: string;
  @ApiProperty() html: string;
}

export class TemplateDto {
  @ApiProperty() event: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Variables a preview uses when none are given' })
  sample: Record<string, unknown>;
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function mapDelivery(d: NotificationDelivery): DeliveryDto {
  return {
    id: d.id,
    batchId: d.batchId,
    event: d.event,
    recipientEmail: d.recipientEmail,
    recipientUserId: d.recipientUserId,
    locale: d.locale,
    state: d.state,
    attempts: d.attempts,
    smtpCode: d.smtpCode,
    smtpResponse: d.smtpResponse,
    messageId: d.messageId,
    lastError: d.lastError,
    nextAttemptAt: iso(d.nextAttemptAt),
    sentAt: iso(d.sentAt),
    subjectType: d.subjectType,
    subjectId: d.subjectId,
    data: d.data,
    createdAt: d.createdAt.toISOString(),
  };
}

export function mapOutbox(o: OutboxEntry): OutboxDto {
  return {
    id: o.id,
    topic: o.topic,
    jobId: o.jobId,
    availableAt: o.availableAt.toISOString(),
    dispatchedAt: iso(o.dispatchedAt),
    createdAt: o.createdAt.toISOString(),
  };
}

export function mapRendered(mail: RenderedMail): RenderedMailDto {
  return { subject: mail.subject, text: mail.text, html: mail.html };
}
