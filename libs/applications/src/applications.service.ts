import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { AuditService } from '@app/audit';
import { CalendarService, Clock, DomainError, type Page, type PageQuery, offsetOf, pageOf, shanghaiDay } from '@app/common';
import { StageVerdicts, TransitionEffects, inTransaction } from '@app/database';
import type { Actor } from '@app/identity';
import { PLATFORM_TYPES, type PlatformLevel, levelRank } from '@app/reference';
import { type Platform, RegistryService } from '@app/registry';
import {
  type Action,
  type ActionInput,
  type Decision,
  type DossierSubject,
  type Effect,
  type Stage,
  WorkflowError,
  type WorkflowState,
  availableActions,
  decide,
  definitionById,
  isTerminal,
} from '@app/workflow';
import { ApplicationEvent } from './application-event.entity';
import { Application } from './application.entity';
import { ApplicationPolicy } from './application.policy';
import { ApplicationErrors } from './applications.errors';
import { APPLY_TRANSITION, type CallTerms, LOCK_FOR_ACTION, type LockedDossier, lockedDossier } from './applications.statements';
import type { Attachment } from './attachments/attachment.entity';
import { AttachmentsService, STAFF_DOCUMENTS } from './attachments/attachments.service';
import { Call } from './call.entity';
import { validateForm } from './dto/forms';
import { evaluateEligibility } from './eligibility/eligibility';
import type { RuleResult } from './eligibility/eligibility.types';

export interface DraftInput {
  callId: string;
  /** The platform type the client filled the form for (the contract's discriminator); the call's when absent. */
  platformType?: string;
  name: string;
  subtype?: string | null;
  industries?: string[];
  form?: Record<string, unknown>;
  promotedFromPlatformId?: string | null;
}

export interface ApplicationDetail {
  application: Application;
  /** The recognised platform this dossier promotes (DOMAIN.md §1), or null. */
  promotedFrom: Platform | null;
}

export interface DraftChanges {
  /** The platform type the client filled the form for (the contract's discriminator); the dossier's when absent. */
  platformType?: string;
  name?: string;
  subtype?: string | null;
  industries?: string[];
  form?: Record<string, unknown>;
  pledgeSigned?: boolean;
}

export interface ApplicationFilter {
  callId?: string;
  platformType?: string;
  level?: string;
  stage?: Stage;
  regionCode?: string;
  industry?: string;
  q?: string;
}

const EDITABLE: readonly Stage[] = ['draft', 'revision'];

/**
 * Dossiers and their transitions: one transaction locks the row, checks the version, asks the pure
 * engine, then writes the dossier, its event, the audit row and every effect (mails, reminders,
 * the registry entry) together.
 */
