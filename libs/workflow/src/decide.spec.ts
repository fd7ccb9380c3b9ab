import fc from 'fast-check';
import { type DecideContext, INITIAL_STATE, availableActions, decide, isTerminal, replay } from './decide';
import { WORKFLOW_DEFINITIONS, currentDefinition } from './definitions';
import {
  ACTIONS,
  type Action,
  type ActionInput,
  DEFAULT_DURATIONS,
  REVIEW_STAGES,
  type WorkflowActor,
  WorkflowError,
  type WorkflowRole,
  type WorkflowState,
} from './workflow.types';

// A plain Mon-Fri calendar is enough here; the official one is tested in libs/common.
const weekdays = {
  addWorkingDays(day: string, n: number): string {
    const date = new Date(`${day}T00:00:00Z`);
    let left = n;
    while (left > 0) {
      date.setUTCDate(date.getUTCDate() + 1);
      if (date.getUTCDay() !== 0 && date.getUTCDay() !== 6) left -= 1;
    }
    return date.toISOString().slice(0, 10);
  },
};
const context: DecideContext = { today: '2027-03-01', calendar: weekdays, durations: DEFAULT_DURATIONS };
const ROLES: WorkflowRole[] = ['applicant', 'county_officer', 'bureau_officer', 'expert', 'leader', 'admin'];
const FULL_INPUT: ActionInput = { comment: '请补充材料', passed: true, documentNumber: '温科发〔2027〕12号', recognisedOn: '2027-06-30' };
const actor = (role: WorkflowRole): WorkflowActor => ({ userId: `user-${role}`, role });

const BACKWARD: Action[] = ['withdraw', 'reject', 'return_for_revision'];
// Four steps in five pick among the available actions (so runs reach the late stages); the rest try anything.
const step = fc.record({
  role: fc.constantFrom(...ROLES),
  action: fc.constantFrom(...ACTIONS),
  pickAvailable: fc.nat({ max: 4 }).map((n) => n > 0),
  choice: fc.nat(),
  input: fc.record({
    comment: fc.option(fc.constant('意见'), { nil: undefined, freq: 4 }),
    passed: fc.option(fc.boolean(), { nil: undefined, freq: 4 }),
    objectionUpheld: fc.option(fc.boolean(), { nil: undefined, freq: 2 }),
    documentNumber: fc.option(fc.constant('温科发〔2027〕1号'), { nil: undefined, freq: 4 }),
    recognisedOn: fc.option(fc.constant('2027-06-30'), { nil: undefined, freq: 4 }),
  }),
});

interface Applied {
  before: WorkflowState;
  after: WorkflowState;
  role: WorkflowRole;
  action: Action;
  input: ActionInput;
}

function run(
  definitionIndex: number,
  steps: { role: WorkflowRole; action: Action; input: ActionInput; pickAvailable: boolean; choice: number }[],
): Applied[] {
  const definition = WORKFLOW_DEFINITIONS[definitionIndex];
  let state = INITIAL_STATE;
  const applied: Applied[] = [];
  for (const raw of steps) {
    let s = { role: raw.role, action: raw.action, input: raw.input };
    if (raw.pickAvailable) {
      // Among every role's available actions; two times in three a forward one, so runs get deep.
      const options = ROLES.flatMap((role) => availableActions(definition, state, role).map((action) => ({ role, action })));
      const forward = options.filter((o) => !BACKWARD.includes(o.action));
      const pool = raw.choice % 3 !== 0 && forward.length > 0 ? forward : options;
      if (pool.length > 0) s = { ...pool[raw.choice % pool.length], input: raw.input };
    }
    try {
      const next = decide(definition, state, actor(s.role), s.action, s.input, context).state;
      applied.push({ before: state, after: next, ...s });
      state = next;
    } catch (error) {
      expect(error).toBeInstanceOf(WorkflowError);
    }
  }
  return applied;
}

const sequences = fc.tuple(fc.nat({ max: WORKFLOW_DEFINITIONS.length - 1 }), fc.array(step, { maxLength: 60 }));

