import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { CalendarModule } from '@app/common';
import { TransitionEffectsModule } from '@app/database';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { ReferenceModule } from '@app/reference';
import { AppealTerms } from './appeal-terms.entity';
import { Appeal } from './appeal.entity';
import { AppealsService } from './appeals.service';
import { NoticeCandidate } from './notice-candidate.entity';
import { NoticeEffects } from './notice-effects';
import { Notice } from './notice.entity';
import { NoticesService } from './notices.service';
import { Objection } from './objection.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([Notice, NoticeCandidate, Objection, Appeal, AppealTerms]),
    AuditModule,
    CalendarModule,
    TransitionEffectsModule,
    IdentityModule,
    NotificationsModule,
    ReferenceModule,
  ],
  // NoticeEffects registers this lib as the owner of the `notice` effect of transitions.
  providers: [NoticesService, AppealsService, NoticeEffects],
  exports: [NoticesService, AppealsService],
})
export class NoticesModule {}
