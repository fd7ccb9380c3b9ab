import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { type JobPayloads, type PingResult, QueueName } from '@app/queue';
import { LoggedWorkerHost } from './logged-worker-host';

/** Answers diagnostic pings, so operators and tests can see which process consumed a job. */
@Processor(QueueName.system)
export class SystemProcessor extends LoggedWorkerHost {
  async process(job: Job<JobPayloads['system.ping']>): Promise<PingResult> {
    return { pid: process.pid, processedAt: new Date().toISOString(), requestedAt: job.data.requestedAt };
  }
}
