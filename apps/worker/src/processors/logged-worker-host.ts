import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';

/**
 * A worker whose queue store goes away emits 'error'; unhandled, it would end the process. It is
 * logged (at most once a second) instead, and BullMQ reconnects by itself.
 */
export abstract class LoggedWorkerHost extends WorkerHost {
  private readonly errorLogger = new Logger('Worker');
  private lastErrorLoggedAt = 0;

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    const now = Date.now();
    if (now - this.lastErrorLoggedAt < 1000) return;
    this.lastErrorLoggedAt = now;
    this.errorLogger.warn({ queue: this.worker.name, err: { message: error.message } }, 'queue backend error');
  }
}
