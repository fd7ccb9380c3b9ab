import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransitionEffects } from '@app/database';
import { type Audience, type DossierSubject, type EffectOf, STAGE_LABELS, type TransitionContext } from '@app/workflow';
import { DeadlinesService } from './deadlines.service';
import { NotificationsService, type UserMailNotice } from './notifications.service';
import { TimersService } from './timers.service';

/** The users an audience of a dossier means: its organisation's accounts, its county's officers, the bureau's, the leaders. */
export function dossierAudience(
  audience: Audience | 'leaders',
  dossier: Pick<DossierSubject, 'organisationId' | 'regionCode'>,
): UserMailNotice['to'] {
  switch (audience) {
    case 'applicant':
      return { role: 'applicant', organisationId: dossier.organisationId };
    case 'county_officers':
      return { role: 'county_officer', regionCode: dossier.regionCode };
    case 'bureau_officers':
      return { role: 'bureau_officer' };
    default:
      return { role: 'leader' };
  }
}

/**
 * The effects of a dossier's transition that this lib owns: the mails it sends and the reminders of
 * the stage it enters (the old stage's reminders end as the new ones are set).
 */
@Injectable()
export class DossierEffects implements OnModuleInit {
  constructor(
    private readonly effects: TransitionEffects,
    private readonly notifications: NotificationsService,
    private readonly deadlines: DeadlinesService,
    private readonly timers: TimersService,
  ) {}

  onModuleInit(): void {
    this.effects.register('notifications', ['deadline', 'cancel_deadlines', 'notify'], (manager, effects, context) =>
      this.apply(manager, effects, context),
    );
  }

  private async apply(
    manager: EntityManager,
    effects: EffectOf<'deadline' | 'cancel_deadlines' | 'notify'>[],
    { dossier, input }: TransitionContext,
  ): Promise<void> {
    const deadline = effects.find((e): e is EffectOf<'deadline'> => e.kind === 'deadline');
    if (deadline) {
      await this.deadlines.plan(manager, {
        subjectType: 'application',
        subjectId: dossier.id,
        stage: deadline.stage,
        deadline: deadline.deadline,
        occurrence: `v${dossier.version}`,
        replacing: true,
      });
    } else if (effects.some((e) => e.kind === 'cancel_deadlines')) {
      await this.timers.cancelFor(manager, 'application', dossier.id);
    }
    const labels = STAGE_LABELS[dossier.stage];
    const returnedFrom = STAGE_LABELS[dossier.returnedFrom ?? 'county_review'];
    const mails = effects
      .filter((e): e is EffectOf<'notify'> => e.kind === 'notify')
      .map((effect): UserMailNotice => ({
        event: `application.${effect.event}`,
        to: dossierAudience(effect.audience, dossier),
        data: {
          number: dossier.number ?? '',
          name: dossier.name,
          dossierId: dossier.id,
          stageLabel: effect.event === 'returned' ? returnedFrom.zh : labels.zh,
          stageLabelEn: effect.event === 'returned' ? returnedFrom.en : labels.en,
          comment: input.comment ?? '',
          deadline: dossier.stageDeadline ?? '',
          documentNumber: input.documentNumber ?? '',
        },
        about: { type: 'application', id: dossier.id },
      }));
    await this.notifications.mailUsers(manager, mails);
  }
}
