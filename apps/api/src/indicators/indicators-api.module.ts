import { Module } from '@nestjs/common';
import { TargetsModule } from '@app/targets';
import { IndicatorsController } from './indicators.controller';

@Module({
  imports: [TargetsModule],
  controllers: [IndicatorsController],
})
export class IndicatorsApiModule {}
