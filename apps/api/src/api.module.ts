import { Module } from '@nestjs/common';
import { DictionariesModule } from './dictionaries/dictionaries.module';
import { HealthModule } from './health/health.module';

/** Every HTTP resource of Ouflow. Infrastructure (config, database, queues) comes from the root module of the app that runs it. */
@Module({
  imports: [HealthModule, DictionariesModule],
})
export class ApiModule {}
