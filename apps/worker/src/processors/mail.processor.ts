import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { type DeliveryOutcome, DeliveriesService } from '@app/notifications';
import { type JobPayloads, QueueName } from '@app/queue';
import { LoggedWorkerHost } from './logged-worker-host';

/** One job per delivery; retries (transient failures) are BullMQ's exponential backoff. */
@Processor(QueueName.mail, { concurrency: 10, lockDuration: 20_000, stalledInterval: 10_000, maxStalledCount: 2 })
export class MailProcessor extends LoggedWorkerHost {
  constructor(private readonly deliveries: DeliveriesService) {
    super();
  }

  process(job: Job<JobPayloads['mail.deliver']>): Promise<DeliveryOutcome> {
    return this.deliveries.deliver(job.data.deliveryId, job.attemptsMade + 1, job.opts.attempts ?? 1);
  }
}