it('random runs reach recognition, rejection and withdrawal (the generator explores the whole procedure)', () => {
  const reached = new Set<string>();
  fc.assert(
    fc.property(sequences, ([index, steps]) => {
      for (const a of run(index, steps)) reached.add(a.after.stage);
    }),
    // A fixed seed: this checks the generator reaches every corner, which must not depend on luck.
    { numRuns: 1000, seed: 20270630 },
  );
  expect([...reached]).toEqual(
    expect.arrayContaining(['recognised', 'rejected', 'withdrawn', 'revision', 'public_notice', 'recommended_to_province']),
  );
});

describe('decide (property tests over random action sequences)', () => {
  it('never moves a dossier out of a terminal stage, except a rejection its upheld appeal reopens', () => {
    fc.assert(
      fc.property(sequences, ([index, steps]) => {
        for (const a of run(index, steps)) {
          const appeal = a.before.stage === 'rejected' && a.action === 'reopen_on_appeal';
          expect(isTerminal(a.before.stage) && !appeal).toBe(false);
        }
      }),
    );
  });

  it('lets only the roles the definition names move a stage', () => {
    fc.assert(
      fc.property(sequences, ([index, steps]) => {
        const definition = WORKFLOW_DEFINITIONS[index];
        for (const a of run(index, steps)) {
          const allowed = definition.transitions
            .filter((t) => t.action === a.action && t.from.includes(a.before.stage))
            .flatMap((t) => t.roles);
          expect(allowed).toContain(a.role);
        }
      }),
    );
  });

  it('brings every resubmission back to the stage that returned the dossier', () => {
    fc.assert(
      fc.property(sequences, ([index, steps]) => {
        const applied = run(index, steps);
        for (const [i, a] of applied.entries()) {
          if (a.action !== 'return_for_revision') continue;
          expect(REVIEW_STAGES).toContain(a.before.stage);
          expect(a.after).toMatchObject({ stage: 'revision', returnedFrom: a.before.stage });
          const resubmitted = applied.slice(i + 1).find((later) => later.action === 'resubmit');
          if (resubmitted) expect(resubmitted.after.stage).toBe(a.before.stage);
        }
      }),
    );
  });

  it('rebuilds the current state by replaying the event history', () => {
    fc.assert(
      fc.property(sequences, ([index, steps]) => {
        const applied = run(index, steps);
        const current = applied.length > 0 ? applied[applied.length - 1].after : INITIAL_STATE;
        const events = applied.map((a) => ({ actor: actor(a.role), action: a.action, input: a.input, context }));
        expect(replay(WORKFLOW_DEFINITIONS[index], events)).toEqual(current);
      }),
    );
  });
});

