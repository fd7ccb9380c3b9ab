import { Module } from '@nestjs/common';
import { RegistryModule } from '@app/registry';
import { PlatformsController } from './platforms.controller';

@Module({
  imports: [RegistryModule],
  controllers: [PlatformsController],
})
export class PlatformsApiModule {}
