import { hostname } from 'node:os';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { DeliveriesService, Mailer, type SmtpHealth, WorkerHeartbeats } from '@app/notifications';
import { QueueName } from '@app/queue';
import { type PartHealth, type WorkerHealthReport, removeHealthFile, writeHealthFile } from './health-file';

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, 500);

/** One check of one dependency: bounded in time, and never a second one while the first still waits. */
class BoundedCheck {
  private inFlight = false;

  async run(work: () => Promise<unknown>, timeoutMs: number): Promise<PartHealth> {
    if (this.inFlight) return { up: false, error: 'no answer to the previous check yet' };
    this.inFlight = true;
    const attempt = work()
      .then((): PartHealth => ({ up: true, error: null }))
      .catch((error: unknown): PartHealth => ({ up: false, error: errorText(error) }))
      .finally(() => (this.inFlight = false));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<PartHealth>((resolve) => {
      timer = setTimeout(() => resolve({ up: false, error: `no answer within ${timeoutMs} ms` }), timeoutMs);
    });
    try {
      return await Promise.race([attempt, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * The worker's readiness, which has no port to ask: every WORKER_HEALTH_INTERVAL_MS it checks its
 * database and queue store, takes the SMTP state its sends saw (probing once when idle), writes
 * the result to WORKER_HEALTH_FILE for `main.js --ready` (an exec probe), and a heartbeat row for
 * the API's /metrics and /health/workers.
 */
@Injectable()
export class WorkerHealth implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerHealth.name);
  private readonly id = `${hostname()}:${process.pid}`;
  private readonly startedAt = new Date();
  private readonly database = new BoundedCheck();
  private readonly queue = new BoundedCheck();
  private readonly heartbeat = new BoundedCheck();
  private readonly smtp = new BoundedCheck();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private wasReady: boolean | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.mail) private readonly mailQueue: Queue,
    private readonly mailer: Mailer,
    private readonly deliveries: DeliveriesService,
    private readonly heartbeats: WorkerHeartbeats,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.tick();
  }

  /** Not waiting for a check in flight: a stopping worker must not be held by a dependency that is away. */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await removeHealthFile(this.config.workerHealthFile).catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.heartbeats.forget(this.id).catch(() => undefined),
      new Promise((resolve) => (timer = setTimeout(resolve, this.timeoutMs))),
    ]);
    clearTimeout(timer);
  }

  private get timeoutMs(): number {
    return Math.min(3_000, this.config.workerHealthIntervalMs);
  }

  private tick(): void {
    void this.check()
      .then((report) => this.publish(report))
      .catch((error: unknown) => this.logger.warn({ err: { message: errorText(error) } }, 'worker health not written'))
      .finally(() => {
        if (!this.stopped) this.timer = setTimeout(() => this.tick(), this.config.workerHealthIntervalMs);
      });
  }

  async check(): Promise<WorkerHealthReport> {
    const interval = this.config.workerHealthIntervalMs;
    let smtp: SmtpHealth = { up: false, checkedAt: null, error: null };
    const [database, queue, smtpCheck] = await Promise.all([
      this.database.run(() => this.dataSource.query('SELECT 1'), this.timeoutMs),
      this.queue.run(() => this.mailQueue.getJobCounts('waiting'), this.timeoutMs),
      this.smtp.run(async () => (smtp = await this.mailer.health(interval)), this.timeoutMs),
    ]);
    if (!smtpCheck.up) smtp = { up: false, checkedAt: new Date(), error: smtpCheck.error };
    return {
      id: this.id,
      pid: process.pid,
      checkedAt: new Date().toISOString(),
      intervalMs: interval,
      ready: database.up && queue.up && smtp.up === true,
      database,
      queue,
      smtp: { up: smtp.up, error: smtp.error, checkedAt: smtp.checkedAt?.toISOString() ?? null },
      unrecordedSends: this.deliveries.unrecordedCount,
    };
  }

  private async publish(report: WorkerHealthReport): Promise<void> {
    if (this.stopped) return;
    if (report.ready !== this.wasReady) {
      const parts = { database: report.database, queue: report.queue, smtp: report.smtp };
      if (report.ready) this.logger.log(parts, 'worker ready');
      else this.logger.warn(parts, 'worker not ready');
      this.wasReady = report.ready;
    }
    await writeHealthFile(this.config.workerHealthFile, report);
    // While the database is away the row cannot be written; the file still tells the probe.
    await this.heartbeat.run(
      () =>
        this.heartbeats.beat({
          id: report.id,
          ready: report.ready,
          queueUp: report.queue.up,
          smtpUp: report.smtp.up,
          smtpError: report.smtp.error,
          unrecordedSends: report.unrecordedSends,
          startedAt: this.startedAt,
        }),
      this.timeoutMs,
    );
  }
}
