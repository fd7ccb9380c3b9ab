import type { PlatformLevel, PlatformTypeCode } from '@app/reference';

/**
 * What a target counts, as data (stored with the target):
 * - `count`: distinct lineages of these types at or above the level floor, active on the day;
 * - `coverage`: how many counties (12) or "5+5" industries have at least one such lineage;
 * - `operators`: distinct professional operating organisations of incubators and maker spaces;
 * - `sum`: a field of each active platform's latest annual report filed by the day.
 */
export type TargetDefinition =
  | { kind: 'count'; types: PlatformTypeCode[]; levelFloor: PlatformLevel }
  | { kind: 'coverage'; types: PlatformTypeCode[]; levelFloor: PlatformLevel; coverage: 'county' | 'industry' }
  | { kind: 'operators'; levelFloor: PlatformLevel }
  | { kind: 'sum'; types: PlatformTypeCode[]; levelFloor: PlatformLevel; field: 'incubated_enterprises' | 'area_m2' };

export const PLAN_DOCUMENT_NUMBER = '温政发〔2023〕17号';
export const PLAN_DOCUMENT_DATE = '2023-04-14';
/** The plan's base year ends here; yearly series start the year after. */
export const PLAN_BASE_DAY = '2022-12-31';
export const SERIES_FROM_YEAR = 2023;
