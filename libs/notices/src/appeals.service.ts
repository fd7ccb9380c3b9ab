import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { CalendarService, Clock, shanghaiDay } from '@app/common';
import { inTransaction, isUniqueViolation } from '@app/database';
import type { Actor } from '@app/identity';
import { APPEAL_RETURN_STAGES, type Stage } from '@app/workflow';
import { AppealTerms } from './appeal-terms.entity';
import { Appeal } from './appeal.entity';
import { AppealErrors } from './notices.errors';
import { endOfDay } from './notices.service';

/** Defaults when a call sets none (DOMAIN.md §5: on, 10 working days; `assumption`, no local rule found). */
export const DEFAULT_APPEAL_TERMS = { enabled: true, windowDays: 10, returnTo: 'expert_review' as Stage };
export const APPEAL_REASONS = { min: 20, max: 5000 };

/** The rejected dossier as the app layer read it for an appeal. */
export interface RejectedDossier {
  applicationId: string;
  callId: string;
  organisationId: string;
  stage: string;
  /** The rejection's event and time, or null if the dossier was never rejected. */
  rejection: { eventId: string; seq: number; at: Date } | null;
}

export interface AppealTermsInput {
  enabled: boolean;
  windowDays: number;
  returnTo: Stage;
}

/**
 * Appeals (复核) against a rejection: once per dossier, within the call's window in working days;
 * the app layer draws the appeal's panel through the reviews lib and, for an upheld appeal, reopens
 * the dossier through its `reopen_on_appeal` transition, which this lib checks (NoticeEffects).
 */
@Injectable()
export class AppealsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
  ) {}

  async terms(callId: string, manager: EntityManager = this.dataSource.manager): Promise<Omit<AppealTermsInput, never>> {
    const stored = await manager.findOne(AppealTerms, { where: { callId } });
    return stored ? { enabled: stored.enabled, windowDays: stored.windowDays, returnTo: stored.returnTo } : { ...DEFAULT_APPEAL_TERMS };
  }

  async setTerms(actor: Actor, callId: string, input: AppealTermsInput): Promise<AppealTermsInput> {
    if (!(APPEAL_RETURN_STAGES as readonly Stage[]).includes(input.returnTo)) throw AppealErrors.invalidTerms('returnTo');
    return inTransaction(this.dataSource, async (manager) => {
      await manager.upsert(
        AppealTerms,
        { callId, ...input, updatedBy: actor.userId, updatedAt: this.clock.now() },
        { conflictPaths: ['callId'] },
      );
      await this.audit.record(manager, actor, { action: 'appeal.terms', objectType: 'call', objectId: callId, summary: { ...input } });
      return input;
    });
  }

  /** The applicant's one appeal, within the window (counted in working days from the rejection's day); nothing is stored otherwise. */
  async lodge(actor: Actor, dossier: RejectedDossier, input: { reasons: string; evidence?: string }): Promise<Appeal> {
    if (dossier.stage !== 'rejected' || !dossier.rejection) throw AppealErrors.notRejected(dossier.stage);
    const rejection = dossier.rejection;
    const reasons = input.reasons.trim();
    if (reasons.length < APPEAL_REASONS.min || reasons.length > APPEAL_REASONS.max) {
      throw AppealErrors.reasonsLength(APPEAL_REASONS.min, APPEAL_REASONS.max, reasons.length);
    }
    try {
      return await inTransaction(this.dataSource, async (manager) => {
        const terms = await this.terms(dossier.callId, manager);
        if (!terms.enabled) throw AppealErrors.notOffered();
        if (await manager.exists(Appeal, { where: { applicationId: dossier.applicationId } })) throw AppealErrors.alreadyLodged();
        const calendar = await this.calendar.load();
        const windowLastDay = calendar.addWorkingDays(shanghaiDay(rejection.at), terms.windowDays);
        const now = this.clock.now();
        if (now >= endOfDay(windowLastDay)) throw AppealErrors.windowClosed(windowLastDay);
        const appeal = manager.create(Appeal, {
          id: randomUUID(),
          applicationId: dossier.applicationId,
          callId: dossier.callId,
          organisationId: dossier.organisationId,
          decisionEventId: rejection.eventId,
          decisionEventSeq: rejection.seq,
          rejectedAt: rejection.at,
          windowLastDay,
          reasons,
          evidence: input.evidence?.trim() ?? '',
          status: 'lodged',
          returnTo: terms.returnTo,
          resolution: null,
          lodgedBy: actor.userId,
          lodgedAt: now,
          resolvedBy: null,
          resolvedAt: null,
        });
        await manager.insert(Appeal, appeal);
        await this.audit.record(manager, actor, {
          action: 'appeal.lodge',
          objectType: 'application',
          objectId: dossier.applicationId,
          stream: `appeal:${dossier.applicationId}`,
          summary: { appealId: appeal.id, decisionEventId: rejection.eventId },
        });
        return appeal;
      });
    } catch (error) {
      // Two appeals sent at once: the unique index lets one through.
      if (isUniqueViolation(error)) throw AppealErrors.alreadyLodged();
      throw error;
    }
  }

  async forDossier(applicationId: string, manager: EntityManager = this.dataSource.manager): Promise<Appeal> {
    const appeal = await manager.findOne(Appeal, { where: { applicationId } });
    if (!appeal) throw AppealErrors.notFound(applicationId);
    return appeal;
  }

  /** The bureau's outcome, in the caller's transaction; the app layer then reopens the dossier of an upheld appeal. */
  async resolve(
    manager: EntityManager,
    actor: Actor,
    applicationId: string,
    decision: 'upheld' | 'dismissed',
    resolution: string,
  ): Promise<Appeal> {
    const appeal = await manager.findOne(Appeal, { where: { applicationId }, lock: { mode: 'pessimistic_write' } });
    if (!appeal) throw AppealErrors.notFound(applicationId);
    if (appeal.status !== 'lodged') throw AppealErrors.alreadyResolved(appeal.status);
    const changes: Partial<Appeal> = {
      status: decision,
      resolution: resolution.trim(),
      resolvedBy: actor.userId,
      resolvedAt: this.clock.now(),
    };
    await manager.update(Appeal, { id: appeal.id }, changes);
    await this.audit.record(manager, actor, {
      action: `appeal.${decision}`,
      objectType: 'application',
      objectId: applicationId,
      stream: `appeal:${applicationId}`,
      summary: { appealId: appeal.id, decisionEventId: appeal.decisionEventId, returnTo: decision === 'upheld' ? appeal.returnTo : null },
    });
    return Object.assign(appeal, changes);
  }

  /** The `appeal` step of reopen_on_appeal: only an upheld appeal reopens a rejection. */
  async checkReopening(manager: EntityManager, applicationId: string): Promise<void> {
    if (!(await manager.exists(Appeal, { where: { applicationId, status: 'upheld' } }))) throw AppealErrors.notUpheld(applicationId);
  }
}
