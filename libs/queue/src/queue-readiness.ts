import { WorkerHost, getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, ModuleRef } from '@nestjs/core';
import type { Queue, Worker } from 'bullmq';
import { ALL_QUEUES } from './queue-names';

/**
 * On the PostgreSQL backend every queue and worker sets up BullMQ's schema once, on its first use,
 * and BullMQ keeps the outcome for good: one whose set-up lost its connection fails every later
 * command, though the database is back. So the process starts only once all of them are set up
 * (a failure ends the start, and a restart retries it); a connection lost afterwards is retried.
 */
@Injectable()
export class PostgresQueueReadiness implements OnApplicationBootstrap {
  constructor(
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const queues = ALL_QUEUES.map((name) => this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
    // After every onModuleInit: @nestjs/bullmq has built the workers of the processors this process runs.
    const workers = this.discovery
      .getProviders()
      .map((wrapper): unknown => wrapper.instance)
      .filter((instance): instance is WorkerHost<Worker> => instance instanceof WorkerHost)
      .map((host) => host.worker);
    await Promise.all([...queues, ...workers].map((client) => client.waitUntilReady()));
  }
}
