import {
  APPEAL_RETURN_STAGES,
  type Action,
  type ActionInput,
  type Decision,
  type Effect,
  type Stage,
  type StageDurations,
  TERMINAL_STAGES,
  type WorkflowActor,
  type WorkflowDefinition,
  WorkflowError,
  type WorkflowState,
  type WorkingDays,
} from './workflow.types';

export interface DecideContext {
  /** Today in Asia/Shanghai, YYYY-MM-DD (the caller reads the clock, not the engine). */
  today: string;
  calendar: WorkingDays;
  durations: StageDurations;
  /** A fixed county-review cut-off from the call, if it set one. */
  countyReviewDeadline?: string | null;
}

export const INITIAL_STATE: WorkflowState = { stage: 'draft', returnedFrom: null, round: 0 };

const AUDIENCE_OF: Partial<Record<Stage, 'county_officers' | 'bureau_officers' | 'applicant'>> = {
  county_review: 'county_officers',
  formal_review: 'bureau_officers',
  expert_review: 'bureau_officers',
  site_inspection: 'bureau_officers',
  decision: 'bureau_officers',
  public_notice: 'bureau_officers',
  revision: 'applicant',
};

export function isTerminal(stage: Stage): boolean {
  return TERMINAL_STAGES.includes(stage);
}

/** Actions the role may take now (for the UI and the timeline). */
export function availableActions(definition: WorkflowDefinition, state: WorkflowState, role: string): Action[] {
  if (isTerminal(state.stage)) return [];
  return [
    ...new Set(
      definition.transitions
        .filter((t) => t.from.includes(state.stage) && (t.roles as readonly string[]).includes(role))
        .map((t) => t.action),
    ),
  ];
}

function require<T>(value: T | undefined, field: string, action: Action): T {
  if (value === undefined || value === null || value === '') {
    throw new WorkflowError(
      'validation',
      'application.missing_input',
      `操作“${action}”需要填写 ${field}。The action ${action} needs ${field}.`,
      {
        field,
      },
    );
  }
  return value;
}

/**
 * The engine: given a definition, the current state, who acts, what and with which input, returns
 * the next state and the effects to carry out, or throws a WorkflowError. Pure and deterministic.
 */
export function decide(
  definition: WorkflowDefinition,
  state: WorkflowState,
  actor: WorkflowActor,
  action: Action,
  input: ActionInput,
  context: DecideContext,
): Decision {
  if (isTerminal(state.stage) && !(state.stage === 'rejected' && action === 'reopen_on_appeal')) {
    throw new WorkflowError('conflict', 'application.terminal', '申报已结束，不能再操作。The dossier is closed.', { stage: state.stage });
  }
  const candidates = definition.transitions.filter((t) => t.action === action && t.from.includes(state.stage));
  if (candidates.length === 0) {
    throw new WorkflowError(
      'conflict',
      'application.invalid_transition',
      `当前环节不能执行该操作。This action is not possible at this stage.`,
      {
        stage: state.stage,
        action,
      },
    );
  }
  if (!candidates.some((t) => (t.roles as readonly string[]).includes(actor.role))) {
    throw new WorkflowError('forbidden', 'application.role_not_allowed', '您的角色不能执行该操作。Your role may not take this action.', {
      stage: state.stage,
      action,
      role: actor.role,
    });
  }
  const next = nextState(definition, state, action, input);
  const effects: Effect[] = [{ kind: 'cancel_deadlines' }];
  const notify = (
    audience: 'applicant' | 'county_officers' | 'bureau_officers',
    event: 'stage_changed' | 'task_assigned' | 'returned' | 'decided',
  ): void => {
    effects.push({ kind: 'notify', audience, event });
  };
  if (next.stage === 'revision') notify('applicant', 'returned');
  else if (next.stage === 'recognised' || next.stage === 'rejected') notify('applicant', 'decided');
  else if (next.stage !== 'withdrawn') notify('applicant', 'stage_changed');
  const audience = AUDIENCE_OF[next.stage];
  if (audience && audience !== 'applicant') notify(audience, 'task_assigned');
  const days = context.durations[next.stage as keyof StageDurations];
  if (audience && days !== undefined) {
    const deadline =
      next.stage === 'county_review' && context.countyReviewDeadline
        ? context.countyReviewDeadline
        : context.calendar.addWorkingDays(context.today, days);
    effects.push({ kind: 'deadline', stage: next.stage, deadline, audience });
  }
  const noticeStep = NOTICE_STEPS[action];
  if (noticeStep && (action !== 'recognise' || state.stage === 'notice_closed')) effects.push({ kind: 'notice', step: noticeStep });
  if (next.stage === 'recognised') {
    effects.push({
      kind: 'register_platform',
      documentNumber: require(input.documentNumber, 'documentNumber', action),
      recognisedOn: require(input.recognisedOn, 'recognisedOn', action),
    });
  }
  return { state: next, effects };
}

