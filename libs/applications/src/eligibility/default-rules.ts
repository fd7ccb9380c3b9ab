import type { Provenance } from '@app/workflow';
import type { EligibilityRule } from './eligibility.types';

/**
 * The documents behind the defaults (DOMAIN.md §6), by rule id prefix. Where DOMAIN.md names a document
 * but not its article, the article is null; where it names none, the rule says `assumption`.
 */
const SOURCES: [prefix: string, source: Provenance][] = [
  ['inc.n.', { document: '科技企业孵化器管理办法（国科发区〔2018〕300号），国家级孵化器条件（DOMAIN.md §6）', article: null }],
  ['inc.', { document: '温州市科技企业孵化器认定管理办法（2018年）（DOMAIN.md §6；2021年办法或有不同）', article: null }],
  // DOMAIN.md gives the national maker-space conditions only; the municipal call starts from them, as soft rules where unsure.
  ['mks.', { document: '众创空间国家级条件（DOMAIN.md §6），市级参照', article: null }],
  // DOMAIN.md §6: "placeholder until the Zhejiang numbers are entered".
  ['nri.', 'assumption'],
  ['kl.', { document: 'DOMAIN.md §6 重点实验室条件（依托单位为温州法人、实验室主任和学术委员会）', article: null }],
];

function sourceOf(id: string): Provenance {
  return SOURCES.find(([prefix]) => id.startsWith(prefix))?.[1] ?? 'assumption';
}

const rule = (
  id: string,
  field: string,
  operator: EligibilityRule['operator'],
  value: EligibilityRule['value'],
  messageZh: string,
  messageEn: string,
  extra: Partial<Pick<EligibilityRule, 'severity' | 'when'>> = {},
): EligibilityRule => ({
  id,
  field,
  operator,
  value,
  severity: extra.severity ?? 'hard',
  messageZh,
  messageEn,
  ...(extra.when ? { when: extra.when } : {}),
});

/**
 * Defaults a new call starts from (DOMAIN.md §6); the bureau confirms or edits them per call.
 * Municipal incubators follow the Wenzhou 2018 rules; national thresholds are for national calls.
 */
