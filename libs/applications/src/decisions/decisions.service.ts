import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditService } from '@app/audit';
import { Clock } from '@app/common';
import { inTransaction, isUniqueViolation } from '@app/database';
import type { Actor } from '@app/identity';
import { ApplicationsService } from '../applications.service';
import { Call } from '../call.entity';
import { ApplicationErrors } from '../applications.errors';
import { DecisionErrors } from './decisions.errors';
import { DecisionRelease, DossierDecision, type MeetingKind } from './dossier-decision.entity';

export interface DecisionInput {
  outcome: 'approve' | 'reject';
  comment?: string | null;
  meeting: { kind: MeetingKind; date: string; reference: string };
}

/**
 * The bureau's decision (局务会研究): an officer records the meeting's decision on a dossier, a
 * leader signs it off, and the signed decisions of a call are released together, when the
 * dossiers move on and their mails go out. Until the release the dossier stays at `decision`.
 */
@Injectable()
export class DecisionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly applications: ApplicationsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async record(actor: Actor, applicationId: string, input: DecisionInput): Promise<DossierDecision> {
    if (input.outcome === 'reject' && !input.comment?.trim()) throw DecisionErrors.reasonRequired();
    try {
      return await inTransaction(this.dataSource, async (manager) => {
        const app = await this.applications.getAccessible(actor, applicationId, manager, true);
        if (app.stage !== 'decision') throw DecisionErrors.notAtDecision(app.stage);
        const decision = manager.create(DossierDecision, {
          id: randomUUID(),
          applicationId,
          callId: app.callId,
          outcome: input.outcome,
          comment: input.comment?.trim() || null,
          meetingKind: input.meeting.kind,
          meetingDate: input.meeting.date,
          meetingReference: input.meeting.reference.trim(),
          status: 'pending',
          recordedBy: actor.userId,
          recordedAt: this.clock.now(),
          signedBy: null,
          signedAt: null,
          releaseId: null,
        });
        await manager.insert(DossierDecision, decision);
        await this.audit.record(manager, actor, {
          action: 'decision.recorded',
          objectType: 'application_decision',
          objectId: decision.id,
          summary: { applicationId, outcome: decision.outcome, meeting: input.meeting },
        });
        return decision;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw DecisionErrors.alreadyRecorded(applicationId);
      throw error;
    }
  }

  /** The leader's one write: signs off the pending decision on a dossier. */
  async signOff(actor: Actor, applicationId: string): Promise<DossierDecision> {
    return inTransaction(this.dataSource, async (manager) => {
      await this.applications.getAccessible(actor, applicationId, manager);
      const decision = await manager.findOne(DossierDecision, {
        where: [
          { applicationId, status: 'pending' },
          { applicationId, status: 'signed' },
        ],
        lock: { mode: 'pessimistic_write' },
      });
      if (!decision) throw DecisionErrors.notFound(applicationId);
      if (decision.status === 'signed') throw DecisionErrors.alreadySigned();
      const now = this.clock.now();
      await manager.update(DossierDecision, { id: decision.id }, { status: 'signed', signedBy: actor.userId, signedAt: now });
      await this.audit.record(manager, actor, {
        action: 'decision.signed_off',
        objectType: 'application_decision',
        objectId: decision.id,
        summary: { applicationId, outcome: decision.outcome },
      });
      return Object.assign(decision, { status: 'signed' as const, signedBy: actor.userId, signedAt: now });
    });
  }

  /** The decisions of a call, newest first (bureau and leaders). */
  async ofCall(callId: string): Promise<DossierDecision[]> {
    return this.dataSource.manager.find(DossierDecision, { where: { callId }, order: { recordedAt: 'DESC', id: 'ASC' } });
  }

  /** The latest decision on a dossier the actor may see, or null. */
  async ofApplication(actor: Actor, applicationId: string): Promise<DossierDecision | null> {
    await this.applications.getAccessible(actor, applicationId);
    return this.dataSource.manager.findOne(DossierDecision, { where: { applicationId }, order: { recordedAt: 'DESC' } });
  }

  /**
   * Releases every signed decision of the call in one transaction: each dossier moves on by its
   * decision (and its mails go into the outbox) together with the release, or none does. The rows
   * are locked, so a concurrent release finds nothing left and each dossier moves (and mails) once.
   */
  async release(actor: Actor, callId: string): Promise<{ release: DecisionRelease; decisions: DossierDecision[] }> {
    return inTransaction(this.dataSource, async (manager) => {
      const call = await manager.findOne(Call, { where: { id: callId } });
      if (!call) throw ApplicationErrors.callNotFound(callId);
      const signed = await manager
        .createQueryBuilder(DossierDecision, 'd')
        .where('d.call_id = :callId', { callId })
        .andWhere(`d.status = 'signed'`)
        .orderBy('d.application_id')
        .setLock('pessimistic_write')
        .getMany();
      if (signed.length === 0) throw DecisionErrors.nothingToRelease(callId);
      const release = manager.create(DecisionRelease, {
        id: randomUUID(),
        callId,
        releasedBy: actor.userId,
        releasedAt: this.clock.now(),
        applicationIds: signed.map((d) => d.applicationId),
      });
      await manager.insert(DecisionRelease, release);
      for (const decision of signed) {
        await this.applications.actOnReleasedDecision(manager, actor, decision.applicationId, decision.outcome, {
          ...(decision.comment ? { comment: decision.comment } : {}),
          evidenceId: decision.id,
        });
        await manager.update(DossierDecision, { id: decision.id }, { status: 'released', releaseId: release.id });
        decision.status = 'released';
        decision.releaseId = release.id;
      }
      await this.audit.record(manager, actor, {
        action: 'decision.released',
        objectType: 'decision_release',
        objectId: release.id,
        summary: { callId, applications: release.applicationIds.length },
      });
      return { release, decisions: signed };
    });
  }
}
