import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type TimerState = 'scheduled' | 'fired' | 'skipped' | 'cancelled';

/**
 * A deadline-related timer (reminder, escalation, end of a notice). Its id is deterministic
 * (`reminder.application.<id>.county_review.1`), so scheduling it twice is a no-op.
 */
@Entity({ name: 'notification_timer' })
@Index('IDX_timer_subject', ['subjectType', 'subjectId'])
export class NotificationTimer {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  id: string;

  /** Which handler decides what to do when it fires, e.g. `deadline.reminder`. */
  @Column({ type: 'varchar', length: 64 })
  kind: string;

  @Column({ name: 'subject_type', type: 'varchar', length: 32 })
  subjectType: string;

  @Column({ name: 'subject_id', type: 'varchar', length: 64 })
  subjectId: string;

  @Column({ name: 'fire_at', type: 'timestamptz' })
  fireAt: Date;

  /** Ids and numbers only: the handler re-reads the state when the timer fires. */
  @Column({ type: 'jsonb', default: {} })
  payload: Record<string, unknown>;

  @Column({ name: 'job_id', type: 'varchar', length: 200 })
  jobId: string;

  @Column({ type: 'varchar', length: 16, default: 'scheduled' })
  state: TimerState;

  @Column({ name: 'fired_at', type: 'timestamptz', nullable: true })
  firedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  outcome: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
