import { Module } from '@nestjs/common';
import { TargetsWithDossiers } from '../targets/targets-with-dossiers';
import { IndicatorsController } from './indicators.controller';

@Module({
  imports: [TargetsWithDossiers],
  controllers: [IndicatorsController],
})
export class IndicatorsApiModule {}
