import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarModule } from '@app/common';
import { TransitionEffectsModule } from '@app/database';
import { DeadlinesService } from './deadlines.service';
import { DeliveriesService } from './deliveries.service';
import { DossierEffects } from './dossier-effects';
import { Mailer } from './mailer';
import { NotificationDelivery } from './notification-delivery.entity';
import { NotificationsAdminService } from './notifications-admin.service';
import { NotificationsService } from './notifications.service';
import { OutboxRelay } from './outbox-relay';
import { OutboxEntry } from './outbox.entity';
import { RecipientDirectory } from './recipient-directory';
import { NotificationTimer } from './timer.entity';
import { TimersService } from './timers.service';
import { WorkerHeartbeat } from './worker-heartbeat.entity';
import { WorkerHeartbeats } from './worker-heartbeats.service';

/** What any lib needs to send mail and set timers: both are written into the caller's transaction. */
@Module({
  imports: [
    TypeOrmModule.forFeature([NotificationDelivery, OutboxEntry, NotificationTimer, WorkerHeartbeat]),
    CalendarModule,
    TransitionEffectsModule,
  ],
  // DossierEffects registers this lib as the owner of the mail and deadline effects of transitions.
  // RecipientDirectory is filled by the lib that owns the accounts (identity's UserRecipientsModule).
  providers: [
    NotificationsService,
    RecipientDirectory,
    TimersService,
    NotificationsAdminService,
    DeadlinesService,
    DossierEffects,
    WorkerHeartbeats,
  ],
  exports: [NotificationsService, RecipientDirectory, TimersService, NotificationsAdminService, DeadlinesService, WorkerHeartbeats],
})
export class NotificationsModule {}

/** The delivering side, run by the worker: relay, mailer, delivery bookkeeping. */
@Module({
  imports: [NotificationsModule],
  providers: [OutboxRelay, Mailer, DeliveriesService],
  exports: [DeliveriesService, Mailer, NotificationsModule],
})
export class NotificationsDeliveryModule {}
