import { daysBetween } from '@app/common';
import { MEASURES, type Measure, OPERATOR_TYPE_KEY, type TallySums } from '@app/registry';
import { PLATFORM_LEVELS, type PlatformLevel, levelRank } from '@app/reference';
import type { TargetDefinition } from './target-definition';

export type ProgressBy = 'county' | 'industry' | 'level' | 'year';
export type ProgressStatus = 'achieved' | 'on_track' | 'at_risk' | 'missed' | 'no_target';

export interface NamedCode {
  code: string;
  nameZh: string;
}

export interface RevisionInForce {
  id: string;
  value: number;
  dueOn: string;
  sourceDocumentNumber: string;
  sourceDocumentDate: string;
  effectiveFrom: string;
}

export interface PipelineStage {
  stage: string;
  nameZh: string;
  /** Dossiers now at this stage that would count toward the target if recognised. */
  count: number;
  /** Share of dossiers that went on from this stage to recognition, historically (0-1). */
  passRate: number;
}

export interface TargetProgress {
  code: string;
  nameZh: string;
  nameEn: string;
  unitZh: string;
  kind: TargetDefinition['kind'];
  definition: TargetDefinition;
  asOf: string;
  value: number;
  target: RevisionInForce | null;
  /** Target minus value, never below 0; null without a target in force. */
  gap: number | null;
  /** Value at the end of each year since 2023 (the as-of day for its own year). */
  series: { year: number; day: string; value: number }[];
  /** The straight line from the revision's start to the target at its due date. */
  plan: { from: { day: string; value: number }; to: { day: string; value: number } } | null;
  /** Where the line stands on the as-of day. */
  plannedValue: number | null;
  breakdown: { by: ProgressBy; items: { key: string; nameZh: string; value: number }[] } | null;
  coverage: { of: number; covered: NamedCode[]; missing: NamedCode[] } | null;
  forecast: { pipeline: PipelineStage[]; expectedFromPipeline: number; projected: number; byDay: string | null; available: boolean };
  status: ProgressStatus;
}

export interface ProgressInputs {
  code: string;
  nameZh: string;
  nameEn: string;
  unitZh: string;
  definition: TargetDefinition;
  revision: RevisionInForce | null;
}

export interface ProgressContext {
  asOf: string;
  /** Days as read from the tally, and where each needed day sits in it. */
  days: string[];
  sums: TallySums[];
  counties: NamedCode[];
  fivePlusFive: NamedCode[];
  levels: NamedCode[];
  by: ProgressBy | null;
  pipeline: PipelineStage[];
  pipelineAvailable: boolean;
}

const LEVEL_NAMES: Record<PlatformLevel, string> = { municipal: '市级', provincial: '省级', national: '国家级' };
export const LEVELS: NamedCode[] = PLATFORM_LEVELS.map((code) => ({ code, nameZh: LEVEL_NAMES[code] }));

function measureOf(definition: TargetDefinition, by: 'total' | 'county' | 'industry'): Measure {
  switch (definition.kind) {
    case 'operators':
      return MEASURES.operator;
    case 'sum':
      return definition.field === 'area_m2' ? MEASURES.areaM2 : MEASURES.enterprises;
    case 'coverage':
      return definition.coverage === 'county' ? MEASURES.lineageCounty : MEASURES.lineageIndustry;
    case 'count':
      return by === 'county' ? MEASURES.lineageCounty : by === 'industry' ? MEASURES.lineageIndustry : MEASURES.lineage;
  }
}

/** The tally rows a definition counts, for a measure. */
function matching(context: ProgressContext, definition: TargetDefinition, measure: Measure): TallySums[] {
  const floor = levelRank(definition.levelFloor);
  const types: string[] = definition.kind === 'operators' ? [OPERATOR_TYPE_KEY] : definition.types;
  return context.sums.filter(
    (s) => s.key.measure === measure && types.includes(s.key.platformType) && levelRank(s.key.level as PlatformLevel) >= floor,
  );
}

function sumAt(rows: TallySums[], index: number, group?: (row: TallySums) => string): Map<string, number> {
  const totals = new Map<string, number>();
  for (const row of rows) {
    const key = group ? group(row) : '';
    totals.set(key, (totals.get(key) ?? 0) + row.values[index]);
  }
  return totals;
}

const round = (value: number): number => Math.round(value * 100) / 100;

function coveredAt(
  context: ProgressContext,
  definition: Extract<TargetDefinition, { kind: 'coverage' }>,
  index: number,
): { of: NamedCode[]; covered: NamedCode[] } {
  const of = definition.coverage === 'county' ? context.counties : context.fivePlusFive;
  const rows = matching(context, definition, measureOf(definition, 'total'));
  const byCode = sumAt(rows, index, (r) => (definition.coverage === 'county' ? r.key.countyCode : r.key.industryCode));
  return { of, covered: of.filter((c) => (byCode.get(c.code) ?? 0) > 0) };
}

