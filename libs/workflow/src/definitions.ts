import type { Stage, Transition, WorkflowDefinition } from './workflow.types';

const BEFORE_DECISION: readonly Stage[] = [
  'draft',
  'county_review',
  'formal_review',
  'expert_review',
  'site_inspection',
  'revision',
  'recommended_to_province',
];

/** The municipal procedure (DOMAIN.md §5), stages 1-8. */
function municipal(platformType: string, siteInspection: WorkflowDefinition['siteInspection']): WorkflowDefinition {
  const transitions: Transition[] = [
    { action: 'submit', roles: ['applicant'], from: ['draft'] },
    { action: 'resubmit', roles: ['applicant'], from: ['revision'] },
    { action: 'withdraw', roles: ['applicant'], from: BEFORE_DECISION.filter((s) => s !== 'recommended_to_province') },
    { action: 'recommend', roles: ['county_officer'], from: ['county_review'] },
    { action: 'return_for_revision', roles: ['county_officer'], from: ['county_review'] },
    { action: 'return_for_revision', roles: ['bureau_officer'], from: ['formal_review', 'expert_review', 'site_inspection'] },
    { action: 'reject', roles: ['county_officer'], from: ['county_review'] },
    { action: 'reject', roles: ['bureau_officer'], from: ['formal_review', 'expert_review', 'site_inspection', 'decision'] },
    { action: 'pass_formal_review', roles: ['bureau_officer'], from: ['formal_review'] },
    { action: 'record_expert_result', roles: ['bureau_officer'], from: ['expert_review'] },
    { action: 'approve', roles: ['bureau_officer'], from: ['decision'] },
    { action: 'publish_notice', roles: ['bureau_officer'], from: ['approved'] },
    { action: 'close_notice', roles: ['bureau_officer'], from: ['public_notice'] },
    { action: 'uphold_objection', roles: ['bureau_officer'], from: ['public_notice', 'notice_closed'] },
    // The one way out of a terminal stage: a rejection reopened by its upheld appeal (复核).
    { action: 'reopen_on_appeal', roles: ['bureau_officer'], from: ['rejected'] },
    { action: 'recognise', roles: ['bureau_officer'], from: ['notice_closed'] },
  ];
  if (siteInspection !== 'none') transitions.push({ action: 'record_inspection', roles: ['bureau_officer'], from: ['site_inspection'] });
  if (siteInspection === 'optional') transitions.push({ action: 'skip_inspection', roles: ['bureau_officer'], from: ['site_inspection'] });
  return {
    id: `${platformType}.municipal@1`,
    platformType,
    levels: ['municipal'],
    version: 1,
    siteInspection,
    outcome: 'recognition',
    transitions,
  };
}

/** Provincial and national calls end with the city's recommendation letter; the province's result is recorded later. */
function provincial(platformType: string, levels: readonly string[]): WorkflowDefinition {
  return {
    id: `${platformType}.provincial@1`,
    platformType,
    levels,
    version: 1,
    siteInspection: 'none',
    outcome: 'provincial_recommendation',
    transitions: [
      { action: 'submit', roles: ['applicant'], from: ['draft'] },
      { action: 'resubmit', roles: ['applicant'], from: ['revision'] },
      { action: 'withdraw', roles: ['applicant'], from: ['draft', 'county_review', 'formal_review', 'expert_review', 'revision'] },
      { action: 'recommend', roles: ['county_officer'], from: ['county_review'] },
      { action: 'return_for_revision', roles: ['county_officer'], from: ['county_review'] },
      { action: 'return_for_revision', roles: ['bureau_officer'], from: ['formal_review', 'expert_review'] },
      { action: 'reject', roles: ['county_officer'], from: ['county_review'] },
      { action: 'reject', roles: ['bureau_officer'], from: ['formal_review', 'expert_review'] },
      { action: 'pass_formal_review', roles: ['bureau_officer'], from: ['formal_review'] },
      { action: 'record_expert_result', roles: ['bureau_officer'], from: ['expert_review'] },
      { action: 'recommend_to_province', roles: ['bureau_officer'], from: ['decision'] },
      { action: 'record_provincial_result', roles: ['bureau_officer'], from: ['recommended_to_province'] },
    ],
  };
}

/**
 * Every definition, by id. Adding a kind of platform (企业研究院, 概念验证中心, ...) means adding its
 * definitions here; a changed procedure is a new version, and applications keep the one they started with.
 */
export const WORKFLOW_DEFINITIONS: readonly WorkflowDefinition[] = [
  municipal('new_rd_institution', 'required'),
  municipal('incubator', 'required'),
  municipal('maker_space', 'optional'),
  municipal('key_lab', 'required'),
  provincial('new_rd_institution', ['provincial']),
  provincial('incubator', ['provincial', 'national']),
  provincial('maker_space', ['provincial', 'national']),
  provincial('key_lab', ['provincial', 'national']),
];

/** The current definition for a new call of this type and level. */
export function currentDefinition(platformType: string, level: string): WorkflowDefinition | undefined {
  return WORKFLOW_DEFINITIONS.filter((d) => d.platformType === platformType && d.levels.includes(level)).sort(
    (a, b) => b.version - a.version,
  )[0];
}

export function definitionById(id: string): WorkflowDefinition | undefined {
  return WORKFLOW_DEFINITIONS.find((d) => d.id === id);
}