/** The steps of a candidate's public notice, checked and recorded by the notices lib's handler. */
const NOTICE_STEPS: Partial<Record<Action, 'join' | 'leave' | 'uphold' | 'recognise' | 'appeal'>> = {
  publish_notice: 'join',
  reopen_on_appeal: 'appeal',
  close_notice: 'leave',
  uphold_objection: 'uphold',
  recognise: 'recognise',
};

function nextState(definition: WorkflowDefinition, state: WorkflowState, action: Action, input: ActionInput): WorkflowState {
  const to = (stage: Stage): WorkflowState => ({ stage, returnedFrom: null, round: state.round });
  switch (action) {
    case 'submit':
      return { stage: 'county_review', returnedFrom: null, round: 1 };
    case 'resubmit':
      return { stage: state.returnedFrom ?? 'county_review', returnedFrom: null, round: state.round + 1 };
    case 'withdraw':
      // The applicant says why (DOMAIN.md §5): the reason stays on the timeline.
      require(input.comment, 'comment', action);
      return to('withdrawn');
    case 'return_for_revision':
      require(input.comment, 'comment', action);
      return { stage: 'revision', returnedFrom: state.stage, round: state.round };
    case 'reject':
      require(input.comment, 'comment', action);
      return to('rejected');
    case 'recommend':
      return to('formal_review');
    case 'pass_formal_review':
      return to('expert_review');
    case 'record_expert_result': {
      const passed = require(input.passed, 'passed', action);
      if (!passed) return to('rejected');
      return to(definition.siteInspection === 'none' ? 'decision' : 'site_inspection');
    }
    case 'record_inspection':
      return to(require(input.passed, 'passed', action) ? 'decision' : 'rejected');
    case 'skip_inspection':
      return to('decision');
    case 'approve':
      return to('approved');
    case 'publish_notice':
      return to('public_notice');
    case 'close_notice':
      // An upheld objection suspends the candidate and sends it back to decision (DOMAIN.md §5).
      return to(input.objectionUpheld ? 'decision' : 'notice_closed');
    case 'uphold_objection':
      // An upheld objection suspends the candidate: back to decision, or rejected (DOMAIN.md §5).
      if (input.objectionOutcome === 'rejected') {
        require(input.comment, 'comment', action);
        return to('rejected');
      }
      return to('decision');
    case 'reopen_on_appeal': {
      const returnTo = input.returnTo ?? 'expert_review';
      if (!(APPEAL_RETURN_STAGES as readonly Stage[]).includes(returnTo)) {
        throw new WorkflowError(
          'validation',
          'application.invalid_return_stage',
          '复核成立后不能退回到该环节。An appeal cannot return the dossier there.',
          {
            returnTo,
            allowed: APPEAL_RETURN_STAGES,
          },
        );
      }
      return to(returnTo);
    }
    case 'recognise':
      require(input.documentNumber, 'documentNumber', action);
      require(input.recognisedOn, 'recognisedOn', action);
      return to('recognised');
    case 'recommend_to_province':
      return to('recommended_to_province');
    case 'record_provincial_result':
      if (!require(input.passed, 'passed', action)) return to('rejected');
      require(input.documentNumber, 'documentNumber', action);
      require(input.recognisedOn, 'recognisedOn', action);
      return to('recognised');
  }
}

/** Replays a history of actions from the initial state: the event log is enough to rebuild the state. */
export function replay(
  definition: WorkflowDefinition,
  events: readonly { actor: WorkflowActor; action: Action; input: ActionInput; context: DecideContext }[],
): WorkflowState {
  return events.reduce(
    (state, event) => decide(definition, state, event.actor, event.action, event.input, event.context).state,
    INITIAL_STATE,
  );
}
