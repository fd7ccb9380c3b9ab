import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { AuditService } from '@app/audit';
import {
  CalendarService,
  Clock,
  DomainError,
  type WorkingDayCalendar,
  type Page,
  type PageQuery,
  offsetOf,
  pageOf,
  shanghaiDay,
} from '@app/common';
import { type Write, combineWrites, inPipelinedTransaction, inTransaction, runPrepared } from '@app/database';
import type { Actor } from '@app/identity';
import { DeadlinesService, NotificationsService, TimersService, type UserMailNotice } from '@app/notifications';
import { PLATFORM_TYPES, type PlatformLevel, type PlatformTypeCode, levelRank } from '@app/reference';
import { type Platform, RegistryService } from '@app/registry';
import {
  type Action,
  type ActionInput,
  type Audience,
  type Effect,
  STAGE_LABELS,
  type Stage,
  WorkflowError,
  type WorkflowState,
  availableActions,
  decide,
  definitionById,
} from '@app/workflow';
import { ApplicationEvent } from './application-event.entity';
import { Application } from './application.entity';
import { ApplicationPolicy } from './application.policy';
import { ApplicationErrors } from './applications.errors';
import { APPLY_TRANSITION, type CallTerms, LOCK_FOR_ACTION, type LockedDossier, lockedDossier } from './applications.statements';
import type { Attachment } from './attachments/attachment.entity';
import { AttachmentsService } from './attachments/attachments.service';
import { Call } from './call.entity';
import { validateForm } from './dto/forms';
import { evaluateEligibility } from './eligibility/eligibility';
import type { RuleResult } from './eligibility/eligibility.types';

export interface DraftInput {
  callId: string;
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
export class ApplicationsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly deadlines: DeadlinesService,
    private readonly timers: TimersService,
    private readonly calendar: CalendarService,
    private readonly attachments: AttachmentsService,
    @Inject(RegistryService) private readonly registry: RegistryService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // Reminders re-read the dossier when they fire: nothing is sent once it has left the stage.
    this.deadlines.registerSubject('application', async (manager, id, stage) => {
      const app = await manager.findOne(Application, { where: { id } });
      if (!app) return null;
      const audience = stageAudience(stage as Stage);
      return {
        open: app.stage === stage,
        label: `申报书 ${app.number ?? ''} ${app.name}`.trim(),
        stageLabel: STAGE_LABELS[stage as Stage]?.zh ?? stage,
        remind: await this.notifications.usersToMail(manager, audienceOf(audience, app)),
        escalate: await this.notifications.usersToMail(
          manager,
          audienceOf(audience === 'county_officers' ? 'bureau_officers' : 'leaders', app),
        ),
      };
    });
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
      this.checkForm(call.platformType, input.form ?? {});
      this.checkSubtype(call.platformType, input.subtype);
      const organisation: { region_code: string; credit_code: string | null }[] = await manager.query(
        `SELECT region_code, credit_code FROM organisation WHERE id = $1`,
        [organisationId],
      );
      if (organisation.length === 0) throw ApplicationErrors.organisationMissing();
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
      if (changes.form) this.checkForm(app.platformType, changes.form);
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
          summary: { fields: Object.keys(changes) },
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

