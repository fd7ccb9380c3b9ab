import { Injectable, Module } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { StageVerdicts } from './stage-verdicts';
import { EFFECT_KINDS, type Effect, type EffectHandler, type EffectKind, type EffectOf, type TransitionContext } from '@app/workflow';

interface Owner {
  kinds: readonly EffectKind[];
  /** The owner's handler, given the effects of a decision; it takes those of its kinds. */
  take(manager: EntityManager, effects: readonly Effect[], context: TransitionContext): Promise<void>;
}

/**
 * Who handles each kind of effect that the workflow engine's decisions name. The lib that owns an
 * effect kind registers itself when its module starts (mail and deadlines: notifications; the
 * registry entry: registry), so the lib that runs transitions needs to know none of them.
 */
@Injectable()
export class TransitionEffects {
  private readonly owners: Owner[] = [];

  register<K extends EffectKind>(name: string, kinds: readonly K[], handle: EffectHandler<EntityManager, K>): void {
    const taken = kinds.filter((kind) => this.owners.some((owner) => owner.kinds.includes(kind)));
    if (taken.length > 0) throw new Error(`Effect kinds ${taken.join(', ')} already have an owner (registering ${name})`);
    const isMine = (effect: Effect): effect is EffectOf<K> => (kinds as readonly EffectKind[]).includes(effect.kind);
    this.owners.push({
      kinds,
      take: async (manager, effects, context) => {
        const mine = effects.filter(isMine);
        if (mine.length > 0) await handle(manager, mine, context);
      },
    });
  }

  /** The kinds nobody has registered for: a process that runs transitions must start with none. */
  unowned(): EffectKind[] {
    return EFFECT_KINDS.filter((kind) => !this.owners.some((owner) => owner.kinds.includes(kind)));
  }

  /** Hands each owner the decision's effects of its kinds, in the caller's transaction, in registration order. */
  async apply(manager: EntityManager, effects: readonly Effect[], context: TransitionContext): Promise<void> {
    const unowned = effects.filter((effect) => !this.owners.some((owner) => owner.kinds.includes(effect.kind)));
    if (unowned.length > 0) throw new Error(`No owner for effect kinds: ${unowned.map((e) => e.kind).join(', ')}`);
    for (const owner of this.owners) await owner.take(manager, effects, context);
  }
}

/** One registry of effect owners (and of review verdicts) per process: every module that owns or applies effects imports this one. */
@Module({ providers: [TransitionEffects, StageVerdicts], exports: [TransitionEffects, StageVerdicts] })
export class TransitionEffectsModule {}
