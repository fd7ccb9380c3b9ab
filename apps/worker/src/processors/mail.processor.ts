import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { type BatchOutcome, DeliveriesService } from '@app/notifications';
import { type JobPayloads, QueueName } from '@app/queue';
import { LoggedWorkerHost } from './logged-worker-host';

/**
 * One job per batch (the mails one transaction queued). A run that leaves deliveries to retry
 * (transient failures) fails, and BullMQ's exponential backoff runs it again for those alone.
 */
@Processor(QueueName.mail, { concurrency: 10, lockDuration: 20_000, stalledInterval: 10_000, maxStalledCount: 2 })
export class MailProcessor extends LoggedWorkerHost {
  constructor(private readonly deliveries: DeliveriesService) {
    super();
  }

  process(job: Job<JobPayloads['mail.deliver'] | LegacyMailJob>): Promise<BatchOutcome> {
    // A job queued before batches carried one delivery, whose id became its batch's id.
    const batchId = 'batchId' in job.data ? job.data.batchId : job.data.deliveryId;
    return this.deliveries.deliver(batchId, job.attemptsMade + 1, job.opts.attempts ?? 1);
  }
}

/** The payload of a mail job queued before mail went out in batches. */
interface LegacyMailJob {
  deliveryId: string;
}
