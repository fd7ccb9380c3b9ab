/**
 * The recognition procedure as data (DOMAIN.md §5). Pure types: this lib imports no Nest, no
 * TypeORM, reads no clock. Roles and levels are plain strings so the engine stays independent.
 */
export type WorkflowRole = 'applicant' | 'county_officer' | 'bureau_officer' | 'expert' | 'leader' | 'admin';

export const STAGES = [
  'draft',
  'county_review',
  'formal_review',
  'expert_review',
  'site_inspection',
  'decision',
  'approved',
  'public_notice',
  'notice_closed',
  'recommended_to_province',
  'revision',
  'recognised',
  'rejected',
  'withdrawn',
] as const;
export type Stage = (typeof STAGES)[number];

export const TERMINAL_STAGES: readonly Stage[] = ['recognised', 'rejected', 'withdrawn'];

/** Stages that return a dossier for revision come back to the same stage on resubmission. */
export const REVIEW_STAGES: readonly Stage[] = ['county_review', 'formal_review', 'expert_review', 'site_inspection'];

export const ACTIONS = [
  'submit',
  'resubmit',
  'withdraw',
  'recommend',
  'return_for_revision',
  'reject',
  'pass_formal_review',
  'record_expert_result',
  'record_inspection',
  'skip_inspection',
  'approve',
  'publish_notice',
  'close_notice',
  'recognise',
  'recommend_to_province',
  'record_provincial_result',
  'uphold_objection',
  'reopen_on_appeal',
] as const;
export type Action = (typeof ACTIONS)[number];

export interface WorkflowState {
  stage: Stage;
  /** Set while in `revision`: the stage that returned the dossier, where resubmission leads. */
  returnedFrom: Stage | null;
  /** 1 for the first submission, +1 for each resubmission. */
  round: number;
}

export interface WorkflowActor {
  userId: string;
  role: WorkflowRole;
}

/** Inputs some actions need, already validated for shape by the caller's DTO. */
export interface ActionInput {
  comment?: string;
  /**
   * record_provincial_result: passed or not, as the province answered. For record_expert_result and
   * record_inspection the caller fills these from the review's owner (the closed panel, the signed
   * inspection), never from what an officer typed.
   */
  passed?: boolean;
  score?: number;
  /** The record a verified result was read from (the panel's or the inspection's id). */
  evidenceId?: string;
  /** close_notice: an objection was upheld, the candidate goes back to decision. */
  objectionUpheld?: boolean;
  /** recognise / record_provincial_result: the decision document. */
  documentNumber?: string;
  recognisedOn?: string;
  /** publish_notice: the notice (libs/notices) the candidate is published on. */
  noticeId?: string;
  /** uphold_objection: where the candidate goes, back to decision (default) or rejected. */
  objectionOutcome?: 'decision' | 'rejected';
  /** reopen_on_appeal: the stage the call names for an upheld appeal (default expert_review). */
  returnTo?: Stage;
}

/** Where an upheld appeal (复核) may send a rejected dossier back to. */
export const APPEAL_RETURN_STAGES = ['formal_review', 'expert_review', 'site_inspection', 'decision'] as const satisfies readonly Stage[];

export interface WorkingDays {
  addWorkingDays(day: string, n: number): string;
}

/** Working days each stage is given, per call; the county-review deadline may also be a fixed date. */
export interface StageDurations {
  county_review: number;
  formal_review: number;
  expert_review: number;
  site_inspection: number;
  decision: number;
  public_notice: number;
  revision: number;
}

export const DEFAULT_DURATIONS: StageDurations = {
  county_review: 10,
  formal_review: 10,
  expert_review: 15,
  site_inspection: 15,
  decision: 20,
  public_notice: 5,
  revision: 10,
};

/**
 * Where a default number comes from: a document and its article (null when the document is known but
 * the article was not found), or `assumption` when no text was found and the number is this
 * project's choice, to be confirmed per call. `call` marks a value the call itself set.
 */
export type Provenance = { document: string; article: string | null } | 'assumption' | 'call';

/** The sources of DEFAULT_DURATIONS (DOMAIN.md §5: every duration is a per-call parameter in working days). */
export const DEFAULT_DURATION_SOURCES: Record<keyof StageDurations, Provenance> = {
  county_review: 'assumption',
  formal_review: 'assumption',
  expert_review: 'assumption',
  site_inspection: 'assumption',
  decision: 'assumption',
  // No Wenzhou text: 5 working days is the practice of comparable city recognitions (新型研发机构, 众创空间).
  public_notice: { document: 'DOMAIN.md §5（同类市级认定公示惯例：新型研发机构、众创空间公示5个工作日）', article: null },
  revision: 'assumption',
};

/** The source of each stage's duration in a call: the default's when the call kept it, `call` when it set its own. */
export function durationSources(durations: StageDurations): Record<keyof StageDurations, Provenance> {
  const stages = Object.keys(DEFAULT_DURATIONS) as (keyof StageDurations)[];
  return Object.fromEntries(
    stages.map((stage) => [stage, durations[stage] === DEFAULT_DURATIONS[stage] ? DEFAULT_DURATION_SOURCES[stage] : 'call']),
  ) as Record<keyof StageDurations, Provenance>;
}

export type Audience = 'applicant' | 'county_officers' | 'bureau_officers';

export type Effect =
  /** Tell an audience about the transition (template `application.<event>`). */
  | { kind: 'notify'; audience: Audience; event: 'stage_changed' | 'task_assigned' | 'returned' | 'decided' }
  /** Plan reminders for the stage just entered. */
  | { kind: 'deadline'; stage: Stage; deadline: string; audience: Audience }
  /** Stop the reminders of the stage just left. */
  | { kind: 'cancel_deadlines' }
  /** Enter the platform into the registry. */
  | { kind: 'register_platform'; documentNumber: string; recognisedOn: string }
  /**
   * The candidate's public notice (libs/notices): `join` when published on a notice, `leave` when
   * the notice closes (refused before its end), `uphold` when an upheld objection takes it off,
   * `recognise` before recognition (refused while an objection is open), `appeal` when an upheld
   * appeal reopens a rejected dossier (refused without one).
   */
  | { kind: 'notice'; step: 'join' | 'leave' | 'uphold' | 'recognise' | 'appeal' };

export interface Transition {
  action: Action;
  roles: readonly WorkflowRole[];
  from: readonly Stage[];
}

export interface WorkflowDefinition {
  /** e.g. `incubator.municipal@1`. An application keeps the version it started with. */
  id: string;
  platformType: string;
  levels: readonly string[];
  version: number;
  siteInspection: 'required' | 'optional' | 'none';
  /** Municipal: the bureau recognises. Provincial/national: the city recommends to the province. */
  outcome: 'recognition' | 'provincial_recommendation';
  transitions: readonly Transition[];
}

export interface Decision {
  state: WorkflowState;
  effects: Effect[];
}

export class WorkflowError extends Error {
  constructor(
    readonly kind: 'forbidden' | 'conflict' | 'validation',
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'WorkflowError';
  }
}
