import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { AuditService } from '@app/audit';
import { Clock, DomainError, type Page, type PageQuery, offsetOf, pageOf, shanghaiDay } from '@app/common';
import { inTransaction, isUniqueViolation } from '@app/database';
import { type Actor, User } from '@app/identity';
import { avoidanceFindings } from './avoidance';
import { ExpertProfile } from './expert-profile.entity';
import { type ChecklistItem, type ChecklistStatus, Inspection, type TeamMember } from './inspection.entity';
import { InspectionErrors } from './inspections.errors';
import { ReviewReminders } from './review-reminders';
import { ReviewsService, type DossierFacts } from './reviews.service';

export interface InspectionInput {
  visitDate?: string;
  team?: { userId: string; overrideReason?: string | null }[];
  items?: { code: string; status: ChecklistStatus; note?: string | null; evidence?: string[] }[];
  result?: 'passed' | 'failed' | null;
  resultNote?: string | null;
}

const TEAM_ROLES: readonly TeamMember['role'][] = ['bureau_officer', 'county_officer', 'expert'];
const MAX_TEAM = 12;

const auditActor = (actor: Actor) => ({ userId: actor.userId, role: actor.role, ip: actor.ip });

/**
 * Site inspections (现场考察): the bureau sets the team (checked for avoidance like a panel), the
 * date, the checklist built from the call's criteria with evidence, and the result; every member
 * then signs. Any change after a signature takes the signatures back, so each member signs what
 * the inspection says. The transition `record_inspection` reads the signed result.
 */
