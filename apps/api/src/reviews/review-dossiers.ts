import { Injectable } from '@nestjs/common';
import { type Application, ApplicationsService, type Attachment, AttachmentsService } from '@app/applications';
import { type Actor, OrganisationsService } from '@app/identity';
import type { DossierFacts } from '@app/reviews';

/**
 * Where the applications and reviews libs meet (they sit on one floor and never import each
 * other): the dossier facts a draw needs, and the dossier an assigned expert may read.
 */
@Injectable()
export class ReviewDossiers {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly attachments: AttachmentsService,
    private readonly organisations: OrganisationsService,
  ) {}

  /** The dossier in the officer's scope (404 outside it), with its applicant. */
  async factsFor(actor: Actor, applicationId: string): Promise<DossierFacts> {
    const app = await this.applications.getAccessible(actor, applicationId);
    const organisation = await this.organisations.get(actor, app.organisationId);
    return {
      applicationId: app.id,
      callId: app.callId,
      platformType: app.platformType,
      stage: app.stage,
      round: app.round,
      number: app.number,
      name: app.name,
      organisationId: organisation.id,
      applicant: { name: organisation.name, creditCode: organisation.creditCode },
      // The forms name no host unit (依托单位) yet; the avoidance rule checks one as soon as they do.
      hostUnit: null,
      county: app.regionCode,
      industries: app.industries,
    };
  }

  /**
   * The dossiers of a batch draw: the ones named (each in the officer's scope, 404 otherwise), or
   * every dossier of the call at expert review, in the order of their numbers.
   */
  async forBatch(actor: Actor, callId: string, applicationIds: string[] | undefined): Promise<DossierFacts[]> {
    if (applicationIds) {
      const named: DossierFacts[] = [];
      for (const id of applicationIds) named.push(await this.factsFor(actor, id));
      return named;
    }
    const found: Application[] = [];
    for (let page = 1; ; page++) {
      const batch = await this.applications.list(actor, { callId, stage: 'expert_review' }, { page, pageSize: 100 });
      found.push(...batch.items);
      if (found.length >= batch.total || batch.items.length === 0) break;
    }
    found.sort((a, b) => (a.number ?? a.id).localeCompare(b.number ?? b.id));
    const facts: DossierFacts[] = [];
    for (const app of found) facts.push(await this.factsFor(actor, app.id));
    return facts;
  }

  /**
   * The dossier's current review round, for a member of its inspection team signing (a county
   * officer or an expert, whose read scope may not reach the dossier): read in the bureau's scope,
   * the round only; InspectionsService.sign then finds the caller on the team or answers 404.
   */
  async currentRound(actor: Actor, applicationId: string): Promise<number> {
    const reader: Actor = { ...actor, role: 'bureau_officer', organisationId: null, regionCode: null };
    return (await this.applications.getAccessible(reader, applicationId)).round;
  }

  /**
   * The dossier and its attachments for a member of one of its inspection teams, whose membership
   * InspectionsService.inspectionsOf has just confirmed: read in the bureau's scope (a county officer
   * or an expert may not reach the dossier otherwise), for this one dossier only.
   */
  async forInspectionMember(actor: Actor, applicationId: string): Promise<{ application: Application; attachments: Attachment[] }> {
    return this.forAssignedExpert(actor, applicationId);
  }

  /** The ids of the dossier's attachments in the officer's scope: what inspection evidence may name. */
  async attachmentIds(actor: Actor, applicationId: string): Promise<Set<string>> {
    return new Set((await this.attachments.list(actor, applicationId)).map((a) => a.id));
  }

  /**
   * The dossier and its documents for an expert whose seat ReviewsService.readableDossier has just
   * confirmed (own seat, no conflict declared). The applications lib scopes reads by role and knows
   * no experts, so this one read runs in the bureau's read scope, for this one dossier only.
   */
  async forAssignedExpert(actor: Actor, applicationId: string): Promise<{ application: Application; attachments: Attachment[] }> {
    const reader: Actor = { ...actor, role: 'bureau_officer', organisationId: null, regionCode: null };
    const application = await this.applications.getAccessible(reader, applicationId);
    const attachments = await this.attachments.list(reader, applicationId);
    return { application, attachments };
  }
}
