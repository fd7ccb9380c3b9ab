import type { EntityManager } from 'typeorm';
import { isIsoDay } from '@app/common';
import { validateCreditCode } from '@app/identity';
import {
  Industry,
  PLATFORM_LEVELS,
  PLATFORM_TYPES,
  type PlatformLevel,
  type PlatformTypeCode,
  Region,
  regionNameKey,
} from '@app/reference';
import { REVOCATION_REASONS, REVOCATION_REASON_NAMES, type RevocationReason } from './registry.types';

/** Regions and industries by code and by Chinese name (a region also by its aliases), loaded once per request. */
export interface Dictionaries {
  regions: Map<string, Region>;
  industries: Map<string, Industry>;
  /** By `regionNameKey` of the Chinese name and of each alias. */
  regionByName: Map<string, string>;
  industryByName: Map<string, string>;
}

export async function loadDictionaries(manager: EntityManager): Promise<Dictionaries> {
  const regions = await manager.find(Region);
  const industries = await manager.find(Industry);
  return {
    regions: new Map(regions.map((r) => [r.code, r])),
    industries: new Map(industries.map((i) => [i.code, i])),
    regionByName: new Map(regions.flatMap((r) => [r.nameZh, ...r.aliases].map((name): [string, string] => [regionNameKey(name), r.code]))),
    industryByName: new Map(industries.map((i) => [i.nameZh, i.code])),
  };
}

export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

const TYPE_NAMES: Record<string, PlatformTypeCode> = {
  新型研发机构: 'new_rd_institution',
  科技企业孵化器: 'incubator',
  孵化器: 'incubator',
  众创空间: 'maker_space',
  重点实验室: 'key_lab',
};
const LEVEL_NAMES: Record<string, PlatformLevel> = { 市级: 'municipal', 省级: 'provincial', 国家级: 'national' };

export function resolveType(raw: string): PlatformTypeCode | null {
  const value = raw.trim();
  return PLATFORM_TYPES.find((t) => t.code === value || t.nameZh === value)?.code ?? TYPE_NAMES[value] ?? null;
}

export function resolveLevel(raw: string): PlatformLevel | null {
  const value = raw.trim();
  return (PLATFORM_LEVELS as readonly string[]).includes(value) ? (value as PlatformLevel) : (LEVEL_NAMES[value] ?? null);
}

export function resolveSubtype(type: PlatformTypeCode, raw: string): string | null {
  const value = raw.trim();
  return PLATFORM_TYPES.find((t) => t.code === type)?.subtypes.find((s) => s.code === value || s.nameZh === value)?.code ?? null;
}

export function resolveRevocationReason(raw: string): RevocationReason | null {
  const value = raw.trim();
  if ((REVOCATION_REASONS as readonly string[]).includes(value)) return value as RevocationReason;
  return (Object.entries(REVOCATION_REASON_NAMES).find(([, name]) => name === value)?.[0] as RevocationReason | undefined) ?? null;
}

export function resolveRegion(dictionaries: Dictionaries, raw: string): string | null {
  const value = raw.trim();
  return dictionaries.regions.has(value) ? value : (dictionaries.regionByName.get(regionNameKey(value)) ?? null);
}

export function resolveIndustry(dictionaries: Dictionaries, raw: string): string | null {
  const value = raw.trim();
  return dictionaries.industries.has(value) ? value : (dictionaries.industryByName.get(value) ?? null);
}

/** The county a region counts toward: itself, or a zone's parent county. */
export function countyOf(dictionaries: Dictionaries, regionCode: string): string | null {
  const region = dictionaries.regions.get(regionCode);
  if (!region) return null;
  return region.kind === 'zone' ? region.parentCountyCode : region.code;
}

/** Recognition days: a real calendar day, not before 1990 and not after today. */
export const EARLIEST_DAY = '1990-01-01';

