import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DeadlinesService, NotificationsModule, NotificationsService, dossierAudience } from '@app/notifications';
import { type Audience, STAGE_LABELS, type Stage } from '@app/workflow';
import { Application } from './application.entity';

/** Who a stage's reminders go to: the officers who act on it, or the applicant for a draft or a return. */
function stageAudience(stage: Stage): Audience {
  if (stage === 'county_review') return 'county_officers';
  if (stage === 'revision' || stage === 'draft') return 'applicant';
  return 'bureau_officers';
}

/**
 * How a dossier's deadline reminder re-reads its dossier when the timer fires (in the worker):
 * nothing is sent once the dossier has left the stage; escalations go one level up.
 */
@Injectable()
export class DossierReminders implements OnModuleInit {
  constructor(
    private readonly deadlines: DeadlinesService,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    this.deadlines.registerSubject('application', async (manager, id, stage) => {
      const app = await manager.findOne(Application, { where: { id } });
      if (!app) return null;
      const audience = stageAudience(stage as Stage);
      return {
        open: app.stage === stage,
        label: `申报书 ${app.number ?? ''} ${app.name}`.trim(),
        stageLabel: STAGE_LABELS[stage as Stage]?.zh ?? stage,
        remind: await this.notifications.usersToMail(manager, dossierAudience(audience, app)),
        escalate: await this.notifications.usersToMail(
          manager,
          dossierAudience(audience === 'county_officers' ? 'bureau_officers' : 'leaders', app),
        ),
      };
    });
  }
}

/** What the worker needs of dossiers: their reminders, and nothing of the API's services. */
@Module({
  imports: [TypeOrmModule.forFeature([Application]), NotificationsModule],
  providers: [DossierReminders],
})
export class DossierRemindersModule {}
