import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { TimersService } from '@app/notifications';
import { type JobPayloads, QueueName } from '@app/queue';
import { LoggedWorkerHost } from './logged-worker-host';

/** Fires reminders, escalations and other deadline timers; the handler re-reads the state first. */
@Processor(QueueName.timers, { concurrency: 5 })
export class TimerProcessor extends LoggedWorkerHost {
  constructor(private readonly timers: TimersService) {
    super();
  }

  process(job: Job<JobPayloads['timer.fire']>): Promise<string> {
    return this.timers.fire(job.data.timerId);
  }
}
