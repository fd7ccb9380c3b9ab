import type { ActionInput, Effect, Stage } from './workflow.types';

export type EffectKind = Effect['kind'];
export type EffectOf<K extends EffectKind> = Extract<Effect, { kind: K }>;

/** Every kind of effect the engine names; each must have an owner registered before the first transition. */
export const EFFECT_KINDS = [
  'notify',
  'deadline',
  'cancel_deadlines',
  'register_platform',
  'notice',
] as const satisfies readonly EffectKind[];

/** What an effect's owner knows of the dossier a transition moved: its state after the transition. */
export interface DossierSubject {
  id: string;
  number: string | null;
  name: string;
  stage: Stage;
  returnedFrom: Stage | null;
  version: number;
  stageDeadline: string | null;
  organisationId: string;
  regionCode: string;
  platformType: string;
  level: string;
  subtype: string | null;
  industries: string[];
  promotedFromPlatformId: string | null;
  professionalOperator: boolean;
}

export interface TransitionContext {
  dossier: DossierSubject;
  input: ActionInput;
}

/** Handles the effects of its kinds, all of one transition at once, inside the transition's transaction `tx`. */
export type EffectHandler<Tx, K extends EffectKind> = (tx: Tx, effects: EffectOf<K>[], context: TransitionContext) => Promise<void>;
