import { Module } from '@nestjs/common';
import { ApplicationsModule } from '@app/applications';
import { NotificationsDeliveryModule } from '@app/notifications';
import { WorkerHealth } from './health/worker-health';
import { MailProcessor } from './processors/mail.processor';
import { SystemProcessor } from './processors/system.processor';
import { TimerProcessor } from './processors/timer.processor';

/** Every queue processor, and the outbox relay. Infrastructure comes from the root module of the app that runs it. */
@Module({
  // ApplicationsModule registers how dossier reminders re-read their state when a timer fires.
  imports: [NotificationsDeliveryModule, ApplicationsModule],
  providers: [SystemProcessor, MailProcessor, TimerProcessor, WorkerHealth],
})
export class WorkerModule {}