export function dayProblem(field: string, value: string, today: string, label: string): FieldProblem | null {
  if (!isIsoDay(value)) return { field, code: 'invalid_date', message: `${label}不是有效日期（YYYY-MM-DD）：${value}。Not a valid date.` };
  if (value < EARLIEST_DAY || value > today) {
    return { field, code: 'date_out_of_range', message: `${label}须在${EARLIEST_DAY}至今天（${today}）之间：${value}。Date out of range.` };
  }
  return null;
}

export interface CheckedRecognition {
  type: PlatformTypeCode;
  level: PlatformLevel;
  subtype: string | null;
  regionCode: string;
  countyCode: string;
  industries: string[];
  creditCode: string | null;
}

/** Checks what a recognition carries against the dictionaries; returns every problem found. */
export function checkRecognition(
  dictionaries: Dictionaries,
  input: {
    type: string;
    level: string;
    subtype: string | null;
    regionCode: string;
    industries: string[];
    recognisedOn: string;
    creditCode: string | null;
    name: string;
    documentNumber: string;
    organisationName: string;
  },
  today: string,
): { problems: FieldProblem[]; checked: CheckedRecognition | null } {
  const problems: FieldProblem[] = [];
  const type = resolveType(input.type);
  if (!type) problems.push({ field: 'type', code: 'unknown_type', message: `未知的平台类型：${input.type}。Unknown platform type.` });
  const level = resolveLevel(input.level);
  if (!level) problems.push({ field: 'level', code: 'unknown_level', message: `未知的级别：${input.level}。Unknown level.` });
  if (type && level && !PLATFORM_TYPES.find((t) => t.code === type)?.levels.includes(level)) {
    problems.push({
      field: 'level',
      code: 'level_not_allowed',
      message: `该类平台没有此级别：${input.level}。This type has no such level.`,
    });
  }
  let subtype: string | null = null;
  if (type && input.subtype && input.subtype.trim() !== '') {
    subtype = resolveSubtype(type, input.subtype);
    if (!subtype)
      problems.push({ field: 'subtype', code: 'unknown_subtype', message: `该类平台没有此子类型：${input.subtype}。Unknown subtype.` });
  }
  for (const [field, value, label, max] of [
    ['name', input.name, '平台名称', 200],
    ['organisationName', input.organisationName, '依托单位', 200],
    ['documentNumber', input.documentNumber, '认定文号', 100],
  ] as const) {
    if (value.trim().length === 0) problems.push({ field, code: 'required', message: `${label}不能为空。Required.` });
    else if (value.length > max) problems.push({ field, code: 'too_long', message: `${label}超过${max}个字符。Too long.` });
  }
  const regionCode = resolveRegion(dictionaries, input.regionCode);
  const countyCode = regionCode ? countyOf(dictionaries, regionCode) : null;
  if (!regionCode || !countyCode) {
    problems.push({ field: 'regionCode', code: 'unknown_region', message: `未知的地区：${input.regionCode}。Unknown county or zone.` });
  }
  const industries: string[] = [];
  for (const raw of input.industries) {
    const code = resolveIndustry(dictionaries, raw);
    if (!code) problems.push({ field: 'industries', code: 'unknown_industry', message: `未知的产业领域：${raw}。Unknown industry.` });
    else if (!industries.includes(code)) industries.push(code);
  }
  const day = dayProblem('recognisedOn', input.recognisedOn, today, '认定日期');
  if (day) problems.push(day);
  let creditCode: string | null = null;
  if (input.creditCode && input.creditCode.trim() !== '') {
    const result = validateCreditCode(input.creditCode);
    if (result.valid) creditCode = result.code;
    else problems.push({ field: 'creditCode', code: 'invalid_credit_code', message: result.message });
  }
  if (problems.length > 0 || !type || !level || !regionCode || !countyCode) return { problems, checked: null };
  return { problems, checked: { type, level, subtype, regionCode, countyCode, industries, creditCode } };
}
