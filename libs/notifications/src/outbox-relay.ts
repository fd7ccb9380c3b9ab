import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { JobsOptions, Queue } from 'bullmq';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { type JobPayloads, QueueName } from '@app/queue';
import { OUTBOX_CHANNEL, dueOutboxRows } from './outbox.constants';

const BATCH = 200;
const POLL_MS = 2_000;
const ADD_TIMEOUT_MS = 5_000;
const COALESCE_MS = 10;

interface PendingRow {
  id: string;
  topic: 'mail' | 'timer';
  payload: Record<string, string>;
  available_at: Date;
  job_id: string;
  /** For timer rows: the timer's state now; only scheduled timers get a job. */
  timer_state: string | null;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]);
}

/**
 * Moves committed outbox rows to BullMQ. Rows are claimed with FOR UPDATE SKIP LOCKED (so any
 * number of workers cooperate), added with jobId = outbox job id (so a replay never doubles), and
 * marked dispatched in the same transaction. Timers are claimed only once they are due within the
 * horizon (RELAY_HORIZON_MS): a deadline weeks away stays a row, and one cancelled meanwhile (the
 * dossier moved on, as most do) is marked dispatched without ever becoming a queue job. It wakes
 * on LISTEN/NOTIFY and polls as a fallback; if the queue backend is down the rows simply wait. A
 * periodic sweep re-adds jobs for deliveries and timers whose job vanished (e.g. a Redis that lost
 * its data).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private stopped = false;
  private wake: (() => void) | undefined;
  private wakePending = false;
  private listener: Client | undefined;
  private loop: Promise<void> | undefined;
  private sweeping: Promise<void> | undefined;
  private wakeSweeper: (() => void) | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.mail) private readonly mailQueue: Queue<JobPayloads['mail.deliver']>,
    @InjectQueue(QueueName.timers) private readonly timerQueue: Queue<JobPayloads['timer.fire']>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.loop = this.run();
    this.sweeping = this.sweepLoop();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.wakeSweeper?.();
    await Promise.all([this.loop, this.sweeping]);
    await this.listener?.end().catch(() => undefined);
  }

  mailJobOptions(jobId: string): JobsOptions {
    return {
      jobId,
      attempts: this.config.mailMaxAttempts,
      backoff: { type: 'exponential', delay: this.config.mailRetryBaseMs },
      // The delivery rows are the record of what happened; a finished job has nothing left to tell.
      // A replayed job id after removal finds its deliveries sent or dead and does nothing.
      removeOnComplete: true,
    };
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        if (!this.listener) await this.listen();
        const moved = await this.dispatchBatch();
        failures = 0;
        if (moved === BATCH) continue;
      } catch (error) {
        failures += 1;
        if (failures === 1 || failures % 30 === 0)
          this.logger.warn({ err: error, failures }, 'outbox relay could not dispatch; will retry');
      }
      await this.sleep(failures > 0 ? Math.min(POLL_MS * failures, 10_000) : POLL_MS);
    }
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.config.databaseUrl, application_name: 'ouflow-relay' });
    // Under load many commits notify within a few milliseconds: gathering them into one batch
    // costs at most COALESCE_MS of latency and saves a claim transaction per commit.
    client.on('notification', () => {
      if (this.wakePending) return;
      this.wakePending = true;
      setTimeout(() => {
        this.wakePending = false;
        this.wake?.();
      }, COALESCE_MS);
    });
    client.on('error', () => {
      // A lost LISTEN connection falls back to polling until it is re-opened.
      this.listener = undefined;
      void client.end().catch(() => undefined);
    });
    await client.connect();
    await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    this.listener = client;
  }

  /**
   * One sweep at a time, RELAY_SWEEP_MS apart. While the queue store is down a sweep waits for it
   * (each call bounded by ADD_TIMEOUT_MS); sweeps must not pile up behind it and then re-add the
   * same jobs all at once when it comes back.
   */
  private async sweepLoop(): Promise<void> {
    while (!this.stopped) {
      await this.sleep(this.config.relaySweepMs, (wake) => (this.wakeSweeper = wake));
      if (this.stopped) return;
      await this.sweep().catch((error: unknown) => this.logger.warn({ err: error }, 'sweep failed'));
    }
  }

  private sleep(ms: number, setWake: (wake: () => void) => void = (wake) => (this.wake = wake)): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      setWake(done);
    });
  }

  /** Claims up to BATCH pending rows, adds them to the queues, marks them dispatched. Returns how many moved. */
  async dispatchBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: PendingRow[] = await manager.query(
        `SELECT o.id, o.topic, o.payload, o.available_at, o.job_id, t.state AS timer_state
           FROM outbox o
           LEFT JOIN notification_timer t ON o.topic = 'timer' AND t.id = o.payload->>'timerId'
          WHERE ${dueOutboxRows('o', 2)}
          ORDER BY o.available_at LIMIT $1 FOR UPDATE OF o SKIP LOCKED`,
        [BATCH, String(this.config.relayHorizonMs)],
      );
      if (rows.length === 0) return 0;
      const mails = rows.filter((row) => row.topic === 'mail');
      const timers = rows.filter((row) => row.topic === 'timer' && row.timer_state === 'scheduled');
      const now = Date.now();
      await withTimeout(
        Promise.all([
          mails.length > 0
            ? this.mailQueue.addBulk(
                mails.map((row) => ({
                  name: 'mail.deliver',
                  data: { batchId: row.payload.batchId },
                  opts: this.mailJobOptions(row.job_id),
                })),
              )
            : undefined,
          timers.length > 0
            ? this.timerQueue.addBulk(
                timers.map((row) => ({
                  name: 'timer.fire',
                  data: { timerId: row.payload.timerId },
                  opts: timerJobOptions(row.job_id, Math.max(0, new Date(row.available_at).getTime() - now)),
                })),
              )
            : undefined,
        ]),
        ADD_TIMEOUT_MS,
        'adding jobs to the queue',
      );
      await manager.query(`UPDATE outbox SET dispatched_at = now() WHERE id = ANY($1::uuid[])`, [rows.map((row) => row.id)]);
      return rows.length;
    });
  }

  /**
   * Batches (by their deliveries) and timers that should have a job but have not moved for a while: if
   * their job is gone (queue store restarted empty, or the job failed for good with deliveries still
   * owed), add it again. The job sends only what its batch still owes.
   */
  async sweep(): Promise<number> {
    const stale = String(this.config.relayStaleMs);
    const batches: { batch_id: string; job_id: string }[] = await this.dataSource.query(
      `SELECT batch_id, job_id FROM notification_delivery
        WHERE state IN ('queued', 'failed_transient', 'sending') AND updated_at < now() - ($1 || ' milliseconds')::interval
        GROUP BY batch_id, job_id ORDER BY min(updated_at) LIMIT 500`,
      [stale],
    );
    const timers: { id: string; job_id: string }[] = await this.dataSource.query(
      `SELECT id, job_id FROM notification_timer
        WHERE state = 'scheduled' AND fire_at < now() - ($1 || ' milliseconds')::interval ORDER BY fire_at LIMIT 500`,
      [stale],
    );
    let readded = 0;
    for (const row of batches) {
      if (this.stopped) break;
      if (
        await this.readdIfMissing(this.mailQueue, row.job_id, () =>
          this.mailQueue.add('mail.deliver', { batchId: row.batch_id }, this.mailJobOptions(row.job_id)),
        )
      )
        readded += 1;
    }
    for (const row of timers) {
      if (this.stopped) break;
      if (
        await this.readdIfMissing(this.timerQueue, row.job_id, () =>
          this.timerQueue.add('timer.fire', { timerId: row.id }, timerJobOptions(row.job_id, 0)),
        )
      )
        readded += 1;
    }
    if (readded > 0) this.logger.warn({ readded }, 'sweep re-added jobs that had gone missing from the queue');
    return readded;
  }

  /** Re-adds a job whose id is unknown to the queue, or finished while its row still waits. */
  private async readdIfMissing(queue: Queue, jobId: string, add: () => Promise<unknown>): Promise<boolean> {
    const bounded = <T>(step: Promise<T>): Promise<T> => withTimeout(step, ADD_TIMEOUT_MS, 'sweeping the queue');
    const job = await bounded(queue.getJob(jobId));
    const state = job ? await bounded(job.getState()) : 'unknown';
    if (state !== 'unknown' && state !== 'completed' && state !== 'failed') return false;
    if (job) await bounded(job.remove()).catch(() => undefined);
    await bounded(add());
    return true;
  }
}

export function timerJobOptions(jobId: string, delay: number): JobsOptions {
  return { jobId, delay, attempts: 5, backoff: { type: 'exponential', delay: 5_000 } };
}
