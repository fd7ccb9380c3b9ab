import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Platform } from './platform.entity';
import {
  type Measure,
  OPERATOR_TYPES,
  type TallyChange,
  type TallyKey,
  type TallyRecord,
  type TallyRow,
  difference,
  lineageChanges,
  operatorChanges,
  rangesFor,
  toTallyRows,
} from './tally';

/** What makes two operators the same organisation. */
export function operatorKeyOf(platform: Pick<Platform, 'creditCode' | 'organisationId' | 'organisationName'>): string {
  return platform.creditCode ?? platform.organisationId ?? platform.organisationName;
}

const OPERATOR_KEY_SQL = `COALESCE(p.credit_code, p.organisation_id::text, p.organisation_name)`;

export interface TallySums {
  key: TallyKey;
  /** One value per requested day, in order. */
  values: number[];
}

const CHUNK = 5000;

/** Keeps the tally in step with the registry (same transaction) and reads it for targets. */
@Injectable()
export class RegistryTallyService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Runs a change to the registry and adds its effect on the tally, in the caller's transaction.
   * The lineages and operators named are locked, read before and after, and the difference applied.
   */
  async track<T>(manager: EntityManager, units: { lineageIds: string[]; operatorKeys: string[] }, change: () => Promise<T>): Promise<T> {
    const lineageIds = [...new Set(units.lineageIds)].sort();
    const operatorKeys = [...new Set(units.operatorKeys)].sort();
    for (const key of operatorKeys) await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 7))', [`tally.operator:${key}`]);
    if (lineageIds.length > 0) {
      await manager.query('SELECT id FROM platform WHERE lineage_id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [lineageIds]);
    }
    const before = await this.unitChanges(manager, lineageIds, operatorKeys);
    const result = await change();
    const after = await this.unitChanges(manager, lineageIds, operatorKeys);
    await applyTallyRows(manager, toTallyRows(difference(before, after)));
    return result;
  }

  private async unitChanges(manager: EntityManager, lineageIds: string[], operatorKeys: string[]): Promise<TallyChange[]> {
    const changes: TallyChange[] = [];
    if (lineageIds.length > 0) {
      const records = await loadTallyRecords(manager, 'p.lineage_id = ANY($1::uuid[])', [lineageIds]);
      const byLineage = new Map<string, TallyRecord[]>();
      for (const record of records) byLineage.set(record.lineageId, [...(byLineage.get(record.lineageId) ?? []), record]);
      for (const group of byLineage.values()) changes.push(...lineageChanges(group));
    }
    if (operatorKeys.length > 0) {
      const records = await loadTallyRecords(
        manager,
        `p.professional_operator AND p.type = ANY($1::varchar[]) AND ${OPERATOR_KEY_SQL} = ANY($2::text[])`,
        [[...OPERATOR_TYPES], operatorKeys],
      );
      for (const key of operatorKeys) changes.push(...operatorChanges(records.filter((r) => r.operatorKey === key)));
    }
    return changes;
  }

  /** Sums of the measures as of each day, per dimension. */
  async sumsAsOf(measures: Measure[], days: string[], manager: EntityManager = this.dataSource.manager): Promise<TallySums[]> {
    if (days.length === 0) return [];
    const params: unknown[] = [measures];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const ranges = days.map(rangesFor);
    const conditions = ranges.map((r) => {
      const parts = [`(grain = 'y' AND period < ${param(r.yearBefore)}::date)`];
      if (r.month) parts.push(`(grain = 'm' AND period BETWEEN ${param(r.month[0])}::date AND ${param(r.month[1])}::date)`);
      if (r.day) parts.push(`(grain = 'd' AND period BETWEEN ${param(r.day[0])}::date AND ${param(r.day[1])}::date)`);
      return parts.join(' OR ');
    });
    const latestYear = ranges
      .map((r) => r.yearBefore)
      .sort()
      .at(-1);
    const months = ranges.flatMap((r) => (r.month ? [`(period BETWEEN ${param(r.month[0])}::date AND ${param(r.month[1])}::date)`] : []));
    const dayRanges = ranges.flatMap((r) => (r.day ? [`(period BETWEEN ${param(r.day[0])}::date AND ${param(r.day[1])}::date)`] : []));
    const scope = [`(grain = 'y' AND period < ${param(latestYear)}::date)`];
    if (months.length > 0) scope.push(`(grain = 'm' AND (${months.join(' OR ')}))`);
    if (dayRanges.length > 0) scope.push(`(grain = 'd' AND (${dayRanges.join(' OR ')}))`);
    const rows: Record<string, string>[] = await manager.query(
      `SELECT measure, platform_type, level, county_code, industry_code,
              ${conditions.map((c, i) => `COALESCE(SUM(delta) FILTER (WHERE ${c}), 0) AS v${i}`).join(', ')}
         FROM registry_tally
        WHERE measure = ANY($1::varchar[]) AND (${scope.join(' OR ')})
        GROUP BY measure, platform_type, level, county_code, industry_code`,
      params,
    );
    return rows.map((row) => ({
      key: {
        measure: row.measure as Measure,
        platformType: row.platform_type,
        level: row.level,
        countyCode: row.county_code,
        industryCode: row.industry_code,
      },
      values: days.map((_, i) => Number(row[`v${i}`])),
    }));
  }
}

/** Platforms matching a condition on alias `p`, with their annual reports, as counting records. */
export function loadTallyRecords(manager: EntityManager, where: string, params: unknown[]): Promise<TallyRecord[]> {
  return loadBatch(manager, where, params);
}

