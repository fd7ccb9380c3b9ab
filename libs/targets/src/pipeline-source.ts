import { Injectable } from '@nestjs/common';
import type { PlatformLevel, PlatformTypeCode } from '@app/reference';
import type { PipelineStage } from './progress';

export interface PipelineQuery {
  types: PlatformTypeCode[];
  levelFloor: PlatformLevel;
  asOf: string;
  /** Only dossiers that could be recognised by this day. */
  dueOn: string;
}

/**
 * Where the forecast gets dossiers in the pipeline and each stage's historical pass rate. The
 * dossier workflow (libs/applications) provides the real one; until then `NoPipelineYet` answers
 * with no stages, so forecasts equal the current counts and say `available: false`.
 */
export abstract class PipelineSource {
  abstract readonly available: boolean;
  abstract stagesFor(query: PipelineQuery): Promise<PipelineStage[]>;
}

@Injectable()
export class NoPipelineYet extends PipelineSource {
  readonly available = false;

  stagesFor(): Promise<PipelineStage[]> {
    return Promise.resolve([]);
  }
}
