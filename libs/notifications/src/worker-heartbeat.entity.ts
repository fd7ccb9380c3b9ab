import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The last health each worker process reported (every WORKER_HEALTH_INTERVAL_MS): what the API's
 * `/metrics` and `/health/workers` show of the workers, which open no port. A row not renewed
 * within three intervals belongs to a worker that stopped or cannot reach the database.
 */
@Entity({ name: 'worker_heartbeat' })
export class WorkerHeartbeat {
  /** `<host name>:<pid>`. */
  @PrimaryColumn({ type: 'varchar', length: 200 })
  id: string;

  @Column({ type: 'boolean' })
  ready: boolean;

  @Column({ name: 'queue_up', type: 'boolean' })
  queueUp: boolean;

  /** Null until the worker has sent or probed once. */
  @Column({ name: 'smtp_up', type: 'boolean', nullable: true })
  smtpUp: boolean | null;

  @Column({ name: 'smtp_error', type: 'text', nullable: true })
  smtpError: string | null;

  /** Mails SMTP accepted whose record as sent waits for the database. */
  @Column({ name: 'unrecorded_sends', type: 'int', default: 0 })
  unrecordedSends: number;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt: Date;

  @Column({ name: 'beat_at', type: 'timestamptz' })
  beatAt: Date;
}
