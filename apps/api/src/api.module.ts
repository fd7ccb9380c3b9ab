import { Module } from '@nestjs/common';
import { ApplicationsApiModule } from './applications/applications-api.module';
import { AttachmentsApiModule } from './applications/attachments-api.module';
import { AuditApiModule } from './audit/audit-api.module';
import { AuthApiModule } from './auth/auth-api.module';
import { CalendarApiModule } from './calendar/calendar.module';
import { DictionariesModule } from './dictionaries/dictionaries.module';
import { HealthModule } from './health/health.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { OrganisationsApiModule } from './organisations/organisations-api.module';
import { UsersApiModule } from './users/users-api.module';
import { NotificationsApiModule } from './notifications/notifications-api.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { IndicatorsApiModule } from './indicators/indicators-api.module';
import { PlatformsApiModule } from './platforms/platforms-api.module';
import { NoticesApiModule } from './notices/notices-api.module';
import { ReviewsApiModule } from './reviews/reviews-api.module';
import { TargetsApiModule } from './targets/targets-api.module';

/** Every HTTP resource of Ouflow. Infrastructure (config, database, queues) comes from the root module of the app that runs it. */
@Module({
  imports: [
    HealthModule,
    IdempotencyModule,
    DictionariesModule,
    CalendarApiModule,
    NotificationsApiModule,
    AuthApiModule,
    UsersApiModule,
    OrganisationsApiModule,
    AuditApiModule,
    ApplicationsApiModule,
    AttachmentsApiModule,
    ReviewsApiModule,
    NoticesApiModule,
    PlatformsApiModule,
    TargetsApiModule,
    IndicatorsApiModule,
    DashboardModule,
  ],
})
export class ApiModule {}
