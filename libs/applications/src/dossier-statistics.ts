import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface DossierScope {
  types: readonly string[];
  levels: readonly string[];
}

/** Counts over dossiers and their events, for the libs that report on the procedure (the targets' forecast). */
@Injectable()
export class DossierStatistics {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Submitted dossiers waiting in each of the given stages, counting those submitted by the end of `asOf`. */
  async openByStage(scope: DossierScope & { stages: readonly string[]; asOf: string }): Promise<{ stage: string; n: number }[]> {
    return this.dataSource.query(
      `SELECT stage, count(*)::int AS n FROM application
        WHERE platform_type = ANY($1) AND level = ANY($2) AND stage = ANY($3) AND submitted_at < ($4::date + 1)
        GROUP BY stage`,
      [scope.types, scope.levels, scope.stages, scope.asOf],
    );
  }

  /** For each stage dossiers left, how many of those now closed were recognised in the end. */
  async outcomesByStage(scope: DossierScope): Promise<{ stage: string; passed: number; closed: number }[]> {
    return this.dataSource.query(
      `SELECT e.from_stage AS stage,
              count(DISTINCT a.id) FILTER (WHERE a.stage = 'recognised')::int AS passed,
              count(DISTINCT a.id)::int AS closed
         FROM application_event e JOIN application a ON a.id = e.application_id
        WHERE a.platform_type = ANY($1) AND a.level = ANY($2) AND a.stage IN ('recognised', 'rejected', 'withdrawn')
        GROUP BY e.from_stage`,
      [scope.types, scope.levels],
    );
  }
}
