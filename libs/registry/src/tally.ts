import { PLATFORM_LEVELS, type PlatformLevel, type PlatformTypeCode } from '@app/reference';

/**
 * The counting rules, as pure functions. Each function describes one unit (a lineage, or an
 * operating organisation) as a sequence of states between event days, and returns the signed
 * changes of every measure it contributes to. Adding the changes of every unit gives, for any day,
 * exactly what a scan of the registry would count that day; the tally table stores those sums.
 */

export const MEASURES = {
  /** Distinct lineages (a record and those promoted from it), by type and highest active level. */
  lineage: 'lineage',
  lineageCounty: 'lineage_county',
  lineageIndustry: 'lineage_industry',
  /** Distinct professional operating organisations of incubators and maker spaces. */
  operator: 'operator',
  /** Sums over active records of their latest annual report filed by the day. */
  enterprises: 'enterprises',
  areaM2: 'area_m2',
} as const;
export type Measure = (typeof MEASURES)[keyof typeof MEASURES];

/** Platform types whose operators count toward the operator measure. */
export const OPERATOR_TYPES: readonly PlatformTypeCode[] = ['incubator', 'maker_space'];
export const OPERATOR_TYPE_KEY = 'incubation';

export interface TallyReport {
  year: number;
  filedOn: string;
  incubatedEnterprises: number | null;
  areaM2: number | null;
}

export interface TallyRecord {
  id: string;
  lineageId: string;
  type: PlatformTypeCode;
  level: PlatformLevel;
  countyCode: string;
  industries: string[];
  recognisedOn: string;
  revokedOn: string | null;
  professionalOperator: boolean;
  /** Credit code, else organisation id, else name: what makes two operators the same. */
  operatorKey: string;
  reports: TallyReport[];
}

export interface TallyKey {
  measure: Measure;
  platformType: string;
  level: string;
  countyCode: string;
  industryCode: string;
}

export interface TallyChange extends TallyKey {
  day: string;
  delta: number;
}

type State = Map<string, { key: TallyKey; value: number }>;

const keyString = (key: TallyKey): string => `${key.measure}|${key.platformType}|${key.level}|${key.countyCode}|${key.industryCode}`;

function activeOn(record: TallyRecord, day: string): boolean {
  return record.recognisedOn <= day && (record.revokedOn === null || record.revokedOn > day);
}

function rank(level: PlatformLevel): number {
  return PLATFORM_LEVELS.indexOf(level);
}

/** The record that represents a set of active records: highest level, then latest recognised, then id. */
function representative(records: TallyRecord[]): TallyRecord {
  return [...records].sort(
    (a, b) => rank(b.level) - rank(a.level) || b.recognisedOn.localeCompare(a.recognisedOn) || a.id.localeCompare(b.id),
  )[0];
}

function add(state: State, key: TallyKey, value: number): void {
  if (value === 0) return;
  const id = keyString(key);
  const current = state.get(id);
  state.set(id, { key, value: (current?.value ?? 0) + value });
}

/** Changes between consecutive states, on the event days. */
function sweep(days: string[], stateOn: (day: string) => State): TallyChange[] {
  const changes: TallyChange[] = [];
  let previous: State = new Map();
  for (const day of [...new Set(days)].sort()) {
    const next = stateOn(day);
    for (const [id, { key, value }] of next) {
      const delta = value - (previous.get(id)?.value ?? 0);
      if (delta !== 0) changes.push({ ...key, day, delta });
    }
    for (const [id, { key, value }] of previous) {
      if (!next.has(id)) changes.push({ ...key, day, delta: -value });
    }
    previous = next;
  }
  return changes;
}

function eventDays(records: TallyRecord[], withReports: boolean): string[] {
  return records.flatMap((r) => [
    r.recognisedOn,
    ...(r.revokedOn ? [r.revokedOn] : []),
    ...(withReports ? r.reports.map((p) => p.filedOn) : []),
  ]);
}

function latestReport(record: TallyRecord, day: string): TallyReport | null {
  let latest: TallyReport | null = null;
  for (const report of record.reports) {
    if (report.filedOn <= day && (latest === null || report.year > latest.year)) latest = report;
  }
  return latest;
}

