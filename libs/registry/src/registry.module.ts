import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { TransitionEffectsModule } from '@app/database';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { Industry, Region } from '@app/reference';
import { AnnualReport } from './annual-report.entity';
import { Evaluation, EvaluationThreshold, Rectification } from './evaluation.entity';
import { PlatformChange } from './platform-change.entity';
import { PlatformImportService } from './platform-import.service';
import { Platform } from './platform.entity';
import { RecognitionEffects } from './recognition-effects';
import { RegistryTally } from './registry-tally.entity';
import { RegistryTallyService } from './registry-tally.service';
import { RegistryService } from './registry.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      Platform,
      PlatformChange,
      AnnualReport,
      Evaluation,
      EvaluationThreshold,
      Rectification,
      RegistryTally,
      Region,
      Industry,
    ]),
    AuditModule,
    IdentityModule,
    NotificationsModule,
    TransitionEffectsModule,
  ],
  // RecognitionEffects registers this lib as the owner of the registration effect of transitions.
  providers: [RegistryService, RegistryTallyService, PlatformImportService, RecognitionEffects],
  exports: [RegistryService, RegistryTallyService, PlatformImportService],
})
export class RegistryModule {}
