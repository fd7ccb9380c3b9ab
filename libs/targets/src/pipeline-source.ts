import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
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

/**
 * The dossiers now in the procedure (libs/applications' tables, read here as a read model) and,
 * per stage, the share of closed dossiers that went on from it to recognition.
 */
@Injectable()
export class DossierPipeline extends PipelineSource {
  readonly available = true;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async stagesFor(query: PipelineQuery): Promise<PipelineStage[]> {
    // A dossier still open after the due date cannot count by then.
    if (query.dueOn < query.asOf) return [];
    const levels = PLATFORM_LEVELS.filter((level) => levelRank(level) >= levelRank(query.levelFloor));
    const counts: { stage: string; n: number }[] = await this.dataSource.query(
      `SELECT stage, count(*)::int AS n FROM application
        WHERE platform_type = ANY($1) AND level = ANY($2) AND stage = ANY($3) AND submitted_at < ($4::date + 1)
        GROUP BY stage`,
      [query.types, levels, OPEN_STAGES, query.asOf],
    );
    if (counts.length === 0) return [];
    const history: { stage: string; passed: number; closed: number }[] = await this.dataSource.query(
      `SELECT e.from_stage AS stage,
              count(DISTINCT a.id) FILTER (WHERE a.stage = 'recognised')::int AS passed,
              count(DISTINCT a.id)::int AS closed
         FROM application_event e JOIN application a ON a.id = e.application_id
        WHERE a.platform_type = ANY($1) AND a.level = ANY($2) AND a.stage IN ('recognised', 'rejected', 'withdrawn')
        GROUP BY e.from_stage`,
      [query.types, levels],
    );
    const rates = new Map(history.filter((h) => h.closed >= 5).map((h) => [h.stage, h.passed / h.closed]));
    return OPEN_STAGES.filter((stage) => counts.some((c) => c.stage === stage)).map((stage) => ({
      stage,
      nameZh: STAGE_LABELS[stage].zh,
      count: counts.find((c) => c.stage === stage)?.n ?? 0,
      passRate: Math.round((rates.get(stage) ?? PRIOR_PASS_RATE[stage] ?? 0.5) * 1000) / 1000,
    }));
  }
}
