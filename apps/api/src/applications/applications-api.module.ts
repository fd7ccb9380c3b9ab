import { Module } from '@nestjs/common';
import { ApplicationsModule } from '@app/applications';
import { CallsController } from '../calls/calls.controller';
import { ApplicationsController } from './applications.controller';

@Module({
  imports: [ApplicationsModule],
  controllers: [CallsController, ApplicationsController],
})
export class ApplicationsApiModule {}
