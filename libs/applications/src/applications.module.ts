import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { CalendarModule } from '@app/common';
import { TransitionEffectsModule } from '@app/database';
import { RegistryModule } from '@app/registry';
import { ApplicationEvent } from './application-event.entity';
import { ApplicationNumberCounter } from './application-number.entity';
import { Application } from './application.entity';
import { ApplicationsService } from './applications.service';
import { Attachment } from './attachments/attachment.entity';
import { AttachmentsService } from './attachments/attachments.service';
import { Call } from './call.entity';
import { CallsService } from './calls.service';
import { DecisionsService } from './decisions/decisions.service';
import { DecisionRelease, DossierDecision, RecognitionBatch } from './decisions/dossier-decision.entity';
import { DossierStatistics } from './dossier-statistics';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      Call,
      Application,
      ApplicationEvent,
      ApplicationNumberCounter,
      Attachment,
      DossierDecision,
      DecisionRelease,
      RecognitionBatch,
    ]),
    AuditModule,
    CalendarModule,
    TransitionEffectsModule,
    // Promotions read the platform they build on through the registry's service.
    RegistryModule,
  ],
  providers: [CallsService, ApplicationsService, AttachmentsService, DossierStatistics, DecisionsService],
  exports: [CallsService, ApplicationsService, AttachmentsService, DossierStatistics, DecisionsService],
})
export class ApplicationsModule {}
