import { Module } from '@nestjs/common';
import { NotificationsModule } from '@app/notifications';
import { MetricsController } from '../metrics/metrics.controller';
import { NotificationsController } from './notifications.controller';

@Module({
  imports: [NotificationsModule],
  controllers: [NotificationsController, MetricsController],
})
export class NotificationsApiModule {}
