import { Module } from '@nestjs/common';
import { ApplicationsModule } from '@app/applications';
import { IdentityModule } from '@app/identity';
import { NoticesModule } from '@app/notices';
import { ReviewsModule } from '@app/reviews';
import { ReviewDossiers } from '../reviews/review-dossiers';
import { AppealProcedure } from './appeal-procedure';
import { AppealTermsController, AppealsController } from './appeals.controller';
import { NoticeProcedure } from './notice-procedure';
import { NoticesController } from './notices.controller';
import { ObjectionThrottlerGuard } from './objection-throttler.guard';
import { PublicNoticesController } from './public-notices.controller';

@Module({
  imports: [NoticesModule, ApplicationsModule, ReviewsModule, IdentityModule],
  controllers: [NoticesController, PublicNoticesController, AppealsController, AppealTermsController],
  providers: [NoticeProcedure, ObjectionThrottlerGuard, AppealProcedure, ReviewDossiers],
})
export class NoticesApiModule {}
