import { ApiProperty } from '@nestjs/swagger';
import type { WorkersSummary } from '@app/notifications';

export class WorkersSummaryDto implements WorkersSummary {
  @ApiProperty({ description: 'Workers that reported within three health intervals' })
  alive: number;

  @ApiProperty({ description: 'Of those, ready: database, queue store and SMTP reachable' })
  ready: number;

  @ApiProperty()
  queueUp: number;

  @ApiProperty()
  smtpUp: number;

  @ApiProperty({ description: 'Mails SMTP accepted that are still to be recorded as sent (database away)' })
  unrecordedSends: number;
}
