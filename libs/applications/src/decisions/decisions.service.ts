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
import { DecisionRelease, DossierDecision, type MeetingKind, RecognitionBatch } from './dossier-decision.entity';

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

  /**
   * Recognises several dossiers of a call under one document (发文): one number and date for all
   * their platforms, in one transaction; any dossier not of the call or not at `notice_closed`
   * refuses the whole batch. Each dossier moves by its own `recognise` transition.
   */
  async recogniseBatch(
    actor: Actor,
    callId: string,
    input: { documentNumber: string; recognisedOn: string; applicationIds: string[] },
  ): Promise<RecognitionBatch> {
    const ids = [...new Set(input.applicationIds)].sort();
    try {
      return await inTransaction(this.dataSource, async (manager) => {
        const call = await manager.findOne(Call, { where: { id: callId } });
        if (!call) throw ApplicationErrors.callNotFound(callId);
        const rows: { id: string }[] = await manager.query(
          `SELECT id FROM application WHERE id = ANY($1::uuid[]) AND call_id = $2 AND stage = 'notice_closed' ORDER BY id FOR UPDATE`,
          [ids, callId],
        );
        const ready = new Set(rows.map((r) => r.id));
        const notReady = ids.filter((id) => !ready.has(id));
        if (await manager.exists(RecognitionBatch, { where: { documentNumber: input.documentNumber.trim() } }))
          throw DecisionErrors.documentNumberUsed(input.documentNumber.trim());
        if (notReady.length > 0) throw DecisionErrors.notReadyForRecognition(notReady);
        const batch = manager.create(RecognitionBatch, {
          id: randomUUID(),
          callId,
          documentNumber: input.documentNumber.trim(),
          recognisedOn: input.recognisedOn,
          applicationIds: ids,
          createdBy: actor.userId,
          createdAt: this.clock.now(),
        });
        await manager.insert(RecognitionBatch, batch);
        for (const id of ids)
          await this.applications.recogniseInBatch(manager, actor, id, {
            documentNumber: batch.documentNumber,
            recognisedOn: batch.recognisedOn,
            evidenceId: batch.id,
          });
        await this.audit.record(manager, actor, {
          action: 'recognition.batch',
          objectType: 'recognition_batch',
          objectId: batch.id,
          summary: { callId, documentNumber: batch.documentNumber, recognisedOn: batch.recognisedOn, applications: ids.length },
        });
        return batch;
      });
    } catch (error) {
      // Two batches with one number at once: the unique index lets one through.
      if (isUniqueViolation(error) && (error as { constraint?: string }).constraint === 'UQ_recognition_batch_document_number')
        throw DecisionErrors.documentNumberUsed(input.documentNumber.trim());
      throw error;
    }
  }
}