  /** Takes an action of the procedure (submit included). Exactly one of concurrent conflicting actions wins. */
  async act(actor: Actor, id: string, requested: Action, input: ActionInput, expectedVersion: number): Promise<Application> {
    const now = this.clock.now();
    const today = shanghaiDay(now);
    const calendar = await this.calendar.load();
    // Two round trips in the common case: BEGIN with the lock and read, then one statement of writes with COMMIT.
    return inPipelinedTransaction(this.dataSource, async (manager, defer) => {
      // One prepared statement locks the dossier (within the actor's scope) and reads its call's terms.
      const { rows } = await runPrepared<LockedDossier>(manager, LOCK_FOR_ACTION, [id, ...ApplicationPolicy.sqlParameters(actor)]);
      if (rows.length === 0) throw ApplicationErrors.notFound(id);
      const { call, ...app } = lockedDossier(rows[0]);
      if (app.version !== expectedVersion) throw ApplicationErrors.versionConflict(expectedVersion, app.version);
      // `POST /applications/:id/submit` means resubmit for a dossier returned for revision; decided on the locked row.
      const action: Action = requested === 'submit' && app.stage === 'revision' ? 'resubmit' : requested;
      const definition = definitionById(app.workflowId);
      if (!definition)
        throw new DomainError('conflict', 'application.unknown_workflow', '申报书的流程版本已不存在。Unknown workflow version.');
      if (action === 'submit' || action === 'resubmit') await this.checkSubmission(manager, app, call, action, now, today);
      if (action === 'recommend' && call.quotaPerCounty) await this.checkQuota(manager, app, call);
      const state: WorkflowState = { stage: app.stage, returnedFrom: app.returnedFrom, round: app.round };
      let decision;
      try {
        decision = decide(definition, state, { userId: actor.userId, role: actor.role }, action, input, {
          today,
          calendar,
          durations: call.stageDurations,
          countyReviewDeadline: call.countyReviewDeadline,
        });
      } catch (error) {
        if (error instanceof WorkflowError) throw new DomainError(error.kind, error.code, error.message, error.details);
        throw error;
      }
      const next = decision.state;
      const deadline = decision.effects.find((e): e is Extract<Effect, { kind: 'deadline' }> => e.kind === 'deadline')?.deadline ?? null;
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
      if (['recognised', 'rejected', 'withdrawn'].includes(next.stage)) update.closedAt = now;
      const updated = Object.assign(new Application(), app, update);
      // One statement writes the dossier and its event (the new version orders the events, unique per
      // dossier), the audit chain's next row (placed after the chain's last row by the statement, which
      // starts once the dossier's lock, the lock every writer of its chain takes, is held), the next
      // deadline's reminder and the mails; it travels with the COMMIT.
      const apply: Write = {
        statement: APPLY_TRANSITION,
        values: [
          id,
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
        ],
      };
      const audit = this.audit.appendNextWrite(actor, {
        action: `application.${action}`,
        objectType: 'application',
        objectId: id,
        summary: { from: app.stage, to: next.stage, round: next.round, version: updated.version },
      });
      defer(combineWrites([apply, audit, ...this.effectWrites(updated, decision.effects, input, calendar)]));
      await this.register(manager, updated, decision.effects);
      return updated;
    });
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
    const missing = call.requiredDocuments
      .filter((d) => d.required && !present.has(d.code))
      .map((d) => ({ code: d.code, nameZh: d.nameZh, nameEn: d.nameEn }));
    if (missing.length > 0) throw ApplicationErrors.missingDocuments(missing);
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

  /** The reminders and mails of a decision, as writes for the transition's statement. */
  private effectWrites(app: Application, effects: Effect[], input: ActionInput, calendar: WorkingDayCalendar): Write[] {
    const writes: Write[] = [];
    const labels = STAGE_LABELS[app.stage];
    const deadline = effects.find((e): e is Extract<Effect, { kind: 'deadline' }> => e.kind === 'deadline');
    if (deadline) {
      // Leaving one deadline for the next: one write cancels the old reminders and sets the new one.
      const { write } = this.deadlines.planWrite(
        {
          subjectType: 'application',
          subjectId: app.id,
          stage: deadline.stage,
          deadline: deadline.deadline,
          occurrence: `v${app.version}`,
          replacing: true,
        },
        calendar,
      );
      if (write) writes.push(write);
    } else if (effects.some((e) => e.kind === 'cancel_deadlines')) {
      writes.push(this.timers.cancelForWrite('application', app.id));
    }
    const notifies = effects.filter((e): e is Extract<Effect, { kind: 'notify' }> => e.kind === 'notify');
    if (notifies.length > 0) {
      const returnedFrom = STAGE_LABELS[app.returnedFrom ?? 'county_review'];
      const mails = this.notifications.mailsToUsersWrite(
        notifies.map((effect) => ({
          event: `application.${effect.event}` as const,
          to: audienceOf(effect.audience, app),
          data: {
            number: app.number ?? '',
            name: app.name,
            stageLabel: effect.event === 'returned' ? returnedFrom.zh : labels.zh,
            stageLabelEn: effect.event === 'returned' ? returnedFrom.en : labels.en,
            comment: input.comment ?? '',
            deadline: app.stageDeadline ?? '',
            documentNumber: input.documentNumber ?? '',
          },
          about: { type: 'application', id: app.id },
        })),
      );
      if (mails) writes.push(mails);
    }
    return writes;
  }

  /** Recognition enters the platform into the registry, in the transition's transaction. */
  private async register(manager: EntityManager, app: Application, effects: Effect[]): Promise<void> {
    const registration = effects.find((e): e is Extract<Effect, { kind: 'register_platform' }> => e.kind === 'register_platform');
    if (!registration) return;
    const organisation: { name: string; credit_code: string }[] = await manager.query(
      `SELECT name, credit_code FROM organisation WHERE id = $1`,
      [app.organisationId],
    );
    await this.registry.recordRecognition(manager, {
      applicationId: app.id,
      type: app.platformType as PlatformTypeCode,
      level: app.level as PlatformLevel,
      subtype: app.subtype,
      name: app.name,
      organisationId: app.organisationId,
      organisationName: organisation[0]?.name ?? app.name,
      creditCode: organisation[0]?.credit_code ?? null,
      regionCode: app.regionCode,
      industries: app.industries,
      recognisedOn: registration.recognisedOn,
      documentNumber: registration.documentNumber,
      promotedFromId: app.promotedFromPlatformId,
      professionalOperator: app.form.professionalOperator === true,
    });
  }

  private checkForm(platformType: string, form: Record<string, unknown>): void {
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

/** The users an audience of a dossier means: its organisation's accounts, its county's officers, the bureau's. */
function audienceOf(audience: Audience | 'leaders', app: Application): UserMailNotice['to'] {
  switch (audience) {
    case 'applicant':
      return { role: 'applicant', organisationId: app.organisationId };
    case 'county_officers':
      return { role: 'county_officer', regionCode: app.regionCode };
    case 'bureau_officers':
      return { role: 'bureau_officer' };
    default:
      return { role: 'leader' };
  }
}

function stageAudience(stage: Stage): Audience {
  if (stage === 'county_review') return 'county_officers';
  if (stage === 'revision' || stage === 'draft') return 'applicant';
  return 'bureau_officers';
}
