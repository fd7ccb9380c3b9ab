import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationDelivery } from './notification-delivery.entity';
import { NotificationsService } from './notifications.service';
import { OutboxEntry } from './outbox.entity';
import { NotificationTimer } from './timer.entity';

/** What any lib needs to send mail: write it into its own transaction. */
@Module({
  imports: [TypeOrmModule.forFeature([NotificationDelivery, OutboxEntry, NotificationTimer])],
  providers: [NotificationsService],
  exports: [NotificationsService],
})
export class NotificationsModule {}
