import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { AppConfig } from '@app/config';
import { ALL_QUEUES } from './queue-names';
import { queueBackendKind, selectQueueBackend } from './queue-backend';
import { QueueErrorLogger } from './queue-errors';
import { PostgresQueueReadiness } from './queue-readiness';

/** Registers the queue backend and every queue; processors live in apps/worker. */
@Global()
@Module({})
export class QueueModule {
  static forRoot(config: AppConfig): DynamicModule {
    const shared = selectQueueBackend(config);
    const queues = BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name })));
    return {
      module: QueueModule,
      imports: [
        BullModule.forRoot({
          ...shared,
          defaultJobOptions: { removeOnComplete: { age: 24 * 3600, count: 10_000 }, removeOnFail: { age: 30 * 24 * 3600 } },
        }),
        queues,
        DiscoveryModule,
      ],
      // Not on Redis: there the queues wait for Redis by themselves, and the process starts without it.
      providers: [QueueErrorLogger, ...(queueBackendKind(config) === 'postgres' ? [PostgresQueueReadiness] : [])],
      exports: [queues, QueueErrorLogger],
    };
  }
}
