import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransitionEffects } from '@app/database';
import type { EffectOf, TransitionContext } from '@app/workflow';
import { AppealsService } from './appeals.service';
import { NoticesService } from './notices.service';

/**
 * The effect of a dossier's transition this lib owns: each step of a candidate's notice is checked
 * and recorded in the transition's transaction, so a refusal here (an early close, recognition with
 * an open objection) rolls the transition back, whichever route asked for it.
 */
@Injectable()
export class NoticeEffects implements OnModuleInit {
  constructor(
    private readonly effects: TransitionEffects,
    private readonly notices: NoticesService,
    private readonly appeals: AppealsService,
  ) {}

  onModuleInit(): void {
    this.effects.register('notices', ['notice'], (manager, effects, context) => this.take(manager, effects, context));
  }

  private async take(manager: EntityManager, effects: EffectOf<'notice'>[], { dossier, input }: TransitionContext): Promise<void> {
    for (const { step } of effects) {
      if (step === 'join') await this.notices.join(manager, dossier, input.noticeId);
      else if (step === 'leave') await this.notices.leave(manager, dossier.id, input.objectionUpheld);
      else if (step === 'uphold') await this.notices.uphold(manager, dossier.id);
      else if (step === 'appeal') await this.appeals.checkReopening(manager, dossier.id);
      else await this.notices.checkRecognition(manager, dossier.id);
    }
  }
}