/** Everything one lineage (the records of one promotion chain) contributes. */
export function lineageChanges(records: TallyRecord[]): TallyChange[] {
  if (records.length === 0) return [];
  return sweep(eventDays(records, true), (day) => {
    const state: State = new Map();
    const active = records.filter((r) => activeOn(r, day));
    if (active.length > 0) {
      const rep = representative(active);
      const base = { platformType: rep.type, level: rep.level, countyCode: '', industryCode: '' };
      add(state, { ...base, measure: MEASURES.lineage }, 1);
      add(state, { ...base, measure: MEASURES.lineageCounty, countyCode: rep.countyCode }, 1);
      for (const industry of new Set(active.flatMap((r) => r.industries))) {
        add(state, { ...base, measure: MEASURES.lineageIndustry, industryCode: industry }, 1);
      }
    }
    for (const record of active) {
      const report = latestReport(record, day);
      if (!report) continue;
      const dims = { platformType: record.type, level: record.level, countyCode: record.countyCode, industryCode: '' };
      add(state, { ...dims, measure: MEASURES.enterprises }, report.incubatedEnterprises ?? 0);
      add(state, { ...dims, measure: MEASURES.areaM2 }, report.areaM2 ?? 0);
    }
    return state;
  });
}

/** What one operating organisation contributes: counted once while any flagged platform of it is active. */
export function operatorChanges(records: TallyRecord[]): TallyChange[] {
  const flagged = records.filter((r) => r.professionalOperator && OPERATOR_TYPES.includes(r.type));
  if (flagged.length === 0) return [];
  return sweep(eventDays(flagged, false), (day) => {
    const state: State = new Map();
    const active = flagged.filter((r) => activeOn(r, day));
    if (active.length > 0) {
      add(
        state,
        {
          measure: MEASURES.operator,
          platformType: OPERATOR_TYPE_KEY,
          level: representative(active).level,
          countyCode: '',
          industryCode: '',
        },
        1,
      );
    }
    return state;
  });
}

/** `after - before`, merged by key and day: what to add to the tally when a unit changes. */
export function difference(before: TallyChange[], after: TallyChange[]): TallyChange[] {
  const merged = new Map<string, TallyChange>();
  const put = (change: TallyChange, sign: number): void => {
    const id = `${keyString(change)}|${change.day}`;
    const current = merged.get(id);
    merged.set(id, { ...change, delta: (current?.delta ?? 0) + sign * change.delta });
  };
  before.forEach((c) => put(c, -1));
  after.forEach((c) => put(c, 1));
  return [...merged.values()].filter((c) => Math.abs(c.delta) > 1e-9);
}

export interface TallyRow extends TallyKey {
  grain: 'y' | 'm' | 'd';
  period: string;
  delta: number;
}

/** Each change lands at three grains: its year, its month and its day. */
export function toTallyRows(changes: TallyChange[]): TallyRow[] {
  const rows = new Map<string, TallyRow>();
  for (const change of changes) {
    const { day, delta, ...key } = change;
    const periods: [TallyRow['grain'], string][] = [
      ['y', `${day.slice(0, 4)}-01-01`],
      ['m', `${day.slice(0, 7)}-01`],
      ['d', day],
    ];
    for (const [grain, period] of periods) {
      const id = `${keyString(key)}|${grain}|${period}`;
      const current = rows.get(id);
      rows.set(id, { ...key, grain, period, delta: (current?.delta ?? 0) + delta });
    }
  }
  // A stable order, so concurrent writers lock tally rows in the same order.
  return [...rows.values()].filter((r) => Math.abs(r.delta) > 1e-9).sort((a, b) => tallyRowOrder(a).localeCompare(tallyRowOrder(b)));
}

const tallyRowOrder = (row: TallyRow): string =>
  `${row.measure}|${row.grain}|${row.period}|${row.platformType}|${row.level}|${row.countyCode}|${row.industryCode}`;

/**
 * The tally rows to read for a value as of `day`: year rows before its year, month rows of its
 * year before its month, day rows of its month up to it. Month and year ends need no finer rows.
 */
export interface PeriodRanges {
  yearBefore: string;
  month: [string, string] | null;
  day: [string, string] | null;
}

export function rangesFor(day: string): PeriodRanges {
  const year = day.slice(0, 4);
  const monthStart = `${day.slice(0, 7)}-01`;
  const next = new Date(`${day}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  const tomorrow = next.toISOString().slice(0, 10);
  if (tomorrow.slice(0, 4) !== year) return { yearBefore: `${tomorrow.slice(0, 4)}-01-01`, month: null, day: null };
  if (tomorrow.slice(0, 7) !== day.slice(0, 7)) return { yearBefore: `${year}-01-01`, month: [`${year}-01-01`, monthStart], day: null };
  return {
    yearBefore: `${year}-01-01`,
    month: monthStart > `${year}-01-01` ? [`${year}-01-01`, previousMonth(monthStart)] : null,
    day: [monthStart, day],
  };
}

function previousMonth(monthStart: string): string {
  const date = new Date(`${monthStart}T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() - 1);
  return date.toISOString().slice(0, 10);
}
