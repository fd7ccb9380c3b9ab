import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Public } from '@app/identity';
import { WorkerHeartbeats } from '@app/notifications';
import { type DiskSpace, diskSpace } from './disk-space';
import { WorkersSummaryDto } from './workers-summary.dto';

const PROBE_TIMEOUT_MS = 3000;

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly heartbeats: WorkerHeartbeats,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: '存活检查 · Liveness: the process answers' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * What the API's requests need, nothing more: the queue store and SMTP serve the worker (the
   * outbox rides out their outages), so they are the worker's readiness, not the API's.
   */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: '就绪检查 · Readiness: database reachable and room left on the data disk (uploads)' })
  ready() {
    return this.health.check([
      () =>
        this.indicators
          .check('database')
          .attempt(async () => {
            await this.dataSource.query('SELECT 1');
          })
          .withTimeout(PROBE_TIMEOUT_MS),
      async () => {
        const indicator = this.indicators.check('disk');
        let space: DiskSpace;
        try {
          space = await diskSpace(this.config.dataDir, this.config.diskMinFreeBytes);
        } catch (error) {
          return indicator.down({ reason: `cannot read the data disk: ${error instanceof Error ? error.message : String(error)}` });
        }
        // No path: the answer is public.
        const details = { freeBytes: space.freeBytes, minFreeBytes: space.minFreeBytes };
        return space.freeBytes >= space.minFreeBytes
          ? indicator.up(details)
          : indicator.down({ ...details, reason: 'data disk full: less free space than DISK_MIN_FREE_BYTES' });
      },
    ]);
  }

  @Get('workers')
  @ApiOperation({ summary: '后台进程状态 · Workers (no HTTP port of their own) as their heartbeats report them: counts only' })
  @ApiOkResponse({ type: WorkersSummaryDto })
  workers(): Promise<WorkersSummaryDto> {
    return this.heartbeats.summary();
  }
}
