import { Module } from '@nestjs/common';
import { ApplicationsModule } from '@app/applications';
import { IdentityModule } from '@app/identity';
import { NoticesModule } from '@app/notices';
import { NoticeProcedure } from './notice-procedure';
import { NoticesController } from './notices.controller';
import { ObjectionThrottlerGuard } from './objection-throttler.guard';
import { PublicNoticesController } from './public-notices.controller';

@Module({
  imports: [NoticesModule, ApplicationsModule, IdentityModule],
  controllers: [NoticesController, PublicNoticesController],
  providers: [NoticeProcedure, ObjectionThrottlerGuard],
})
export class NoticesApiModule {}
