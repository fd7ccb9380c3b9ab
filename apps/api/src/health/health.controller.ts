import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { Public } from '@app/identity';
import { QueueName } from '@app/queue';
import { SmtpProbe } from './smtp.probe';

const PROBE_TIMEOUT_MS = 3000;

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.system) private readonly queue: Queue,
    private readonly smtp: SmtpProbe,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: database, queue backend and SMTP server reachable' })
  ready() {
    return this.health.check([
      () =>
        this.indicators
          .check('database')
          .attempt(async () => {
            await this.dataSource.query('SELECT 1');
          })
          .withTimeout(PROBE_TIMEOUT_MS),
      () =>
        this.indicators
          .check('queue')
          .attempt(async () => {
            const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
            return { counts };
          })
          .withTimeout(PROBE_TIMEOUT_MS),
      () =>
        this.indicators
          .check('mail')
          .attempt(() => this.smtp.verify())
          .withTimeout(PROBE_TIMEOUT_MS)
          .cacheFor(5_000),
    ]);
  }
}
