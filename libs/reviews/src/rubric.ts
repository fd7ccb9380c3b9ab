/** How a call's panel turns scores into one result. */
export type AggregationMethod = 'mean' | 'trimmed_mean';

export interface Criterion {
  code: string;
  nameZh: string;
  nameEn: string;
  /** Relative weight; the weights of a rubric need not sum to anything in particular. */
  weight: number;
  min: number;
  max: number;
}

export interface Rubric {
  criteria: Criterion[];
  method: AggregationMethod;
  /** Pass mark on the 0-100 scale of a weighted total. */
  passMark: number;
  /** Panel flagged when the highest and lowest expert totals differ by more than this (0-100 scale). */
  disagreementThreshold: number;
  /** A criterion scored below this share of its range (percent) needs a comment. */
  commentBelowPercent: number;
  members: number;
  reserves: number;
  avoidSameCounty: boolean;
  avoidRecentPanelYears: number | null;
  /** Dossiers the call may recognise (名额), for the ranking; null: no limit. */
  quota: number | null;
  /** Where the numbers come from: a document and article, or `assumption`. */
  source: string;
  /** Working days an expert has to declare, from the day their seat becomes active (default 3). */
  declarationDays?: number;
  /** Working days an expert has to score, from the same day (default 10). */
  scoringDays?: number;
  /** Working days an inspection team has to sign, after the visit date (default 3). */
  inspectionSignDays?: number;
}

/** Due dates when a rubric sets none (assumption: no Wenzhou or Zhejiang text names them). */
export const DEFAULT_REVIEW_DAYS = { declaration: 3, scoring: 10, inspectionSign: 3 } as const;

const criterion = (code: string, nameZh: string, nameEn: string, weight: number): Criterion => ({
  code,
  nameZh,
  nameEn,
  weight,
  min: 0,
  max: 100,
});

/**
 * Defaults when a call sets no rubric. DOMAIN.md names no scoring numbers for Wenzhou: the criteria
 * follow the eligibility themes of §6, the panel of 5 follows the 高企 practice of §5, the rest is
 * marked `assumption` and meant to be replaced per call.
 */
const COMMON: Omit<Rubric, 'criteria'> = {
  method: 'trimmed_mean',
  passMark: 70,
  disagreementThreshold: 30,
  commentBelowPercent: 60,
  members: 5,
  reserves: 2,
  avoidSameCounty: false,
  avoidRecentPanelYears: null,
  quota: null,
  source: 'assumption (panel of 5: DOMAIN.md §5, 高企 practice; criteria, weights, pass mark and thresholds: assumption)',
};

export const DEFAULT_RUBRICS: Record<string, Rubric> = {
  incubator: {
    ...COMMON,
    criteria: [
      criterion('site_and_facilities', '场地与设施', 'Site and facilities', 20),
      criterion('incubated_firms', '在孵企业质量', 'Quality of incubated firms', 30),
      criterion('services_and_mentors', '孵化服务与创业导师', 'Services and mentors', 25),
      criterion('operator_and_finance', '运营机构与投融资', 'Operator and financing', 25),
    ],
  },
  new_rd_institution: {
    ...COMMON,
    criteria: [
      criterion('research_capacity', '研发条件与能力', 'Research facilities and capacity', 30),
      criterion('team', '研发团队', 'Research team', 25),
      criterion('industry_fit', '产业契合度（5+5+N）', 'Fit with the 5+5+N industries', 20),
      criterion('mechanism_and_results', '体制机制与成果转化', 'Governance and technology transfer', 25),
    ],
  },
};

/** The rubric a call uses when it sets none: its type's default, else the incubator's criteria as a generic one. */
export function defaultRubric(platformType: string): Rubric {
  return structuredClone(DEFAULT_RUBRICS[platformType] ?? DEFAULT_RUBRICS.incubator);
}
