import { Module } from '@nestjs/common';
import { DossierRemindersModule } from '@app/applications';
import { AuditCheckpointModule } from '@app/audit';
import { UserRecipientsModule } from '@app/identity';
import { NotificationsDeliveryModule } from '@app/notifications';
import { ReviewRemindersModule } from '@app/reviews';
import { NoticeClosingModule } from './notices/notice-closing';
import { WorkerHealth } from './health/worker-health';
import { MailProcessor } from './processors/mail.processor';
import { SystemProcessor } from './processors/system.processor';
import { TimerProcessor } from './processors/timer.processor';

/** Every queue processor, and the outbox relay. Infrastructure comes from the root module of the app that runs it. */
@Module({
  // DossierRemindersModule registers how dossier reminders re-read their state when a timer fires.
  // AuditCheckpointModule signs the audit streams' heads periodically. UserRecipientsModule says who
  // a reminder's audience is (identity's accounts), and nothing more of identity. NoticeClosingModule
  // closes public notices when their timers fire. ReviewRemindersModule re-reads an expert's seat or an
  // inspection when its reminder fires.
  imports: [
    NotificationsDeliveryModule,
    DossierRemindersModule,
    AuditCheckpointModule,
    UserRecipientsModule,
    NoticeClosingModule,
    ReviewRemindersModule,
  ],
  providers: [SystemProcessor, MailProcessor, TimerProcessor, WorkerHealth],
})
export class WorkerModule {}
