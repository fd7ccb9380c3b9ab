import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, In } from 'typeorm';
import { AuditService } from '@app/audit';
import { Clock } from '@app/common';
import { inTransaction } from '@app/database';
import type { Actor } from '@app/identity';
import { CityIndicator, CityIndicatorMilestone, CityIndicatorValue } from './city-indicator.entity';
import { TargetsErrors } from './targets.errors';

export const INDICATOR_YEARS = { from: 2022, to: 2030 } as const;

export interface IndicatorYear {
  year: number;
  /** The plan's value for the year; between its milestones, on the straight line (interpolated). */
  milestone: number | null;
  interpolated: boolean;
  value: number | null;
  /** Value at or above the milestone; null until a value is recorded. */
  met: boolean | null;
}

export interface IndicatorView {
  indicator: CityIndicator;
  milestones: CityIndicatorMilestone[];
  years: IndicatorYear[];
}

export interface IndicatorEntry {
  year: number;
  values: { code: string; value: number }[];
}

function milestoneFor(milestones: CityIndicatorMilestone[], year: number): { value: number | null; interpolated: boolean } {
  const exact = milestones.find((m) => m.year === year);
  if (exact) return { value: exact.value, interpolated: false };
  const before = milestones.filter((m) => m.year < year).sort((a, b) => b.year - a.year)[0];
  const after = milestones.filter((m) => m.year > year).sort((a, b) => a.year - b.year)[0];
  if (!before || !after) return { value: null, interpolated: false };
  const value = before.value + ((after.value - before.value) * (year - before.year)) / (after.year - before.year);
  return { value: Math.round(value * 100) / 100, interpolated: true };
}

/** The plan's nine city indicators: milestones from the plan, values the bureau records yearly. */
@Injectable()
export class IndicatorsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<IndicatorView[]> {
    const manager = this.dataSource.manager;
    const [indicators, milestones, values] = await Promise.all([
      manager.find(CityIndicator, { order: { sortOrder: 'ASC' } }),
      manager.find(CityIndicatorMilestone, { order: { year: 'ASC' } }),
      manager.find(CityIndicatorValue),
    ]);
    return indicators.map((indicator) => {
      const own = milestones.filter((m) => m.indicatorCode === indicator.code);
      const years: IndicatorYear[] = [];
      const lastYear = Math.max(2027, ...values.filter((v) => v.indicatorCode === indicator.code).map((v) => v.year));
      for (let year = INDICATOR_YEARS.from; year <= lastYear; year++) {
        const { value: milestone, interpolated } = milestoneFor(own, year);
        const recorded = values.find((v) => v.indicatorCode === indicator.code && v.year === year)?.value ?? null;
        years.push({
          year,
          milestone,
          interpolated,
          value: recorded,
          met: recorded === null || milestone === null ? null : recorded >= milestone,
        });
      }
      return { indicator, milestones: own, years };
    });
  }

  /** Records the values of a year (each replaces the year's earlier value; the audit log keeps it). */
  async record(actor: Actor, entry: IndicatorEntry): Promise<IndicatorView[]> {
    const codes = entry.values.map((v) => v.code);
    if (new Set(codes).size !== codes.length)
      throw TargetsErrors.invalid('values', 'duplicate_indicator', '同一指标只能填写一次。Each indicator once.');
    const currentYear = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(this.clock.now()));
    if (entry.year > currentYear)
      throw TargetsErrors.invalid('year', 'year_in_future', '不能填写未来年度的数值。The year cannot be in the future.');
    await inTransaction(this.dataSource, async (manager) => {
      const known = await manager.find(CityIndicator, { where: { code: In(codes) } });
      const unknown = codes.filter((c) => !known.some((k) => k.code === c));
      if (unknown.length > 0) throw TargetsErrors.unknownIndicators(unknown);
      const before = await manager.find(CityIndicatorValue, { where: { indicatorCode: In(codes), year: entry.year } });
      for (const { code, value } of entry.values) {
        await manager.upsert(
          CityIndicatorValue,
          { indicatorCode: code, year: entry.year, value, enteredBy: actor.userId, updatedAt: this.clock.now() },
          ['indicatorCode', 'year'],
        );
      }
      await this.audit.record(
        manager,
        { userId: actor.userId, role: actor.role, ip: actor.ip },
        {
          action: 'indicator.recorded',
          objectType: 'city_indicator',
          objectId: String(entry.year),
          summary: { year: entry.year, before: before.map((b) => ({ code: b.indicatorCode, value: b.value })), after: entry.values },
        },
      );
    });
    return this.list();
  }
}
