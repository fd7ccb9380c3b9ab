import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type OutboxTopic = 'mail' | 'timer';

/**
 * A side effect committed with the change that caused it. The relay moves undispatched rows to
 * BullMQ (jobId = this id, so a replay never doubles) and marks them dispatched.
 */
@Entity({ name: 'outbox' })
@Index('IDX_outbox_pending', ['availableAt'], { where: 'dispatched_at IS NULL' })
export class OutboxEntry {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'varchar', length: 16 })
  topic: OutboxTopic;

  /** Ids only (delivery id, timer key); never personal data. */
  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  /** For timers: when the job should run. The job is added as delayed. */
  @Column({ name: 'available_at', type: 'timestamptz' })
  availableAt: Date;

  @Column({ name: 'dispatched_at', type: 'timestamptz', nullable: true })
  dispatchedAt: Date | null;

  @Column({ name: 'job_id', type: 'varchar', length: 200 })
  jobId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