@Injectable()
export class ApplicationsService implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly effects: TransitionEffects,
    private readonly verdicts: StageVerdicts,
    private readonly calendar: CalendarService,
    private readonly attachments: AttachmentsService,
    @Inject(RegistryService) private readonly registry: RegistryService,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    // Every effect the engine may name must have its owner registered (they register when their modules start).
    const unowned = this.effects.unowned();
    if (unowned.length > 0) throw new Error(`Transitions cannot run: no lib owns the effects ${unowned.join(', ')}`);
  }

  /** The dossier if the actor may see it; 404 otherwise (also for objects outside the scope). */
  async getAccessible(actor: Actor, id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<Application> {
    const query = manager.createQueryBuilder(Application, 'a').where('a.id = :id', { id });
    ApplicationPolicy.scope(actor, query, 'a');
    if (lock) query.setLock('pessimistic_write');
    const app = await query.getOne();
    if (!app) throw ApplicationErrors.notFound(id);
    return app;
  }

  async createDraft(actor: Actor, input: DraftInput): Promise<Application> {
    if (actor.role !== 'applicant' || !actor.organisationId) throw ApplicationErrors.organisationMissing();
    const organisationId = actor.organisationId;
    return inTransaction(this.dataSource, async (manager) => {
      const call = await manager.findOne(Call, { where: { id: input.callId } });
      if (!call || call.status === 'draft') throw ApplicationErrors.callNotFound(input.callId);
      if (call.status !== 'open') throw ApplicationErrors.callNotOpen(call.status);
      this.checkForm(call.platformType, input.form ?? {}, input.platformType);
      this.checkSubtype(call.platformType, input.subtype);
      const organisation: { region_code: string; credit_code: string | null }[] = await manager.query(
        `SELECT region_code, credit_code FROM organisation WHERE id = $1`,
        [organisationId],
      );
      if (organisation.length === 0) throw ApplicationErrors.organisationMissing();
      const bannedUntil = await this.registry.reapplicationBanOf(
        manager,
        { organisationId, creditCode: organisation[0].credit_code },
        shanghaiDay(this.clock.now()),
      );
      if (bannedUntil) throw ApplicationErrors.reapplicationBanned(bannedUntil);
      if (input.promotedFromPlatformId) {
        await this.checkPromotion(manager, input.promotedFromPlatformId, call, { organisationId, creditCode: organisation[0].credit_code });
      }
      const app = manager.create(Application, {
        id: randomUUID(),
        number: null,
        callId: call.id,
        platformType: call.platformType,
        level: call.level,
        year: call.year,
        organisationId,
        regionCode: organisation[0].region_code,
        name: input.name,
        subtype: input.subtype ?? null,
        industries: input.industries ?? [],
        form: input.form ?? {},
        pledgeSignedAt: null,
        promotedFromPlatformId: input.promotedFromPlatformId ?? null,
        stage: 'draft',
        returnedFrom: null,
        round: 0,
        workflowId: call.workflowId,
        version: 1,
        stageDeadline: null,
        submittedAt: null,
        closedAt: null,
        createdBy: actor.userId,
      });
      await manager.insert(Application, app as QueryDeepPartialEntity<Application>);
      await this.audit.record(manager, actor, {
        action: 'application.create',
        objectType: 'application',
        objectId: app.id,
        summary: { callId: call.id },
      });
      return app;
    });
  }

  /** The dossier with the platform it promotes, if any, for the applicant and reviewers who may read it. */
  async getDetail(actor: Actor, id: string): Promise<ApplicationDetail> {
    return this.withPromotion(await this.getAccessible(actor, id));
  }

  /** Adds the platform a dossier promotes (read through the registry), if it names one. */
  async withPromotion(application: Application): Promise<ApplicationDetail> {
    const promotedFrom = application.promotedFromPlatformId
      ? await this.registry.findLinked(this.dataSource.manager, application.promotedFromPlatformId)
      : null;
    return { application, promotedFrom };
  }

  /**
   * A promotion builds on a recognised platform of the applicant's own organisation, of the call's
   * type, still active, and goes up a level. Another organisation's platform and an unknown id
   * answer alike, so the check reveals nothing about platforms the applicant may not see.
   */
  private async checkPromotion(
    manager: EntityManager,
    platformId: string,
    call: Call,
    owner: { organisationId: string; creditCode: string | null },
  ): Promise<void> {
    const platform = await this.registry.findOrganisationPlatform(manager, platformId, owner);
    if (!platform) throw ApplicationErrors.promotionSourceUnknown(platformId);
    if (platform.type !== call.platformType) throw ApplicationErrors.promotionTypeMismatch(platform.type, call.platformType);
    if (levelRank(platform.level) >= levelRank(call.level as PlatformLevel)) {
      throw ApplicationErrors.promotionLevelNotHigher(platform.level, call.level);
    }
    if (platform.status !== 'active') throw ApplicationErrors.promotionSourceRevoked(platformId);
  }

  async updateDraft(actor: Actor, id: string, expectedVersion: number, changes: DraftChanges): Promise<Application> {
    return inTransaction(this.dataSource, async (manager) => {
      const app = await this.getAccessible(actor, id, manager, true);
      if (actor.role !== 'applicant')
        throw new DomainError('forbidden', 'application.not_owner', '只有申报单位可以修改申报书。Only the applicant may edit.');
      if (app.version !== expectedVersion) throw ApplicationErrors.versionConflict(expectedVersion, app.version);
      if (!EDITABLE.includes(app.stage)) throw ApplicationErrors.notEditable(app.stage);
      if (changes.form || changes.platformType) this.checkForm(app.platformType, changes.form ?? {}, changes.platformType);
      if (changes.subtype !== undefined) this.checkSubtype(app.platformType, changes.subtype);
      const update: Partial<Application> = { version: app.version + 1 };
      if (changes.name !== undefined) update.name = changes.name;
      if (changes.subtype !== undefined) update.subtype = changes.subtype;
      if (changes.industries !== undefined) update.industries = changes.industries;
      if (changes.form !== undefined) update.form = changes.form;
      if (changes.pledgeSigned !== undefined) update.pledgeSignedAt = changes.pledgeSigned ? this.clock.now() : null;
      await manager.update(Application, { id }, update as QueryDeepPartialEntity<Application>);
      await this.audit.record(
        manager,
        actor,
        {
          action: 'application.update',
          objectType: 'application',
          objectId: id,
          summary: { fields: Object.keys(changes).filter((field) => field !== 'platformType') },
        },
        { streamLockedByCaller: true },
      );
      return { ...app, ...update } as Application;
    });
  }

  async eligibility(actor: Actor, id: string): Promise<{ results: RuleResult[]; hardFailures: number; softFailures: number }> {
    const app = await this.getAccessible(actor, id);
    const call = await this.dataSource.manager.findOneOrFail(Call, { where: { id: app.callId } });
    const results = evaluateEligibility(call.eligibilityRules, { ...app.form, subtype: app.subtype }, shanghaiDay(this.clock.now()));
    return {
      results,
      hardFailures: results.filter((r) => !r.passed && r.severity === 'hard').length,
      softFailures: results.filter((r) => !r.passed && r.severity === 'soft').length,
    };
  }

  /**
   * Takes an action of the procedure (submit included), in one transaction: load and lock the
   * dossier, check the request against it, let the engine decide, persist the dossier with its event
   * and audit row, then the decision's effects. Exactly one of concurrent conflicting actions wins.
   */
  async act(actor: Actor, id: string, requested: Action, typed: ActionInput, expectedVersion: number): Promise<Application> {
    return inTransaction(this.dataSource, (manager) => this.transition(manager, actor, id, requested, typed, expectedVersion, false));
  }

  /**
   * The same transition inside the caller's transaction: a public notice publishes or closes all its
   * candidates together, with its own rows, or none of them. `expectedVersion` null takes the
   * version the lock reads (a timer acting for the bureau has no version it last saw).
   */
  actWithin(
    manager: EntityManager,
    actor: Actor,
    id: string,
    requested: Action,
    typed: ActionInput,
    expectedVersion: number | null,
  ): Promise<Application> {
    return this.transition(manager, actor, id, requested, typed, expectedVersion, false);
  }

  /**
   * The bureau's decision taken at its release (DecisionsService), in the release's transaction: the
   * only way `approve` or `reject` leaves the decision stage, once the leader has signed it off.
   */
  actOnReleasedDecision(
    manager: EntityManager,
    actor: Actor,
    id: string,
    action: 'approve' | 'reject',
    input: ActionInput,
  ): Promise<Application> {
    return this.transition(manager, actor, id, action, input, null, true);
  }

  /** One dossier of a recognition batch (DecisionsService), in the batch's transaction. */
  recogniseInBatch(manager: EntityManager, actor: Actor, id: string, input: ActionInput): Promise<Application> {
    return this.transition(manager, actor, id, 'recognise', input, null, false);
  }

  private async transition(
    manager: EntityManager,
    actor: Actor,
    id: string,
    requested: Action,
    typed: ActionInput,
    expectedVersion: number | null,
    released: boolean,
  ): Promise<Application> {
    const now = this.clock.now();
    const { app, call } = await this.lockForAction(manager, actor, id);
    const action = await this.checkAction(manager, app, call, requested, expectedVersion ?? app.version, now);
    if (
      !released &&
      app.stage === 'decision' &&
      (action === 'approve' || action === 'reject') &&
      this.actionsFor(actor, app).includes(action)
    )
      throw ApplicationErrors.decisionNeedsRelease(action);
    if (action === 'recommend' && this.actionsFor(actor, app).includes(action)) await this.checkRecommendationLetter(manager, app, call);
    const input = await this.verifiedInput(manager, actor, app, action, typed);
    const decision = await this.decideAction(actor, app, call, action, input, now);
    const updated = await this.persistTransition(manager, actor, app, action, input, decision, now);
    await this.effects.apply(manager, decision.effects, { dossier: dossierSubject(updated), input });
    return updated;
  }

  async list(actor: Actor, filter: ApplicationFilter, page: PageQuery): Promise<Page<Application>> {
    const query = this.dataSource.getRepository(Application).createQueryBuilder('a');
    ApplicationPolicy.scope(actor, query, 'a');
    if (filter.callId) query.andWhere('a.call_id = :callId', { callId: filter.callId });
    if (filter.platformType) query.andWhere('a.platform_type = :type', { type: filter.platformType });
    if (filter.level) query.andWhere('a.level = :level', { level: filter.level });
    if (filter.stage) query.andWhere('a.stage = :stage', { stage: filter.stage });
    if (filter.regionCode) query.andWhere('a.region_code = :region', { region: filter.regionCode });
    if (filter.industry) query.andWhere(':industry = ANY(a.industries)', { industry: filter.industry });
    if (filter.q) {
      const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query.andWhere('(a.name ILIKE :q OR a.number ILIKE :q)', { q: like });
    }
    const [items, total] = await query
      .orderBy('a.updated_at', 'DESC')
      .addOrderBy('a.id')
      .skip(offsetOf(page))
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(items, total, page);
  }

  async timeline(
    actor: Actor,
    id: string,
  ): Promise<ApplicationDetail & { events: ApplicationEvent[]; attachmentsByRound: Record<number, Attachment[]> }> {
    const { application, promotedFrom } = await this.getDetail(actor, id);
    const events = await this.dataSource.manager.find(ApplicationEvent, { where: { applicationId: id }, order: { seq: 'ASC' } });
    const attachments = await this.attachments.listForApplication(this.dataSource.manager, id);
    const attachmentsByRound: Record<number, Attachment[]> = {};
    for (const attachment of attachments) (attachmentsByRound[attachment.round] ??= []).push(attachment);
    return { application, promotedFrom, events, attachmentsByRound };
  }

  actionsFor(actor: Actor, app: Application): Action[] {
    const definition = definitionById(app.workflowId);
    return definition
      ? availableActions(definition, { stage: app.stage, returnedFrom: app.returnedFrom, round: app.round }, actor.role)
      : [];
  }

  /** The dossier, locked, if the actor may see it (404 otherwise), with its call's terms. */
  private async lockForAction(manager: EntityManager, actor: Actor, id: string): Promise<{ app: Application; call: CallTerms }> {
    const rows: LockedDossier[] = await manager.query(LOCK_FOR_ACTION, [id, ...ApplicationPolicy.sqlParameters(actor)]);
    if (rows.length === 0) throw ApplicationErrors.notFound(id);
    const { call, ...app } = lockedDossier(rows[0]);
    return { app: Object.assign(new Application(), app), call };
  }

  /** The version, the submission window, eligibility, documents and quota; returns the action as it applies to the locked row. */
  private async checkAction(
    manager: EntityManager,
    app: Application,
    call: CallTerms,
    requested: Action,
    expectedVersion: number,
    now: Date,
  ): Promise<Action> {
    if (app.version !== expectedVersion) throw ApplicationErrors.versionConflict(expectedVersion, app.version);
    // `POST /applications/:id/submit` means resubmit for a dossier returned for revision.
    const action: Action = requested === 'submit' && app.stage === 'revision' ? 'resubmit' : requested;
    if (action === 'submit' || action === 'resubmit') await this.checkSubmission(manager, app, call, action, now, shanghaiDay(now));
    if (action === 'recommend' && call.quotaPerCounty) await this.checkQuota(manager, app, call);
    return action;
  }

  /**
   * The result of a review stage comes from its owner (the closed panel, the signed inspection), read
   * in this transaction; an officer's typed `passed` or `score` for it is refused. Only read when the
   * action is possible now, so a wrong stage or role answers as the engine says.
   */
  private async verifiedInput(
    manager: EntityManager,
    actor: Actor,
    app: Application,
    action: Action,
    typed: ActionInput,
  ): Promise<ActionInput> {
    if (!this.verdicts.has(action)) return typed;
    if (typed.passed !== undefined || typed.score !== undefined || typed.evidenceId !== undefined)
      throw ApplicationErrors.verdictNotTyped(action);
    if (!this.actionsFor(actor, app).includes(action)) return typed;
    const verdict = await this.verdicts.read(manager, action, app.id, app.round);
    return {
      ...typed,
      passed: verdict.passed,
      ...(verdict.score !== undefined ? { score: verdict.score } : {}),
      evidenceId: verdict.evidenceId,
    };
  }

  /** The pure engine's decision: the next state and its effects, or a DomainError. */
  private async decideAction(
    actor: Actor,
    app: Application,
    call: CallTerms,
    action: Action,
    input: ActionInput,
    now: Date,
  ): Promise<Decision> {
    const definition = definitionById(app.workflowId);
    if (!definition)
      throw new DomainError('conflict', 'application.unknown_workflow', '申报书的流程版本已不存在。Unknown workflow version.');
    const state: WorkflowState = { stage: app.stage, returnedFrom: app.returnedFrom, round: app.round };
    try {
      return decide(definition, state, { userId: actor.userId, role: actor.role }, action, input, {
        today: shanghaiDay(now),
        calendar: await this.calendar.load(),
        durations: call.stageDurations,
        countyReviewDeadline: call.countyReviewDeadline,
      });
    } catch (error) {
      if (error instanceof WorkflowError) throw new DomainError(error.kind, error.code, error.message, error.details);
      throw error;
    }
  }

  /**
   * Writes the dossier's new state, its event (the new version numbers it, unique per dossier) and
   * the audit row. The dossier's row lock, which every writer of its audit stream takes, orders the chain.
   */
  private async persistTransition(
    manager: EntityManager,
    actor: Actor,
    app: Application,
    action: Action,
    input: ActionInput,
    { state: next, effects }: Decision,
    now: Date,
  ): Promise<Application> {
    const deadline = effects.find((e): e is Extract<Effect, { kind: 'deadline' }> => e.kind === 'deadline')?.deadline ?? null;
    const update: Partial<Application> = {
      stage: next.stage,
      returnedFrom: next.returnedFrom,
      round: next.round,
      version: app.version + 1,
      stageDeadline: deadline,
      updatedAt: now,
    };
    if (action === 'submit') {
      update.submittedAt = now;
      update.number = app.number ?? (await this.nextNumber(manager, app));
    }
    // Closed while terminal; the one way out of a terminal stage (an upheld appeal's reopening) opens it again.
    update.closedAt = isTerminal(next.stage) ? now : null;
    const updated = Object.assign(new Application(), app, update);
    await manager.query(APPLY_TRANSITION, [
      app.id,
      updated.stage,
      updated.returnedFrom,
      updated.round,
      updated.version,
      updated.stageDeadline,
      updated.submittedAt,
      updated.number,
      updated.closedAt,
      randomUUID(),
      action,
      app.stage,
      actor.userId,
      actor.role,
      input.comment ?? null,
      JSON.stringify(input),
      now,
    ]);
    await this.audit.record(
      manager,
      actor,
      {
        action: `application.${action}`,
        objectType: 'application',
        objectId: app.id,
        summary: { from: app.stage, to: next.stage, round: next.round, version: updated.version },
      },
      { streamLockedByCaller: true },
    );
    return updated;
  }

  private async checkSubmission(
    manager: EntityManager,
    app: Application,
    call: CallTerms,
    action: Action,
    now: Date,
    today: string,
  ): Promise<void> {
    if (action === 'submit' && (now < call.opensAt || now > call.closesAt))
      throw ApplicationErrors.outsideWindow(call.opensAt, call.closesAt);
    if (!app.pledgeSignedAt) throw ApplicationErrors.pledgeRequired();
    const results = evaluateEligibility(call.eligibilityRules, { ...app.form, subtype: app.subtype }, today);
    const failed = results.filter((r) => !r.passed && r.severity === 'hard');
    if (failed.length > 0) throw ApplicationErrors.ineligible(failed);
    const present = await this.attachments.presentDocumentCodes(manager, app.id);
    // Documents the staff upload (the county's recommendation letter) are not the applicant's to submit.
    const missing = call.requiredDocuments
      .filter((d) => d.required && !Object.hasOwn(STAFF_DOCUMENTS, d.code) && !present.has(d.code))
      .map((d) => ({ code: d.code, nameZh: d.nameZh, nameEn: d.nameEn }));
    if (missing.length > 0) throw ApplicationErrors.missingDocuments(missing);
  }

  /** The county recommends with its letter (推荐函) when the call requires one: uploaded to the dossier first. */
  private async checkRecommendationLetter(manager: EntityManager, app: Application, call: CallTerms): Promise<void> {
    if (!call.requiredDocuments.some((d) => d.code === 'recommendation_letter' && d.required)) return;
    const present = await this.attachments.presentDocumentCodes(manager, app.id);
    if (!present.has('recommendation_letter')) throw ApplicationErrors.recommendationLetterRequired();
  }

  private async checkQuota(manager: EntityManager, app: Application, call: CallTerms): Promise<void> {
    const quota = call.quotaPerCounty?.[app.regionCode];
    if (quota === undefined) return;
    const used: { n: number }[] = await manager.query(
      `SELECT count(DISTINCT e.application_id)::int AS n FROM application_event e JOIN application a ON a.id = e.application_id
        WHERE a.call_id = $1 AND a.region_code = $2 AND e.action = 'recommend' AND a.stage NOT IN ('withdrawn')`,
      [call.id, app.regionCode],
    );
    if (used[0].n >= quota) throw ApplicationErrors.quotaReached(app.regionCode, quota);
  }

  private async nextNumber(manager: EntityManager, app: Application): Promise<string> {
    const prefix = PLATFORM_TYPES.find((t) => t.code === app.platformType)?.numberPrefix ?? 'GEN';
    const rows: { last_value: number }[] = await manager.query(
      `INSERT INTO application_number_counter (prefix, year, last_value) VALUES ($1, $2, 1)
       ON CONFLICT (prefix, year) DO UPDATE SET last_value = application_number_counter.last_value + 1 RETURNING last_value`,
      [prefix, app.year],
    );
    return `WZ-${prefix}-${app.year}-${String(rows[0].last_value).padStart(4, '0')}`;
  }

  private checkForm(platformType: string, form: Record<string, unknown>, declaredType?: string): void {
    if (declaredType !== undefined && declaredType !== platformType)
      throw ApplicationErrors.platformTypeMismatch(declaredType, platformType);
    const problems = validateForm(platformType, form);
    if (problems.length > 0) throw ApplicationErrors.invalidForm(problems);
  }

  private checkSubtype(platformType: string, subtype: string | null | undefined): void {
    if (subtype === undefined || subtype === null) return;
    const type = PLATFORM_TYPES.find((t) => t.code === platformType);
    if (!type?.subtypes.some((s) => s.code === subtype)) {
      throw new DomainError('validation', 'application.invalid_subtype', '平台子类型无效。Invalid subtype.', {
        subtype,
        allowed: type?.subtypes.map((s) => s.code) ?? [],
      });
    }
  }
}

/** The dossier as the owners of a transition's effects see it. */
function dossierSubject(app: Application): DossierSubject {
  return {
    id: app.id,
    number: app.number,
    name: app.name,
    stage: app.stage,
    returnedFrom: app.returnedFrom,
    version: app.version,
    stageDeadline: app.stageDeadline,
    organisationId: app.organisationId,
    regionCode: app.regionCode,
    platformType: app.platformType,
    level: app.level,
    subtype: app.subtype,
    industries: app.industries,
    promotedFromPlatformId: app.promotedFromPlatformId,
    professionalOperator: app.form.professionalOperator === true,
  };
}
