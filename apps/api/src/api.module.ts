import { Module } from '@nestjs/common';
import { CalendarApiModule } from './calendar/calendar.module';
import { DictionariesModule } from './dictionaries/dictionaries.module';
import { HealthModule } from './health/health.module';
import { NotificationsApiModule } from './notifications/notifications-api.module';

/** Every HTTP resource of Ouflow. Infrastructure (config, database, queues) comes from the root module of the app that runs it. */
@Module({
  imports: [HealthModule, DictionariesModule, CalendarApiModule, NotificationsApiModule],
})
export class ApiModule {}
