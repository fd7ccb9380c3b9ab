import { Module } from '@nestjs/common';
import { ApplicationsModule } from '@app/applications';
import { NotificationsModule } from '@app/notifications';
import { RegistryModule } from '@app/registry';
import { CallsController } from '../calls/calls.controller';
import { ApplicationsController } from './applications.controller';
import { DecisionsController } from './decisions.controller';

@Module({
  // Transitions hand their effects to the libs that own them: mail and deadlines (notifications), registration (registry).
  imports: [ApplicationsModule, NotificationsModule, RegistryModule],
  controllers: [CallsController, ApplicationsController, DecisionsController],
})
export class ApplicationsApiModule {}
