import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { Industry, Region } from '@app/reference';
import { RegistryModule } from '@app/registry';
import { CityIndicator, CityIndicatorMilestone, CityIndicatorValue } from './city-indicator.entity';
import { IndicatorsService } from './indicators.service';
import { DossierCounts, DossierPipeline, PipelineSource } from './pipeline-source';
import { Target, TargetRevision } from './target.entity';
import { TargetsService } from './targets.service';

/** Targets, progress and indicators. The pipeline's forecast reads dossiers through `dossiers.counts`, from `dossiers.module`. */
@Module({})
export class TargetsModule {
  static forRoot(dossiers: { module: Type; counts: Type<DossierCounts> }): DynamicModule {
    return {
      module: TargetsModule,
      imports: [
        TypeOrmModule.forFeature([Target, TargetRevision, CityIndicator, CityIndicatorMilestone, CityIndicatorValue, Region, Industry]),
        RegistryModule,
        AuditModule,
        dossiers.module,
      ],
      providers: [
        TargetsService,
        IndicatorsService,
        { provide: DossierCounts, useExisting: dossiers.counts },
        { provide: PipelineSource, useClass: DossierPipeline },
      ],
      exports: [TargetsService, IndicatorsService],
    };
  }
}
