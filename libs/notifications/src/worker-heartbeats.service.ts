import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';

export interface WorkerBeat {
  id: string;
  ready: boolean;
  queueUp: boolean;
  smtpUp: boolean | null;
  smtpError: string | null;
  unrecordedSends: number;
  startedAt: Date;
}

/** Counts only: what anyone may see of the workers (no host names, no errors). */
export interface WorkersSummary {
  /** Workers that reported within three health intervals. */
  alive: number;
  ready: number;
  queueUp: number;
  smtpUp: number;
  /** Mails accepted by SMTP that alive workers still have to record as sent. */
  unrecordedSends: number;
}

/** Rows of workers silent for this long are forgotten (a replaced pod, a stopped process). */
const FORGET_AFTER = '1 hour';

/** The workers' heartbeats: written by each worker, read by the API for /metrics and /health/workers. */
@Injectable()
export class WorkerHeartbeats {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async beat(beat: WorkerBeat): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO worker_heartbeat (id, ready, queue_up, smtp_up, smtp_error, unrecorded_sends, started_at, beat_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (id) DO UPDATE SET ready = $2, queue_up = $3, smtp_up = $4, smtp_error = $5, unrecorded_sends = $6, beat_at = now()`,
      [beat.id, beat.ready, beat.queueUp, beat.smtpUp, beat.smtpError?.slice(0, 1000) ?? null, beat.unrecordedSends, beat.startedAt],
    );
    await this.dataSource.query(`DELETE FROM worker_heartbeat WHERE beat_at < now() - interval '${FORGET_AFTER}'`);
  }

  /** A worker stopping says so, rather than looking alive for three more intervals. */
  async forget(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM worker_heartbeat WHERE id = $1`, [id]);
  }

  async summary(): Promise<WorkersSummary> {
    const rows: Record<keyof WorkersSummary, number>[] = await this.dataSource.query(
      `SELECT count(*)::int AS "alive", count(*) FILTER (WHERE ready)::int AS "ready",
              count(*) FILTER (WHERE queue_up)::int AS "queueUp", count(*) FILTER (WHERE smtp_up)::int AS "smtpUp",
              coalesce(sum(unrecorded_sends), 0)::int AS "unrecordedSends"
         FROM worker_heartbeat WHERE beat_at > now() - ($1 || ' milliseconds')::interval`,
      [String(3 * this.config.workerHealthIntervalMs)],
    );
    return rows[0];
  }
}
