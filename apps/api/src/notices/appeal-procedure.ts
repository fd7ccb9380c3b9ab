import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ApplicationsService } from '@app/applications';
import { inTransaction } from '@app/database';
import type { Actor } from '@app/identity';
import { type Appeal, AppealErrors, AppealsService } from '@app/notices';
import { type DrawOptions, type PanelView, ReviewsService } from '@app/reviews';
import { ReviewDossiers } from '../reviews/review-dossiers';

/**
 * Where appeals (libs/notices), dossiers (libs/applications) and panels (libs/reviews) meet: the
 * appeal reads the rejection from the dossier's history, its panel is drawn without the experts who
 * sat before, and an upheld appeal reopens the dossier through its transition, in one transaction.
 */
@Injectable()
export class AppealProcedure {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly applications: ApplicationsService,
    private readonly appeals: AppealsService,
    private readonly reviews: ReviewsService,
    private readonly dossiers: ReviewDossiers,
  ) {}

  async lodge(actor: Actor, applicationId: string, input: { reasons: string; evidence?: string }): Promise<Appeal> {
    const { application, events } = await this.applications.timeline(actor, applicationId);
    const rejection = [...events].reverse().find((e) => e.toStage === 'rejected');
    return this.appeals.lodge(
      actor,
      {
        applicationId: application.id,
        callId: application.callId,
        organisationId: application.organisationId,
        stage: application.stage,
        rejection: rejection ? { eventId: rejection.id, seq: rejection.seq, at: rejection.createdAt } : null,
      },
      input,
    );
  }

  async get(actor: Actor, applicationId: string): Promise<Appeal> {
    const application = await this.applications.getAccessible(actor, applicationId);
    return this.appeals.forDossier(application.id);
  }

  /** The appeal's panel (复核专家组): drawn with the usual avoidance, and none of the experts of the dossier's earlier panels. */
  async drawPanel(actor: Actor, applicationId: string, options: Omit<DrawOptions, 'appeal'>): Promise<PanelView> {
    const facts = await this.dossiers.factsFor(actor, applicationId);
    const appeal = await this.appeals.forDossier(facts.applicationId);
    if (appeal.status !== 'lodged') throw AppealErrors.alreadyResolved(appeal.status);
    return this.reviews.drawPanel(actor, facts, { ...options, appeal: true });
  }

  /** The bureau's outcome; an upheld appeal sends the dossier back to the stage the call names, in the same transaction. */
  async resolve(actor: Actor, applicationId: string, decision: 'upheld' | 'dismissed', resolution: string): Promise<Appeal> {
    return inTransaction(this.dataSource, async (manager) => {
      const application = await this.applications.getAccessible(actor, applicationId, manager);
      const appeal = await this.appeals.resolve(manager, actor, application.id, decision, resolution);
      if (appeal.status === 'upheld') {
        await this.applications.actWithin(
          manager,
          actor,
          application.id,
          'reopen_on_appeal',
          { returnTo: appeal.returnTo, comment: resolution },
          null,
        );
      }
      return appeal;
    });
  }
}
