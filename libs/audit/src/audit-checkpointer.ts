import { Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AuditModule } from './audit.module';
import { AuditService } from './audit.service';

/** How often the worker signs the streams' heads: a stream's rows written since can be cut off undetected until then. */
export const AUDIT_CHECKPOINT_INTERVAL_MS = 5 * 60_000;

/**
 * Writes an audit checkpoint when the worker starts and every AUDIT_CHECKPOINT_INTERVAL_MS, and logs
 * its MAC: the log, kept outside the database, is where an operator finds the value for
 * `audit:verify --expect`.
 */
@Injectable()
export class AuditCheckpointer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AuditCheckpointer.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly audit: AuditService) {}

  onApplicationBootstrap(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), AUDIT_CHECKPOINT_INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    // One at a time: a slow checkpoint is not overtaken by the next.
    this.running = this.running.then(async () => {
      try {
        const checkpoint = await this.audit.checkpoint();
        if (checkpoint) {
          this.logger.log({ seq: checkpoint.seq, mac: checkpoint.mac, streams: checkpoint.heads.length }, 'audit checkpoint');
        }
      } catch (error) {
        this.logger.error({ err: error }, 'audit checkpoint failed; retried at the next interval');
      }
    });
  }
}

/** The worker's periodic audit checkpoints. */
@Module({ imports: [AuditModule], providers: [AuditCheckpointer] })
export class AuditCheckpointModule {}
