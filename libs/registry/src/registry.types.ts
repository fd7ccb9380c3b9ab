import type { PlatformLevel, PlatformTypeCode } from '@app/reference';

export const PLATFORM_STATUSES = ['active', 'revoked'] as const;
export type PlatformStatus = (typeof PLATFORM_STATUSES)[number];

/** Why a platform was revoked (DOMAIN.md §7). */
export const REVOCATION_REASONS = [
  'fraud',
  'failed_twice',
  'failed_rectification',
  'criteria_not_met',
  'build_period_failed',
  'ceased',
] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

export const REVOCATION_REASON_NAMES: Record<RevocationReason, string> = {
  fraud: '弄虚作假',
  failed_twice: '连续两次评价不合格',
  failed_rectification: '整改不合格',
  criteria_not_met: '复核不再符合认定条件',
  build_period_failed: '建设期验收不合格',
  ceased: '停止运营',
};

export const REVOCATION_REASON_NAMES_EN: Record<RevocationReason, string> = {
  fraud: 'fraud',
  failed_twice: 'two failing grades in a row',
  failed_rectification: 'failed rectification',
  criteria_not_met: 'no longer meets the criteria',
  build_period_failed: 'failed build-period acceptance',
  ceased: 'ceased operation',
};

export const PLATFORM_SOURCES = ['import', 'procedure'] as const;
export type PlatformSource = (typeof PLATFORM_SOURCES)[number];

export const EVALUATION_GRADES = ['A', 'B', 'C', 'D', 'not_evaluated', 'absent'] as const;
export type EvaluationGrade = (typeof EVALUATION_GRADES)[number];

export const RECTIFICATION_STATUSES = ['open', 'passed', 'failed'] as const;
export type RectificationStatus = (typeof RECTIFICATION_STATUSES)[number];

export const CHANGE_FIELDS = ['name', 'operator', 'site', 'area'] as const;
export type ChangeField = (typeof CHANGE_FIELDS)[number];

/** What the dossier workflow hands over when a dossier is recognised (stage 8). */
export interface RecognitionInput {
  applicationId: string | null;
  type: PlatformTypeCode;
  level: PlatformLevel;
  subtype: string | null;
  name: string;
  organisationId: string | null;
  organisationName: string;
  creditCode: string | null;
  regionCode: string;
  industries: string[];
  /** YYYY-MM-DD, Asia/Shanghai: the decision document's date. */
  recognisedOn: string;
  documentNumber: string;
  promotedFromId?: string | null;
  professionalOperator?: boolean;
}
