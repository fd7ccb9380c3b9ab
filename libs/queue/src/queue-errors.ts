import { getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { ALL_QUEUES } from './queue-names';

/**
 * A queue whose store goes away (Redis restarted, PostgreSQL connections terminated) emits
 * 'error'; with no listener Node would throw and end the process. The error is logged instead and
 * BullMQ reconnects; nothing is lost, since the outbox and the relay's sweep hold the truth.
 */
@Injectable()
export class QueueErrorLogger implements OnModuleInit {
  private readonly logger = new Logger('Queue');
  private lastLogged = 0;

  constructor(@Inject(ModuleRef) private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    for (const name of ALL_QUEUES) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      queue.on('error', (error: Error) => this.log(name, error));
    }
  }

  log(queue: string, error: Error): void {
    // At most one line a second: a store that is down fails every command.
    const now = Date.now();
    if (now - this.lastLogged < 1000) return;
    this.lastLogged = now;
    this.logger.warn({ queue, err: { message: error.message, code: (error as { code?: string }).code } }, 'queue backend error');
  }
}
