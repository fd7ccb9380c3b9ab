import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { Industry, Region } from '@app/reference';
import { RegistryModule } from '@app/registry';
import { CityIndicator, CityIndicatorMilestone, CityIndicatorValue } from './city-indicator.entity';
import { IndicatorsService } from './indicators.service';
import { DossierPipeline, PipelineSource } from './pipeline-source';
import { Target, TargetRevision } from './target.entity';
import { TargetsService } from './targets.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Target, TargetRevision, CityIndicator, CityIndicatorMilestone, CityIndicatorValue, Region, Industry]),
    RegistryModule,
    AuditModule,
  ],
  providers: [TargetsService, IndicatorsService, { provide: PipelineSource, useClass: DossierPipeline }],
  exports: [TargetsService, IndicatorsService],
})
export class TargetsModule {}