@Injectable()
export class InspectionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly reviews: ReviewsService,
    private readonly reminders: ReviewReminders,
  ) {}

  /**
   * Creates the inspection of the dossier's current round or changes the one not yet signed (an
   * earlier round's, signed or not, stays as history). `attachmentIds` are the dossier's
   * attachments, read by the app layer; evidence must be among them.
   */
  async save(actor: Actor, dossier: DossierFacts, input: InspectionInput, attachmentIds: ReadonlySet<string>): Promise<Inspection> {
    if (dossier.stage !== 'site_inspection') throw InspectionErrors.notInSiteInspection(dossier.stage);
    const unknown = (input.items ?? []).flatMap((item) => item.evidence ?? []).filter((id) => !attachmentIds.has(id));
    if (unknown.length > 0) throw InspectionErrors.unknownEvidence([...new Set(unknown)]);
    try {
      return await inTransaction(this.dataSource, async (manager) => {
        const now = this.clock.now();
        const existing = await manager.findOne(Inspection, {
          where: { applicationId: dossier.applicationId, round: dossier.round, status: 'draft' },
          lock: { mode: 'pessimistic_write' },
        });
        const { rubric } = await this.reviews.rubricFor(dossier.callId, dossier.platformType, manager);
        const inspection =
          existing ??
          manager.create(Inspection, {
            id: randomUUID(),
            applicationId: dossier.applicationId,
            callId: dossier.callId,
            round: dossier.round,
            visitDate: '',
            team: [],
            signDue: null,
            checklist: rubric.criteria.map((c): ChecklistItem => ({
              code: c.code,
              nameZh: c.nameZh,
              nameEn: c.nameEn,
              status: 'pending',
              note: null,
              evidence: [],
            })),
            result: null,
            resultNote: null,
            status: 'draft',
            signedAt: null,
            createdBy: actor.userId,
            createdAt: now,
            updatedAt: now,
          });
        if (input.visitDate !== undefined) inspection.visitDate = input.visitDate;
        if (!inspection.visitDate)
          throw new DomainError('validation', 'inspection.visit_date_required', '请填写考察日期。The visit date is required.', {
            field: 'visitDate',
          });
        if (input.team !== undefined)
          inspection.team = await this.checkTeam(manager, dossier, input.team, rubric.avoidSameCounty, shanghaiDay(now));
        if (inspection.team.length === 0) throw InspectionErrors.invalidTeam('empty');
        for (const change of input.items ?? []) {
          const item = inspection.checklist.find((i) => i.code === change.code);
          if (!item) throw InspectionErrors.unknownItem(change.code);
          item.status = change.status;
          if (change.note !== undefined) item.note = change.note?.trim() || null;
          if (change.evidence !== undefined) item.evidence = [...new Set(change.evidence)];
        }
        if (input.result !== undefined) inspection.result = input.result;
        if (input.resultNote !== undefined) inspection.resultNote = input.resultNote?.trim() || null;
        // What was signed has changed: everyone signs again.
        inspection.team = inspection.team.map((m) => ({ ...m, signedAt: null }));
        inspection.updatedAt = now;
        // The team signs within the rubric's working days after the visit; a moved visit moves the reminders.
        const signDue = await this.reminders.signDue(rubric, inspection.visitDate);
        const moved = signDue !== inspection.signDue;
        inspection.signDue = signDue;
        if (existing) await manager.save(Inspection, inspection);
        else await manager.insert(Inspection, inspection);
        if (moved) await this.reminders.planInspection(manager, inspection);
        await this.audit.record(manager, auditActor(actor), {
          action: existing ? 'review.inspection_updated' : 'review.inspection_created',
          objectType: 'review_inspection',
          objectId: inspection.id,
          summary: {
            applicationId: dossier.applicationId,
            round: inspection.round,
            visitDate: inspection.visitDate,
            team: inspection.team.map((m) => m.userId),
            overrides: inspection.team
              .filter((m) => m.overrideReason)
              .map((m) => ({ userId: m.userId, waived: m.waived, reason: m.overrideReason })),
            result: inspection.result,
          },
        });
        return inspection;
      });
    } catch (error) {
      // Two officers creating at once: the draft index lets one through; the other retries as an update.
      if (isUniqueViolation(error)) throw new DomainError('conflict', 'inspection.concurrent_create', '请重试。Try again.');
      throw error;
    }
  }

  /**
   * A team member signs the inspection of the dossier's current round as it stands; the last
   * signature closes it. An earlier round's draft is no longer signed: it decides nothing.
   */
  async sign(actor: Actor, applicationId: string, round: number): Promise<Inspection> {
    return inTransaction(this.dataSource, async (manager) => {
      const inspection = await manager.findOne(Inspection, {
        where: { applicationId, round, status: 'draft' },
        lock: { mode: 'pessimistic_write' },
      });
      if (!inspection) {
        const latest = await this.latest(manager, applicationId, round);
        if (latest?.team.some((m) => m.userId === actor.userId)) throw InspectionErrors.closed();
        throw InspectionErrors.notFound(applicationId);
      }
      const member = inspection.team.find((m) => m.userId === actor.userId);
      if (!member) throw InspectionErrors.notFound(applicationId);
      if (member.signedAt) throw InspectionErrors.alreadySigned();
      const pending = [
        ...inspection.checklist.filter((i) => i.status === 'pending').map((i) => i.code),
        ...(inspection.result ? [] : ['result']),
      ];
      if (pending.length > 0) throw InspectionErrors.incomplete(pending);
      const now = this.clock.now();
      member.signedAt = now.toISOString();
      const complete = inspection.team.every((m) => m.signedAt !== null);
      if (complete) {
        inspection.status = 'signed';
        inspection.signedAt = now;
      }
      inspection.updatedAt = now;
      await manager.save(Inspection, inspection);
      await this.audit.record(manager, auditActor(actor), {
        action: 'review.inspection_signed',
        objectType: 'review_inspection',
        objectId: inspection.id,
        summary: { applicationId, round, complete, result: inspection.result },
      });
      return inspection;
    });
  }

  /**
   * The dossier's latest inspection the caller may read, whichever round (its `round` tells): the
   * bureau reads the latest, a team member the latest they were on (not found for anyone else).
   */
  async inspectionFor(actor: Actor, applicationId: string): Promise<Inspection> {
    const inspections = await this.dataSource.manager.find(Inspection, {
      where: { applicationId },
      order: { round: 'DESC', createdAt: 'DESC' },
    });
    const inspection = inspections.find((i) => actor.role === 'bureau_officer' || i.team.some((m) => m.userId === actor.userId));
    if (!inspection) throw InspectionErrors.notFound(applicationId);
    return inspection;
  }

  /**
   * The inspections the caller is a member of, any round and status, newest first: what a county
   * officer or an expert on a team opens to read and sign. Nobody else's inspections, whatever the role.
   */
  async inspectionsOf(actor: Actor, page: PageQuery): Promise<Page<Inspection>> {
    const [items, total] = await this.dataSource.manager
      .createQueryBuilder(Inspection, 'i')
      .where('i.team @> CAST(:member AS jsonb)', { member: JSON.stringify([{ userId: actor.userId }]) })
      .orderBy('i.created_at', 'DESC')
      .addOrderBy('i.id')
      .skip(offsetOf(page))
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(items, total, page);
  }

  /** One inspection of the caller's teams (not found if the caller is not on its team). */
  async inspectionOf(actor: Actor, inspectionId: string): Promise<Inspection> {
    const inspection = await this.dataSource.manager
      .createQueryBuilder(Inspection, 'i')
      .where('i.id = :id', { id: inspectionId })
      .andWhere('i.team @> CAST(:member AS jsonb)', { member: JSON.stringify([{ userId: actor.userId }]) })
      .getOne();
    if (!inspection) throw InspectionErrors.notOnTeam(inspectionId);
    return inspection;
  }

  /** The result `record_inspection` records: that of the current round's latest inspection, once every member signed. */
  async inspectionVerdict(manager: EntityManager, applicationId: string, round: number): Promise<{ passed: boolean; evidenceId: string }> {
    const inspection = await this.latest(manager, applicationId, round);
    if (!inspection) throw InspectionErrors.required(applicationId);
    if (inspection.status !== 'signed' || !inspection.result)
      throw InspectionErrors.notSigned(
        applicationId,
        inspection.team.filter((m) => !m.signedAt).map((m) => m.userId),
      );
    return { passed: inspection.result === 'passed', evidenceId: inspection.id };
  }

  private latest(manager: EntityManager, applicationId: string, round: number): Promise<Inspection | null> {
    return manager.findOne(Inspection, { where: { applicationId, round }, order: { createdAt: 'DESC' } });
  }

  /**
   * The team: known active accounts of the bureau, the dossier's county and the expert pool, at
   * least one bureau officer and one expert; each member checked by the panel's avoidance rules
   * (employer, declared links, same county when the call's rubric says so), waived only with a reason.
   */
  private async checkTeam(
    manager: EntityManager,
    dossier: DossierFacts,
    requested: { userId: string; overrideReason?: string | null }[],
    avoidSameCounty: boolean,
    today: string,
  ): Promise<TeamMember[]> {
    const ids = requested.map((r) => r.userId);
    if (ids.length === 0) throw InspectionErrors.invalidTeam('empty');
    if (ids.length > MAX_TEAM) throw InspectionErrors.invalidTeam('too_large', { max: MAX_TEAM });
    if (new Set(ids).size !== ids.length) throw InspectionErrors.invalidTeam('duplicate_member');
    const users = await manager.find(User, { where: { id: In(ids), disabled: false } });
    const profiles = await manager.find(ExpertProfile, { where: { userId: In(ids) } });
    const members: TeamMember[] = [];
    for (const { userId, overrideReason } of requested) {
      const user = users.find((u) => u.id === userId);
      if (!user || !(TEAM_ROLES as readonly string[]).includes(user.role)) throw InspectionErrors.invalidTeam('unknown_member', { userId });
      if (user.role === 'county_officer' && user.regionCode !== dossier.county)
        throw InspectionErrors.invalidTeam('county_officer_of_another_county', { userId });
      const profile = profiles.find((p) => p.userId === userId);
      const findings = avoidanceFindings(
        {
          id: user.id,
          expertise: user.expertise,
          employer: { name: user.employerName, creditCode: user.employerCreditCode },
          county: user.role === 'expert' ? (profile?.county ?? null) : null,
          available: true,
          yearlyCap: Number.MAX_SAFE_INTEGER,
          reviewsThisYear: 0,
          declaredLinks: profile?.declaredLinks ?? [],
          pastPanels: [],
        },
        {
          applicationId: dossier.applicationId,
          organisationId: dossier.organisationId,
          applicant: { name: dossier.applicant.name, creditCode: dossier.applicant.creditCode },
          hostUnit: dossier.hostUnit,
          county: dossier.county,
          industries: dossier.industries,
        },
        { sameCounty: avoidSameCounty, recentPanelYears: null },
        today,
      );
      const reason = overrideReason?.trim() || null;
      if (findings.length > 0 && !reason) throw InspectionErrors.avoidance(userId, findings);
      members.push({
        userId,
        role: user.role as TeamMember['role'],
        name: user.name,
        signedAt: null,
        waived: findings,
        overrideReason: findings.length > 0 ? reason : null,
      });
    }
    if (!members.some((m) => m.role === 'bureau_officer')) throw InspectionErrors.invalidTeam('no_bureau_officer');
    if (!members.some((m) => m.role === 'expert')) throw InspectionErrors.invalidTeam('no_expert');
    return members;
  }
}
