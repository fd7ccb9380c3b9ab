import type { Schemas } from '../../api';

export type AssignmentState = 'declare' | 'score' | 'scored' | 'conflict' | 'closed';

/** Where an expert stands on an assignment: what the screen asks of them next. */
export function assignmentState(a: Schemas['AssignmentDto']): AssignmentState {
  if (a.declaration === 'conflict') return 'conflict';
  if (a.scoredAt) return 'scored';
  if (a.panelStatus === 'closed' || !a.active) return 'closed';
  return a.declaration === 'none' ? 'declare' : 'score';
}

export const STATE_KEY: Record<AssignmentState, string> = {
  declare: 'expert.stateDeclare',
  score: 'expert.stateScore',
  scored: 'expert.stateScored',
  conflict: 'expert.stateConflict',
  closed: 'expert.stateClosed',
};

export const STATE_TAG: Record<AssignmentState, 'warning' | 'primary' | 'success' | 'info'> = {
  declare: 'warning',
  score: 'primary',
  scored: 'success',
  conflict: 'info',
  closed: 'info',
};
