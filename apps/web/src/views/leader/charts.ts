import { FunnelChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { Schemas } from '../../api';

/** The parts of echarts the dashboard draws with (tree-shaken: line, funnel, canvas). */
use([LineChart, FunnelChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

type Progress = Schemas['TargetProgressDto'];

const DAY = 24 * 3600 * 1000;
const time = (day: string): number => Date.parse(`${day}T00:00:00Z`);

/**
 * The years on the burn-up chart's axis: each tick is the END of its year, so a year-end count sits
 * on its own year (a time axis drew 2025-12-31 on the 2026 tick). From the first series year to the
 * plan's due year.
 */
export function chartYears(t: Progress): number[] {
  const years = t.series.map((p) => p.year);
  if (t.plan) years.push(Number(t.plan.to.day.slice(0, 4)));
  if (years.length === 0) return [];
  const first = Math.min(...years);
  const last = Math.max(...years);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/** The plan line's value at the end of a year (or its due day, if sooner); null before the plan starts. */
export function plannedAt(t: Progress, year: number): number | null {
  if (!t.plan) return null;
  const { from, to } = t.plan;
  const end = Math.min(time(`${year}-12-31`), time(to.day));
  if (end < time(from.day) - DAY) return null;
  const span = time(to.day) - time(from.day);
  const share = span > 0 ? Math.max(0, (end - time(from.day)) / span) : 1;
  return Math.round((from.value + (to.value - from.value) * share) * 100) / 100;
}

/** Numbers as a Chinese report writes them: thousands separated, at most two decimals. */
export function fmt(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined) return '—';
  return Number(value).toLocaleString('zh-CN', { maximumFractionDigits: digits });
}
