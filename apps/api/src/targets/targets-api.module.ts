import { Module } from '@nestjs/common';
import { TargetsWithDossiers } from './targets-with-dossiers';
import { TargetsController } from './targets.controller';

@Module({
  imports: [TargetsWithDossiers],
  controllers: [TargetsController],
})
export class TargetsApiModule {}
