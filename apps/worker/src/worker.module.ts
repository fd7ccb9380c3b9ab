import { Module } from '@nestjs/common';
import { SystemProcessor } from './processors/system.processor';

/** Every queue processor. Infrastructure comes from the root module of the app that runs it. */
@Module({
  providers: [SystemProcessor],
})
export class WorkerModule {}
