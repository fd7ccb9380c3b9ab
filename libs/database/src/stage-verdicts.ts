import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Action } from '@app/workflow';

/** What a review's owner found: the result the transition records, and the record it comes from. */
export interface Verdict {
  passed: boolean;
  score?: number;
  /** The id of the record the result was read from (a closed panel, a signed inspection). */
  evidenceId: string;
}

/**
 * Reads the verdict of one dossier's review round (application.round: a resubmitted dossier is
 * reviewed again) in the transition's transaction, or throws a DomainError saying why there is none yet.
 */
export type VerdictProvider = (manager: EntityManager, applicationId: string, round: number) => Promise<Verdict>;

/**
 * Who answers for the result of each review stage (the expert panel, the site inspection). The lib
 * that runs a review registers here when its module starts, so the lib that runs transitions reads
 * the result from its owner instead of taking a boolean typed by an officer, and imports neither.
 */
@Injectable()
export class StageVerdicts {
  private readonly providers = new Map<Action, { name: string; read: VerdictProvider }>();

  register(name: string, actions: readonly Action[], read: VerdictProvider): void {
    const taken = actions.filter((action) => this.providers.has(action));
    if (taken.length > 0) throw new Error(`Actions ${taken.join(', ')} already have a verdict provider (registering ${name})`);
    for (const action of actions) this.providers.set(action, { name, read });
  }

  /** The actions whose result comes from a registered owner. */
  has(action: Action): boolean {
    return this.providers.has(action);
  }

  read(manager: EntityManager, action: Action, applicationId: string, round: number): Promise<Verdict> {
    const provider = this.providers.get(action);
    if (!provider) throw new Error(`No verdict provider for ${action}`);
    return provider.read(manager, applicationId, round);
  }
}
