import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Queue } from 'bullmq';
import { Gauge, Registry } from 'prom-client';
import { Public } from '@app/identity';
import { NotificationsAdminService, WorkerHeartbeats } from '@app/notifications';
import { QueueName } from '@app/queue';

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/**
 * Public like /health, for scrapers: application counts only, no personal data, and no runtime or
 * process details (Node version, memory, file descriptors), which would help an attacker and which the
 * host's own monitoring already has. Keep it behind the internal network or a reverse-proxy rule anyway.
 *
 * Prometheus text: queue depth per queue and state, deliveries per state, pending outbox rows. */
@ApiTags('operations')
@Controller('metrics')
@Public()
export class MetricsController {
  private readonly registry = new Registry();
  private readonly queueJobs = new Gauge({
    name: 'ouflow_queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'],
    registers: [this.registry],
  });
  private readonly deliveries = new Gauge({
    name: 'ouflow_mail_deliveries',
    help: 'Email deliveries per state',
    labelNames: ['state'],
    registers: [this.registry],
  });
  private readonly outboxPending = new Gauge({
    name: 'ouflow_outbox_pending',
    help: 'Outbox rows due (within the relay horizon) and not yet handed to the queue',
    registers: [this.registry],
  });

  private readonly workers = new Gauge({
    name: 'ouflow_workers',
    help: 'Workers by their last heartbeat (within three health intervals): alive, ready, queue_up, smtp_up',
    labelNames: ['state'],
    registers: [this.registry],
  });
  private readonly unrecordedSends = new Gauge({
    name: 'ouflow_mail_unrecorded_sends',
    help: 'Mails SMTP accepted that workers still have to record as sent (database away)',
    registers: [this.registry],
  });

  constructor(
    private readonly notifications: NotificationsAdminService,
    private readonly heartbeats: WorkerHeartbeats,
    @InjectQueue(QueueName.mail) private readonly mailQueue: Queue,
    @InjectQueue(QueueName.timers) private readonly timerQueue: Queue,
    @InjectQueue(QueueName.system) private readonly systemQueue: Queue,
  ) {}

  @ApiOperation({ summary: 'Prometheus 指标 · Prometheus metrics' })
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOkResponse({ description: 'Prometheus text format' })
  async metrics(): Promise<string> {
    for (const queue of [this.mailQueue, this.timerQueue, this.systemQueue]) {
      const counts = await queue.getJobCounts(...JOB_STATES);
      for (const state of JOB_STATES) this.queueJobs.set({ queue: queue.name, state }, counts[state] ?? 0);
    }
    this.deliveries.reset();
    for (const { state, count } of await this.notifications.deliveryCounts()) this.deliveries.set({ state }, count);
    this.outboxPending.set(await this.notifications.pendingOutbox());
    const workers = await this.heartbeats.summary();
    for (const [state, count] of Object.entries({
      alive: workers.alive,
      ready: workers.ready,
      queue_up: workers.queueUp,
      smtp_up: workers.smtpUp,
    }))
      this.workers.set({ state }, count);
    this.unrecordedSends.set(workers.unrecordedSends);
    return this.registry.metrics();
  }
}