function valueAt(context: ProgressContext, definition: TargetDefinition, index: number): number {
  if (definition.kind === 'coverage') return coveredAt(context, definition, index).covered.length;
  const rows = matching(context, definition, measureOf(definition, 'total'));
  return round(sumAt(rows, index).get('') ?? 0);
}

/** Progress of one target as of the context's day, from tally sums already read. */
export function computeProgress(target: ProgressInputs, context: ProgressContext): TargetProgress {
  const { definition, revision } = target;
  const at = (day: string): number => {
    const index = context.days.indexOf(day);
    if (index < 0) throw new Error(`day ${day} was not read from the tally`);
    return valueAt(context, definition, index);
  };
  const asOfIndex = context.days.indexOf(context.asOf);
  const value = at(context.asOf);
  const asOfYear = Number(context.asOf.slice(0, 4));
  const series: TargetProgress['series'] = [];
  for (let year = 2023; year <= asOfYear; year++) {
    const day = year === asOfYear ? context.asOf : `${year}-12-31`;
    series.push({ year, day, value: at(day) });
  }
  let breakdown: TargetProgress['breakdown'] = null;
  if (context.by === 'year') {
    breakdown = { by: 'year', items: series.map((s) => ({ key: String(s.year), nameZh: `${s.year}年`, value: s.value })) };
  } else if (context.by && definition.kind !== 'coverage') {
    const by = context.by;
    if (by === 'level') {
      const rows = matching(context, definition, measureOf(definition, 'total'));
      const totals = sumAt(rows, asOfIndex, (r) => r.key.level);
      breakdown = {
        by,
        items: LEVELS.filter((l) => levelRank(l.code as PlatformLevel) >= levelRank(definition.levelFloor)).map((l) => ({
          key: l.code,
          nameZh: l.nameZh,
          value: round(totals.get(l.code) ?? 0),
        })),
      };
    } else if (definition.kind !== 'operators' && !(definition.kind === 'sum' && by === 'industry')) {
      const measure = definition.kind === 'sum' ? measureOf(definition, 'total') : measureOf(definition, by);
      const rows = matching(context, definition, measure);
      const totals = sumAt(rows, asOfIndex, (r) => (by === 'county' ? r.key.countyCode : r.key.industryCode));
      const names = by === 'county' ? context.counties : context.fivePlusFive;
      const extra = [...totals.keys()].filter((k) => !names.some((n) => n.code === k)).map((code) => ({ code, nameZh: code }));
      breakdown = {
        by,
        items: [...names, ...extra].map((n) => ({ key: n.code, nameZh: n.nameZh, value: round(totals.get(n.code) ?? 0) })),
      };
    }
  }
  let coverage: TargetProgress['coverage'] = null;
  if (definition.kind === 'coverage') {
    const { of, covered } = coveredAt(context, definition, asOfIndex);
    coverage = { of: of.length, covered, missing: of.filter((c) => !covered.some((d) => d.code === c.code)) };
    if (context.by === 'county' || context.by === 'industry') {
      breakdown = {
        by: context.by,
        items: of.map((c) => ({ key: c.code, nameZh: c.nameZh, value: covered.some((d) => d.code === c.code) ? 1 : 0 })),
      };
    }
  }
  const counts = definition.kind === 'count' || definition.kind === 'coverage';
  const pipeline = counts ? context.pipeline : [];
  const expected = round(pipeline.reduce((total, stage) => total + stage.count * stage.passRate, 0));
  // A coverage target gains at most what is missing; the pipeline model does not say where, so it is an upper bound.
  const projected = round(value + expected);
  let plan: TargetProgress['plan'] = null;
  let plannedValue: number | null = null;
  let status: ProgressStatus = 'no_target';
  if (revision) {
    const from = { day: revision.effectiveFrom, value: at(revision.effectiveFrom) };
    plan = { from, to: { day: revision.dueOn, value: revision.value } };
    const span = daysBetween(from.day, revision.dueOn);
    const elapsed = Math.min(Math.max(daysBetween(from.day, context.asOf), 0), span);
    plannedValue = round(span > 0 ? from.value + ((revision.value - from.value) * elapsed) / span : revision.value);
    if (value >= revision.value) status = 'achieved';
    else if (context.asOf > revision.dueOn) status = 'missed';
    else status = projected >= plannedValue ? 'on_track' : 'at_risk';
  }
  return {
    code: target.code,
    nameZh: target.nameZh,
    nameEn: target.nameEn,
    unitZh: target.unitZh,
    kind: definition.kind,
    definition,
    asOf: context.asOf,
    value,
    target: revision,
    gap: revision ? round(Math.max(revision.value - value, 0)) : null,
    series,
    plan,
    plannedValue,
    breakdown,
    coverage,
    forecast: { pipeline, expectedFromPipeline: expected, projected, byDay: revision?.dueOn ?? null, available: context.pipelineAvailable },
    status,
  };
}
