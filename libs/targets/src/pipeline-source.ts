import { Injectable } from '@nestjs/common';
import { PLATFORM_LEVELS, type PlatformLevel, type PlatformTypeCode, levelRank } from '@app/reference';
import { STAGES, STAGE_LABELS, type Stage, TERMINAL_STAGES } from '@app/workflow';
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
 * real one is `DossierPipeline`.
 */
export abstract class PipelineSource {
  abstract readonly available: boolean;
  abstract stagesFor(query: PipelineQuery): Promise<PipelineStage[]>;
}

/**
 * The counts the forecast needs from the lib that owns dossiers. Targets sits beside applications,
 * not above it, so the app that assembles both names the provider (TargetsModule.forRoot).
 */
export abstract class DossierCounts {
  abstract openByStage(scope: {
    types: readonly string[];
    levels: readonly string[];
    stages: readonly string[];
    asOf: string;
  }): Promise<{ stage: string; n: number }[]>;
  abstract outcomesByStage(scope: {
    types: readonly string[];
    levels: readonly string[];
  }): Promise<{ stage: string; passed: number; closed: number }[]>;
}

/** Every stage a dossier waits in between submission and a final outcome: the workflow's own list. */
const OPEN_STAGES: readonly Stage[] = STAGES.filter((stage) => stage !== 'draft' && !TERMINAL_STAGES.includes(stage));

/** Used where a stage has no closed dossiers yet to learn from: later stages pass more often. */
const PRIOR_PASS_RATE: Record<string, number> = {
  county_review: 0.6,
  revision: 0.6,
  formal_review: 0.7,
  expert_review: 0.75,
  site_inspection: 0.85,
  decision: 0.9,
  recommended_to_province: 0.6,
  approved: 0.95,
  public_notice: 0.95,
  notice_closed: 0.98,
};

/** The dossiers now in the procedure and, per stage, the share of closed dossiers that went on from it to recognition. */
@Injectable()
export class DossierPipeline extends PipelineSource {
  readonly available = true;

  constructor(private readonly dossiers: DossierCounts) {
    super();
  }

  async stagesFor(query: PipelineQuery): Promise<PipelineStage[]> {
    // A dossier still open after the due date cannot count by then.
    if (query.dueOn < query.asOf) return [];
    const levels = PLATFORM_LEVELS.filter((level) => levelRank(level) >= levelRank(query.levelFloor));
    const counts = await this.dossiers.openByStage({ types: query.types, levels, stages: OPEN_STAGES, asOf: query.asOf });
    if (counts.length === 0) return [];
    const history = await this.dossiers.outcomesByStage({ types: query.types, levels });
    const rates = new Map(history.filter((h) => h.closed >= 5).map((h) => [h.stage, h.passed / h.closed]));
    return OPEN_STAGES.filter((stage) => counts.some((c) => c.stage === stage)).map((stage) => ({
      stage,
      nameZh: STAGE_LABELS[stage].zh,
      count: counts.find((c) => c.stage === stage)?.n ?? 0,
      passRate: Math.round((rates.get(stage) ?? PRIOR_PASS_RATE[stage] ?? 0.5) * 1000) / 1000,
    }));
  }
}