const RULES: Record<string, Record<string, EligibilityRule[]>> = {
  incubator: {
    municipal: [
      rule(
        'inc.legal_person',
        'independentLegalPerson',
        '==',
        true,
        '须为在温州注册的独立法人',
        'Must be an independent legal person registered in Wenzhou',
      ),
      rule('inc.operating', 'operatingYears', '>=', 1, '运营时间须满 1 年', 'Must have operated for at least 1 year'),
      rule('inc.site', 'siteSecured', '==', true, '场地须为自有或租期不少于 5 年', 'Site must be owned or leased for at least 5 years'),
      rule('inc.area', 'areaM2', '>=', 5000, '孵化场地面积不少于 5000 平方米', 'Area at least 5,000 m2', {
        when: { field: 'subtype', equals: 'comprehensive' },
      }),
      rule('inc.area_specialised', 'areaM2', '>=', 3000, '专业型孵化场地面积不少于 3000 平方米', 'Specialised: area at least 3,000 m2', {
        when: { field: 'subtype', equals: 'specialised' },
      }),
      rule(
        'inc.area_share',
        'incubatedAreaShare',
        '>=',
        0.6667,
        '在孵企业使用面积不少于三分之二',
        'At least 2/3 of the area used by incubated firms',
      ),
      rule('inc.firms', 'incubatedFirms', '>=', 30, '在孵企业不少于 30 家', 'At least 30 incubated firms', {
        when: { field: 'subtype', equals: 'comprehensive' },
      }),
      rule('inc.firms_specialised', 'incubatedFirms', '>=', 20, '专业型在孵企业不少于 20 家', 'Specialised: at least 20 incubated firms', {
        when: { field: 'subtype', equals: 'specialised' },
      }),
    ],
    national: [
      rule('inc.n.operating', 'operatingYears', '>=', 3, '运营时间须满 3 年', 'Must have operated for at least 3 years'),
      rule('inc.n.area', 'areaM2', '>=', 10000, '孵化场地面积不少于 1 万平方米', 'Area at least 10,000 m2'),
      rule(
        'inc.n.area_share',
        'incubatedAreaShare',
        '>=',
        0.75,
        '在孵企业使用面积不少于 75%',
        'At least 75% of the area for incubated firms',
      ),
      rule('inc.n.firms', 'incubatedFirms', '>=', 50, '在孵企业不少于 50 家', 'At least 50 incubated firms'),
    ],
  },
  maker_space: {
    municipal: [
      rule('mks.operating', 'operatingYears', '>=', 1, '运营时间须满 1 年', 'Must have operated for at least 1 year', { severity: 'soft' }),
      rule(
        'mks.area',
        'areaM2',
        '>=',
        500,
        '场地面积不少于 500 平方米（或工位不少于 30 个）',
        'Area at least 500 m2 (or 30 workstations)',
        { severity: 'soft' },
      ),
      rule('mks.teams', 'teamsPerYear', '>=', 20, '年服务创业团队不少于 20 个', 'At least 20 teams a year'),
    ],
  },
  new_rd_institution: {
    municipal: [
      rule(
        'nri.legal_form',
        'legalForm',
        'in',
        ['enterprise', 'public_institution', 'social_organisation'],
        '须为企业、事业单位或民办非企业单位',
        'Must be an enterprise, public institution or private non-enterprise unit',
      ),
      rule('nri.operating', 'operatingYears', '>=', 1, '运营时间须满 1 年', 'Must have operated for at least 1 year'),
      rule('nri.equipment', 'equipmentYuan', '>=', 2_000_000, '科研仪器设备原值不少于 200 万元', 'Equipment worth at least 2 M yuan'),
      rule('nri.area', 'rdAreaM2', '>=', 600, '研发场地不少于 600 平方米', 'R&D site at least 600 m2'),
      rule('nri.staff', 'rdStaff', '>=', 20, '研发人员不少于 20 人', 'At least 20 R&D staff'),
      rule('nri.staff_share', 'rdStaffShare', '>=', 0.4, '研发人员占比不低于 40%', 'R&D staff at least 40% of staff'),
      rule('nri.spend_share', 'rdSpendShare', '>=', 0.2, '研发经费支出占收入比例不低于 20%', 'R&D spend at least 20% of income', {
        severity: 'soft',
      }),
    ],
  },
  key_lab: {
    municipal: [
      rule('kl.host', 'hostIsWenzhouLegalPerson', '==', true, '依托单位须为温州法人单位', 'The host must be a Wenzhou legal person'),
      rule('kl.director', 'hasDirector', '==', true, '须有实验室主任', 'Must have a director'),
      rule('kl.committee', 'hasAcademicCommittee', '==', true, '须设学术委员会', 'Must have an academic committee'),
    ],
  },
};

/** The defaults, each rule carrying its source in the data (and so in every call that starts from it). */
export const DEFAULT_RULES: Record<string, Record<string, EligibilityRule[]>> = Object.fromEntries(
  Object.entries(RULES).map(([type, byLevel]) => [
    type,
    Object.fromEntries(Object.entries(byLevel).map(([level, rules]) => [level, rules.map((r) => ({ ...r, source: sourceOf(r.id) }))])),
  ]),
);

/** A stored rule's source: its own, or (for rules stored before sources were kept) its default's, or `assumption`. */
export function ruleSource(rule: EligibilityRule): Provenance {
  if (rule.source) return rule.source;
  const known = Object.values(RULES).some((byLevel) => Object.values(byLevel).some((rules) => rules.some((r) => r.id === rule.id)));
  return known ? sourceOf(rule.id) : 'assumption';
}

export function defaultRules(platformType: string, level: string): EligibilityRule[] {
  const byLevel = DEFAULT_RULES[platformType] ?? {};
  return byLevel[level] ?? byLevel.municipal ?? [];
}
