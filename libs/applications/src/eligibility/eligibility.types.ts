import type { Provenance } from '@app/workflow';

export type RuleOperator = '>=' | '<=' | '==' | 'in';

/** A pre-check as data (DOMAIN.md §6): a failed hard rule blocks submission, a soft one warns. */
export interface EligibilityRule {
  id: string;
  field: string;
  operator: RuleOperator;
  value: number | boolean | string | (string | number)[];
  severity: 'hard' | 'soft';
  messageZh: string;
  messageEn: string;
  /** Applies only when another field has this value (e.g. subtype = specialised). */
  when?: { field: string; equals: string | number | boolean };
  /** Where the threshold comes from (document and article), or `assumption`. Rules stored before sources were kept have none. */
  source?: Provenance;
}

export interface RuleResult {
  ruleId: string;
  field: string;
  severity: 'hard' | 'soft';
  passed: boolean;
  actual: unknown;
  expected: string;
  message: string;
}