describe('decide (the municipal incubator procedure)', () => {
  const definition = currentDefinition('incubator', 'municipal')!;
  const go = (state: WorkflowState, role: WorkflowRole, action: Action, input: ActionInput = FULL_INPUT) =>
    decide(definition, state, actor(role), action, input, context);

  it('walks from draft to recognised, with one return and resubmission, and registers the platform', () => {
    let state = go(INITIAL_STATE, 'applicant', 'submit').state;
    state = go(state, 'county_officer', 'recommend').state;
    const returned = go(state, 'bureau_officer', 'return_for_revision');
    expect(returned.state).toEqual({ stage: 'revision', returnedFrom: 'formal_review', round: 1 });
    expect(returned.effects).toContainEqual({ kind: 'notify', audience: 'applicant', event: 'returned' });
    state = go(returned.state, 'applicant', 'resubmit').state;
    expect(state).toEqual({ stage: 'formal_review', returnedFrom: null, round: 2 });
    for (const [role, action] of [
      ['bureau_officer', 'pass_formal_review'],
      ['bureau_officer', 'record_expert_result'],
      ['bureau_officer', 'record_inspection'],
      ['bureau_officer', 'approve'],
      ['bureau_officer', 'publish_notice'],
      ['bureau_officer', 'close_notice'],
    ] as [WorkflowRole, Action][]) {
      state = go(state, role, action).state;
    }
    expect(state.stage).toBe('notice_closed');
    const recognised = go(state, 'bureau_officer', 'recognise');
    expect(recognised.state.stage).toBe('recognised');
    expect(recognised.effects).toContainEqual({
      kind: 'register_platform',
      documentNumber: '温科发〔2027〕12号',
      recognisedOn: '2027-06-30',
    });
    expect(availableActions(definition, recognised.state, 'bureau_officer')).toEqual([]);
  });

  it('sets the county review deadline in working days and tells the county officers', () => {
    const { effects } = go(INITIAL_STATE, 'applicant', 'submit');
    expect(effects).toContainEqual({ kind: 'deadline', stage: 'county_review', deadline: '2027-03-15', audience: 'county_officers' });
    expect(effects).toContainEqual({ kind: 'notify', audience: 'county_officers', event: 'task_assigned' });
  });

  it('sends an upheld objection back to decision', () => {
    const state: WorkflowState = { stage: 'public_notice', returnedFrom: null, round: 1 };
    expect(go(state, 'bureau_officer', 'close_notice', { objectionUpheld: true }).state.stage).toBe('decision');
  });

  it('hands each step of a public notice to its owner, and takes an upheld objection back to decision or to rejection', () => {
    const approved: WorkflowState = { stage: 'approved', returnedFrom: null, round: 1 };
    const onNotice: WorkflowState = { stage: 'public_notice', returnedFrom: null, round: 1 };
    const closed: WorkflowState = { stage: 'notice_closed', returnedFrom: null, round: 1 };
    const noticeEffects = (decision: { effects: { kind: string }[] }) => decision.effects.filter((e) => e.kind === 'notice');
    expect(noticeEffects(go(approved, 'bureau_officer', 'publish_notice', { noticeId: 'n-1' }))).toEqual([
      { kind: 'notice', step: 'join' },
    ]);
    expect(noticeEffects(go(onNotice, 'bureau_officer', 'close_notice'))).toEqual([{ kind: 'notice', step: 'leave' }]);
    const recognised = go(closed, 'bureau_officer', 'recognise', FULL_INPUT);
    expect(noticeEffects(recognised)).toEqual([{ kind: 'notice', step: 'recognise' }]);
    const upheld = go(onNotice, 'bureau_officer', 'uphold_objection', {});
    expect(upheld.state.stage).toBe('decision');
    expect(noticeEffects(upheld)).toEqual([{ kind: 'notice', step: 'uphold' }]);
    expect(go(closed, 'bureau_officer', 'uphold_objection', { objectionOutcome: 'rejected', comment: '异议成立' }).state.stage).toBe(
      'rejected',
    );
    expect(() => go(closed, 'bureau_officer', 'uphold_objection', { objectionOutcome: 'rejected' })).toThrow(
      expect.objectContaining({ code: 'application.missing_input' }),
    );
  });

  it('refuses the wrong role, a missing comment, and recognition without a document number', () => {
    const inCounty: WorkflowState = { stage: 'county_review', returnedFrom: null, round: 1 };
    expect(() => go(inCounty, 'bureau_officer', 'recommend')).toThrow(expect.objectContaining({ code: 'application.role_not_allowed' }));
    expect(() => go(inCounty, 'county_officer', 'return_for_revision', {})).toThrow(
      expect.objectContaining({ code: 'application.missing_input' }),
    );
    const closed: WorkflowState = { stage: 'notice_closed', returnedFrom: null, round: 1 };
    expect(() => go(closed, 'bureau_officer', 'recognise', { recognisedOn: '2027-06-30' })).toThrow(
      expect.objectContaining({ code: 'application.missing_input', details: { field: 'documentNumber' } }),
    );
    expect(() => go(closed, 'applicant', 'withdraw')).toThrow(expect.objectContaining({ code: 'application.invalid_transition' }));
  });

  it('withdraws only with a reason', () => {
    const inCounty: WorkflowState = { stage: 'county_review', returnedFrom: null, round: 1 };
    expect(() => go(inCounty, 'applicant', 'withdraw', {})).toThrow(
      expect.objectContaining({ code: 'application.missing_input', details: { field: 'comment' } }),
    );
    expect(go(inCounty, 'applicant', 'withdraw', { comment: '本年度暂不申报' }).state.stage).toBe('withdrawn');
  });
});
