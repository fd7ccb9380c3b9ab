import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const DELIVERY_STATES = ['queued', 'sending', 'sent', 'failed_transient', 'dead'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];
export type Locale = 'zh-CN' | 'en';

/**
 * One email to one recipient: what to send, and what happened to it. The mails one transaction
 * queued share a batch: one outbox row and one queue job (both with the batch's id) carry them all.
 */
@Entity({ name: 'notification_delivery' })
@Index('IDX_delivery_state_updated', ['state', 'updatedAt'])
@Index('IDX_delivery_recipient', ['recipientEmail', 'createdAt'])
@Index('IDX_delivery_batch', ['batchId'])
export class NotificationDelivery {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  /** Template / event name, e.g. `account.verify_email`. */
  @Column({ type: 'varchar', length: 64 })
  event: string;

  @Column({ name: 'recipient_user_id', type: 'uuid', nullable: true })
  recipientUserId: string | null;

  @Column({ name: 'recipient_email', type: 'varchar', length: 254 })
  recipientEmail: string;

  @Column({ type: 'varchar', length: 8, default: 'zh-CN' })
  locale: Locale;

  /** Template variables. Keys listed in `secretKeys` are never shown in admin views. */
  @Column({ type: 'jsonb', default: {} })
  data: Record<string, unknown>;

  @Column({ name: 'secret_keys', type: 'text', array: true, default: () => "'{}'" })
  secretKeys: string[];

  /** The object the mail is about (an application, an account), for filtering and audit. */
  @Column({ name: 'subject_type', type: 'varchar', length: 32, nullable: true })
  subjectType: string | null;

  @Column({ name: 'subject_id', type: 'varchar', length: 64, nullable: true })
  subjectId: string | null;

  @Column({ type: 'varchar', length: 16, default: 'queued' })
  state: DeliveryState;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  /** The BullMQ job that carries it now: its batch's (a manual retry makes it a batch of its own, with a new job). */
  @Column({ name: 'job_id', type: 'varchar', length: 200 })
  jobId: string;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  @Column({ name: 'smtp_code', type: 'int', nullable: true })
  smtpCode: number | null;

  @Column({ name: 'smtp_response', type: 'text', nullable: true })
  smtpResponse: string | null;

  @Column({ name: 'message_id', type: 'varchar', length: 255, nullable: true })
  messageId: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