/** Adds rows to the tally (upsert adding deltas), in chunks. */
export async function applyTallyRows(manager: EntityManager, rows: TallyRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    await manager.query(
      `INSERT INTO registry_tally (measure, grain, period, platform_type, level, county_code, industry_code, delta)
       SELECT * FROM unnest($1::varchar[], $2::char[], $3::date[], $4::varchar[], $5::varchar[], $6::varchar[], $7::varchar[], $8::numeric[])
       ON CONFLICT (measure, grain, period, platform_type, level, county_code, industry_code)
       DO UPDATE SET delta = registry_tally.delta + EXCLUDED.delta`,
      [
        chunk.map((r) => r.measure),
        chunk.map((r) => r.grain),
        chunk.map((r) => r.period),
        chunk.map((r) => r.platformType),
        chunk.map((r) => r.level),
        chunk.map((r) => r.countyCode),
        chunk.map((r) => r.industryCode),
        chunk.map((r) => r.delta),
      ],
    );
  }
}

/**
 * Recomputes the whole tally from the registry (after bulk SQL loads, or to check it). Reads the
 * registry lineage by lineage in batches; holds only the tally in memory.
 */
export async function rebuildRegistryTally(dataSource: DataSource, batchSize = 20_000): Promise<{ platforms: number; rows: number }> {
  return dataSource.transaction(async (manager) => {
    await manager.query('LOCK TABLE platform IN SHARE MODE');
    await manager.query('DELETE FROM registry_tally');
    const merged = new Map<string, TallyRow>();
    const collect = (changes: TallyChange[]): void => {
      for (const row of toTallyRows(changes)) {
        const id = `${row.measure}|${row.grain}|${row.period}|${row.platformType}|${row.level}|${row.countyCode}|${row.industryCode}`;
        const current = merged.get(id);
        merged.set(id, current ? { ...current, delta: current.delta + row.delta } : row);
      }
    };
    let platforms = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const lineages: { lineage_id: string }[] = await manager.query(
        'SELECT DISTINCT lineage_id FROM platform WHERE lineage_id > $1 ORDER BY lineage_id LIMIT $2',
        [after, batchSize],
      );
      if (lineages.length === 0) break;
      const last = lineages[lineages.length - 1].lineage_id;
      const records = await loadBatch(manager, 'p.lineage_id > $1 AND p.lineage_id <= $2', [after, last]);
      platforms += records.length;
      const byLineage = new Map<string, TallyRecord[]>();
      for (const record of records) byLineage.set(record.lineageId, [...(byLineage.get(record.lineageId) ?? []), record]);
      const changes: TallyChange[] = [];
      for (const group of byLineage.values()) changes.push(...lineageChanges(group));
      collect(changes);
      after = last;
    }
    const flagged = await loadBatch(manager, 'p.professional_operator AND p.type = ANY($1::varchar[])', [[...OPERATOR_TYPES]]);
    const byOperator = new Map<string, TallyRecord[]>();
    for (const record of flagged) byOperator.set(record.operatorKey, [...(byOperator.get(record.operatorKey) ?? []), record]);
    const operatorRows: TallyChange[] = [];
    for (const group of byOperator.values()) operatorRows.push(...operatorChanges(group));
    collect(operatorRows);
    const rows = [...merged.values()].filter((r) => Math.abs(r.delta) > 1e-9);
    await applyTallyRows(manager, rows);
    return { platforms, rows: rows.length };
  });
}

/** Bulk read for the rebuild: plain SQL rows, no entity hydration (it reads the whole registry). */
async function loadBatch(manager: EntityManager, where: string, params: unknown[]): Promise<TallyRecord[]> {
  const rows: {
    id: string;
    lineage_id: string;
    type: TallyRecord['type'];
    level: TallyRecord['level'];
    county_code: string;
    industries: string[];
    recognised_on: string;
    revoked_on: string | null;
    professional_operator: boolean;
    operator_key: string;
  }[] = await manager.query(
    `SELECT p.id, p.lineage_id, p.type, p.level, p.county_code, p.industries, to_char(p.recognised_on, 'YYYY-MM-DD') AS recognised_on,
            to_char(p.revoked_on, 'YYYY-MM-DD') AS revoked_on, p.professional_operator, ${OPERATOR_KEY_SQL} AS operator_key
       FROM platform p WHERE ${where}`,
    params,
  );
  if (rows.length === 0) return [];
  const reports: { platform_id: string; year: number; filed_on: string; incubated_enterprises: number | null; area_m2: string | null }[] =
    await manager.query(
      `SELECT r.platform_id, r.year, to_char(r.filed_on, 'YYYY-MM-DD') AS filed_on, r.incubated_enterprises, r.area_m2
         FROM annual_report r WHERE r.platform_id = ANY($1::uuid[])`,
      [rows.map((r) => r.id)],
    );
  const reportsOf = new Map<string, TallyRecord['reports']>();
  for (const r of reports) {
    reportsOf.set(r.platform_id, [
      ...(reportsOf.get(r.platform_id) ?? []),
      {
        year: r.year,
        filedOn: r.filed_on,
        incubatedEnterprises: r.incubated_enterprises,
        areaM2: r.area_m2 === null ? null : Number(r.area_m2),
      },
    ]);
  }
  return rows.map((r) => ({
    id: r.id,
    lineageId: r.lineage_id,
    type: r.type,
    level: r.level,
    countyCode: r.county_code,
    industries: r.industries,
    recognisedOn: r.recognised_on,
    revokedOn: r.revoked_on,
    professionalOperator: r.professional_operator,
    operatorKey: r.operator_key,
    reports: reportsOf.get(r.id) ?? [],
  }));
}
