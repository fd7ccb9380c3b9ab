import { Module } from '@nestjs/common';
import { ApplicationsModule } from '@app/applications';
import { AttachmentsController } from './attachments.controller';

@Module({
  imports: [ApplicationsModule],
  controllers: [AttachmentsController],
})
export class AttachmentsApiModule {}
