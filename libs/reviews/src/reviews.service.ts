import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In, LessThanOrEqual } from 'typeorm';
import { AuditService } from '@app/audit';
import { Clock, DomainError, type Page, type PageQuery, offsetOf, pageOf, shanghaiDay } from '@app/common';
import { inTransaction, isUniqueViolation } from '@app/database';
import { type Actor, User } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { type PanelResult, type RankedDossier, type ScoreSheet, aggregate, checkSheet, rankAgainstQuota } from './aggregation';
import { Assignment, type Declaration } from './assignment.entity';
import type { DeclaredLink, DossierForDraw, OrganisationKey, PoolExpert } from './avoidance';
import { CallRubric } from './call-rubric.entity';
import { drawPanel } from './draw';
import { ExpertProfile } from './expert-profile.entity';
import { Panel, type PanelDossierLabel, type PanelOverride, type PanelRedraw } from './panel.entity';
import { ReviewReminders } from './review-reminders';
import { ReviewErrors } from './reviews.errors';
import { type Rubric, defaultRubric } from './rubric';
import { Score } from './score.entity';

/** The dossier as the app layer read it for the reviews lib (which does not read the applications lib's tables). */
export interface DossierFacts {
  applicationId: string;
  callId: string;
  platformType: string;
  stage: string;
  /** The dossier's review round (application.round): its panel is drawn and read for this round. */
  round: number;
  number: string | null;
  name: string;
  organisationId: string;
  applicant: OrganisationKey & { name: string };
  hostUnit: OrganisationKey | null;
  county: string;
  industries: string[];
}

export interface DrawOptions {
  seed?: string;
  overrides?: { expertId: string; reason: string }[];
  /** An appeal's review (复核): the dossier is rejected, and no expert of its earlier panels may sit again. */
  appeal?: boolean;
}

export interface ExpertProfileInput {
  county: string | null;
  available: boolean;
  yearlyCap: number;
  declaredLinks: DeclaredLink[];
}

/** An expert of the pool: the account's fields (expertise, employer) with the reviews profile. */
export interface PoolEntry {
  user: User;
  profile: ExpertProfile | null;
  reviewsThisYear: number;
}

export interface SeatView extends Assignment {
  expertName: string;
  /** This seat's sheet, only once the panel's scores are unsealed. */
  scores: Score[] | null;
}

/** A panel as the bureau sees it: seats, and the scores once every seated expert scored or the panel closed. */
export interface PanelView {
  panel: Panel;
  seats: SeatView[];
  sealed: boolean;
  /** Seats no one holds: conflicts declared after the reserves ran out; the bureau fills them. */
  vacancies: number;
  result: PanelResult | null;
}

/** An assignment as its expert sees it: the dossier's label, the panel's state and their own sheet only. */
export interface AssignmentView {
  assignment: Assignment;
  panel: Pick<Panel, 'id' | 'applicationId' | 'round' | 'status' | 'dossier' | 'rubric'>;
  ownScores: Score[];
}

/** A call's dossiers by their panel results; dossiers whose scores are still sealed wait outside the ranking. */
export interface CallRanking {
  quota: number | null;
  ranked: (RankedDossier & { dossier: PanelDossierLabel; disagreement: boolean })[];
  pending: { applicationId: string; dossier: PanelDossierLabel }[];
}

export interface ScoreEntry {
  criterion: string;
  value: number;
  comment?: string | null;
}

const DEFAULT_YEARLY_CAP = 10;

const auditActor = (actor: Actor) => ({ userId: actor.userId, role: actor.role, ip: actor.ip });

/**
 * Expert panels: the pool's draw data, each call's rubric, the seeded draw with avoidance, the
 * declaration that opens a dossier to an expert, sealed scores and their aggregate. Every write and
 * its audit row share one transaction. Dossiers come in as `DossierFacts` from the app layer.
 */
@Injectable()
export class ReviewsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly reminders: ReviewReminders,
    private readonly notifications: NotificationsService,
  ) {}

  async listPool(page: PageQuery): Promise<Page<PoolEntry>> {
    const [users, total] = await this.dataSource.manager.findAndCount(User, {
      where: { role: 'expert' },
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: offsetOf(page),
      take: page.pageSize,
    });
    const ids = users.map((u) => u.id);
    const profiles = await this.dataSource.manager.find(ExpertProfile, { where: { userId: In(ids) } });
    const seats = await this.seatsThisYear(this.dataSource.manager, ids);
    return pageOf(
      users.map((user) => ({
        user,
        profile: profiles.find((p) => p.userId === user.id) ?? null,
        reviewsThisYear: seats.get(user.id) ?? 0,
      })),
      total,
      page,
    );
  }

  async getExpert(expertId: string, manager: EntityManager = this.dataSource.manager): Promise<PoolEntry> {
    const user = await manager.findOne(User, { where: { id: expertId, role: 'expert' } });
    if (!user) throw ReviewErrors.expertNotFound(expertId);
    const profile = await manager.findOne(ExpertProfile, { where: { userId: expertId } });
    const seats = await this.seatsThisYear(manager, [expertId]);
    return { user, profile, reviewsThisYear: seats.get(expertId) ?? 0 };
  }

  /** An admin sets an expert's draw data (county, availability, yearly cap, declared links). */
  async putExpertProfile(actor: Actor, expertId: string, input: ExpertProfileInput): Promise<PoolEntry> {
    if (input.declaredLinks.some((link) => !link.name?.trim() && !link.creditCode?.trim())) throw ReviewErrors.invalidLink();
    return inTransaction(this.dataSource, async (manager) => {
      const user = await manager.findOne(User, { where: { id: expertId, role: 'expert' }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw ReviewErrors.expertNotFound(expertId);
      await manager.upsert(
        ExpertProfile,
        {
          userId: expertId,
          county: input.county,
          available: input.available,
          yearlyCap: input.yearlyCap,
          declaredLinks: input.declaredLinks,
          updatedBy: actor.userId,
          updatedAt: this.clock.now(),
        },
        ['userId'],
      );
      await this.audit.record(manager, auditActor(actor), {
        action: 'review.expert_profile_updated',
        objectType: 'user',
        objectId: expertId,
        summary: { county: input.county, available: input.available, yearlyCap: input.yearlyCap, links: input.declaredLinks.length },
      });
      return this.getExpert(expertId, manager);
    });
  }

  /** The call's rubric, or its platform type's default (then `custom` is false). */
  async rubricFor(
    callId: string,
    platformType: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ rubric: Rubric; custom: boolean }> {
    const row = await manager.findOne(CallRubric, { where: { callId } });
    return row ? { rubric: row.rubric, custom: true } : { rubric: defaultRubric(platformType), custom: false };
  }

  async putRubric(actor: Actor, callId: string, rubric: Rubric): Promise<Rubric> {
    checkRubric(rubric);
    return inTransaction(this.dataSource, async (manager) => {
      await manager.upsert(CallRubric, { callId, rubric, updatedBy: actor.userId, updatedAt: this.clock.now() }, ['callId']);
      await this.audit.record(manager, auditActor(actor), {
        action: 'review.rubric_updated',
        objectType: 'call',
        objectId: callId,
        summary: {
          criteria: rubric.criteria.map((c) => c.code),
          method: rubric.method,
          passMark: rubric.passMark,
          members: rubric.members,
        },
      });
      return rubric;
    });
  }

  /**
   * Draws the panel of a dossier at expert review: the seed (given, or made here) and the pool's
   * state decide it; avoidance is checked before anyone is seated, and an override waives an
   * expert's findings only with a reason, kept on the panel and in the audit row.
   */
  async drawPanel(actor: Actor, dossier: DossierFacts, options: DrawOptions): Promise<PanelView> {
    try {
      return await inTransaction(this.dataSource, async (manager) =>
        this.view(manager, await this.drawInto(manager, actor, dossier, options)),
      );
    } catch (error) {
      // Two officers drawing at once: the open-panel index lets one through.
      if (isUniqueViolation(error)) throw ReviewErrors.panelExists(dossier.applicationId);
      throw error;
    }
  }

  /**
   * Panels for many dossiers of a call in one transaction, in the order given: each draw is
   * recorded with its own seed, and each sees the seats the earlier ones took, so an expert's
   * yearly cap holds across the batch. One dossier that cannot be drawn stops the batch; nothing is stored.
   */
  async drawPanels(
    actor: Actor,
    callId: string,
    dossiers: DossierFacts[],
    options: {
      seed?: string;
      /** Leave out dossiers that already have a panel of their current round (drawing for all of a call). */ onlyUndrawn?: boolean;
    },
  ): Promise<PanelView[]> {
    for (const dossier of dossiers) if (dossier.callId !== callId) throw ReviewErrors.notInCall(dossier.applicationId, callId);
    try {
      return await inTransaction(this.dataSource, async (manager) => {
        let todo = dossiers;
        if (options.onlyUndrawn && dossiers.length > 0) {
          const drawn = await manager.find(Panel, {
            select: { applicationId: true, round: true },
            where: { applicationId: In(dossiers.map((d) => d.applicationId)) },
          });
          todo = dossiers.filter((d) => !drawn.some((p) => p.applicationId === d.applicationId && p.round === d.round));
        }
        if (todo.length === 0) throw ReviewErrors.nothingToDraw(callId);
        const panels: Panel[] = [];
        for (const dossier of todo) {
          // A batch seed replays the whole batch: each dossier's seed is derived from it and its id.
          const seed = options.seed ? `${options.seed}:${dossier.applicationId}` : undefined;
          try {
            panels.push(await this.drawInto(manager, actor, dossier, { seed }));
          } catch (error) {
            if (error instanceof DomainError)
              throw new DomainError(error.kind, error.code, error.message, { ...error.details, applicationId: dossier.applicationId });
            throw error;
          }
        }
        await this.audit.record(manager, auditActor(actor), {
          action: 'review.panels_drawn',
          objectType: 'call',
          objectId: callId,
          summary: { panels: panels.map((p) => ({ applicationId: p.applicationId, panelId: p.id, seed: p.seed })) },
        });
        const views: PanelView[] = [];
        for (const panel of panels) views.push(await this.view(manager, panel));
        return views;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw ReviewErrors.panelExists(null);
      throw error;
    }
  }

  private async drawInto(manager: EntityManager, actor: Actor, dossier: DossierFacts, options: DrawOptions): Promise<Panel> {
    if (dossier.stage !== (options.appeal ? 'rejected' : 'expert_review')) throw ReviewErrors.notInExpertReview(dossier.stage);
    const seed = options.seed ?? randomBytes(16).toString('hex');
    const overrides = new Map((options.overrides ?? []).map((o) => [o.expertId, o.reason.trim()]));
    const open = await manager.findOne(Panel, {
      where: { applicationId: dossier.applicationId, status: 'open' },
      lock: { mode: 'pessimistic_write' },
    });
    if (open && open.round >= dossier.round) throw ReviewErrors.panelExists(dossier.applicationId);
    if (open) await this.closeEarlierRound(manager, actor, open);
    const { rubric } = await this.rubricFor(dossier.callId, dossier.platformType, manager);
    const now = this.clock.now();
    const today = shanghaiDay(now);
    const sat = options.appeal ? await this.expertsWhoSat(manager, dossier.applicationId) : new Set<string>();
    const pool = (await this.poolForDraw(manager, dossier.organisationId)).filter((e) => !sat.has(e.id));
    for (const expertId of overrides.keys()) if (!pool.some((e) => e.id === expertId)) throw ReviewErrors.overrideUnknownExpert(expertId);
    const drawn = drawPanel({
      seed,
      pool,
      dossier: drawDossier(dossier),
      members: rubric.members,
      reserves: rubric.reserves,
      avoidance: { sameCounty: rubric.avoidSameCounty, recentPanelYears: rubric.avoidRecentPanelYears },
      overrides,
      today,
    });
    if (drawn.members.length < rubric.members) throw ReviewErrors.poolTooSmall(rubric.members, drawn.members.length, drawn.excluded.length);
    const panel = manager.create(Panel, {
      id: randomUUID(),
      applicationId: dossier.applicationId,
      callId: dossier.callId,
      round: dossier.round,
      organisationId: dossier.organisationId,
      dossier: {
        number: dossier.number,
        name: dossier.name,
        applicantName: dossier.applicant.name,
        platformType: dossier.platformType,
      },
      seed,
      rubric,
      overrides: [...overrides].map(([expertId, reason]): PanelOverride => ({
        expertId,
        reason,
        waived: drawn.overridden.find((o) => o.expertId === expertId)?.waived ?? [],
      })),
      redraws: [],
      status: 'open',
      drawnAt: now,
      drawnBy: actor.userId,
      closedAt: null,
      closedBy: null,
    });
    await manager.insert(Panel, panel);
    await this.seat(manager, panel, drawn.members, drawn.reserves, 0, 0);
    await this.audit.record(manager, auditActor(actor), {
      action: 'review.panel_drawn',
      objectType: 'review_panel',
      objectId: panel.id,
      summary: {
        applicationId: dossier.applicationId,
        round: dossier.round,
        seed,
        members: drawn.members,
        reserves: drawn.reserves,
        excluded: drawn.excluded,
        overrides: panel.overrides,
      },
    });
    return panel;
  }

  /**
   * A panel of an earlier round still open when the next round's is drawn: its experts' task ended
   * with the round that returned the dossier, so it closes (scores unsealed to the bureau, as at any
   * close) and stays as that round's history; it decides nothing.
   */
  private async closeEarlierRound(manager: EntityManager, actor: Actor, panel: Panel): Promise<void> {
    const closedAt = this.clock.now();
    await manager.update(Panel, { id: panel.id }, { status: 'closed', closedAt, closedBy: actor.userId });
    await this.audit.record(manager, auditActor(actor), {
      action: 'review.panel_closed',
      objectType: 'review_panel',
      objectId: panel.id,
      summary: { applicationId: panel.applicationId, round: panel.round, supersededByRound: true },
    });
  }

  /**
   * Seats drawn experts on a panel: members active with their due dates and reminders, reserves
   * waiting. Positions and reserve ranks continue after the ones already taken (a redraw).
   */
  private async seat(
    manager: EntityManager,
    panel: Panel,
    members: string[],
    reserves: string[],
    firstPosition: number,
    firstReserveRank: number,
  ): Promise<void> {
    const now = this.clock.now();
    const due = await this.reminders.seatDueDates(panel.rubric, shanghaiDay(now));
    const seat = (expertId: string, drawPosition: number, reserveRank: number | null): Assignment =>
      manager.create(Assignment, {
        id: randomUUID(),
        panelId: panel.id,
        expertId,
        drawPosition,
        reserveRank,
        active: reserveRank === null,
        declaration: 'none',
        declaredAt: null,
        conflictReason: null,
        replacedBy: null,
        declarationDue: reserveRank === null ? due.declarationDue : null,
        scoringDue: reserveRank === null ? due.scoringDue : null,
        scoredAt: null,
        createdAt: now,
      });
    const seats = [
      ...members.map((id, i) => seat(id, firstPosition + i, null)),
      ...reserves.map((id, i) => seat(id, firstPosition + members.length + i, firstReserveRank + i + 1)),
    ];
    if (seats.length === 0) return;
    await manager.insert(Assignment, seats);
    await this.reminders.planSeats(
      manager,
      seats.filter((a) => a.active),
    );
  }

  /**
   * Fills the seats left vacant when conflicts outran the reserves: a draw with its own seed (given
   * or made here), by the same avoidance rules and caps, among experts not yet on this panel;
   * recorded on the panel and in the audit row. New reserves are drawn too.
   */
  async redrawVacancies(actor: Actor, dossier: DossierFacts, options: DrawOptions): Promise<PanelView> {
    const seed = options.seed ?? randomBytes(16).toString('hex');
    const overrides = new Map((options.overrides ?? []).map((o) => [o.expertId, o.reason.trim()]));
    return inTransaction(this.dataSource, async (manager) => {
      const panel = await manager.findOne(Panel, {
        where: { applicationId: dossier.applicationId, round: dossier.round, status: 'open' },
        lock: { mode: 'pessimistic_write' },
      });
      if (!panel) {
        await this.latestPanel(manager, dossier.applicationId, dossier.round);
        throw ReviewErrors.panelClosed();
      }
      const seats = await manager.find(Assignment, { where: { panelId: panel.id } });
      const vacancies = panel.rubric.members - seats.filter((a) => a.active).length;
      const waiting = seats.filter((a) => a.reserveRank !== null && !a.active && a.declaration === 'none').length;
      if (vacancies <= 0 || waiting > 0) throw ReviewErrors.noVacancy(dossier.applicationId);
      const onPanel = new Set(seats.map((a) => a.expertId));
      const pool = (await this.poolForDraw(manager, dossier.organisationId)).filter((e) => !onPanel.has(e.id));
      for (const expertId of overrides.keys()) if (!pool.some((e) => e.id === expertId)) throw ReviewErrors.overrideUnknownExpert(expertId);
      const now = this.clock.now();
      const drawn = drawPanel({
        seed,
        pool,
        dossier: drawDossier(dossier),
        members: vacancies,
        reserves: panel.rubric.reserves,
        avoidance: { sameCounty: panel.rubric.avoidSameCounty, recentPanelYears: panel.rubric.avoidRecentPanelYears },
        overrides,
        today: shanghaiDay(now),
      });
      if (drawn.members.length < vacancies) throw ReviewErrors.poolTooSmall(vacancies, drawn.members.length, drawn.excluded.length);
      const redraw: PanelRedraw = {
        seed,
        drawnAt: now.toISOString(),
        drawnBy: actor.userId,
        members: drawn.members,
        reserves: drawn.reserves,
      };
      const newOverrides = [...overrides].map(([expertId, reason]): PanelOverride => ({
        expertId,
        reason,
        waived: drawn.overridden.find((o) => o.expertId === expertId)?.waived ?? [],
      }));
      panel.redraws = [...panel.redraws, redraw];
      panel.overrides = [...panel.overrides, ...newOverrides];
      await manager.update(Panel, { id: panel.id }, { redraws: panel.redraws, overrides: panel.overrides });
      const maxPosition = Math.max(...seats.map((a) => a.drawPosition));
      const maxRank = Math.max(0, ...seats.map((a) => a.reserveRank ?? 0));
      await this.seat(manager, panel, drawn.members, drawn.reserves, maxPosition + 1, maxRank);
      await this.audit.record(manager, auditActor(actor), {
        action: 'review.panel_redrawn',
        objectType: 'review_panel',
        objectId: panel.id,
        summary: {
          applicationId: dossier.applicationId,
          seed,
          vacancies,
          members: drawn.members,
          reserves: drawn.reserves,
          excluded: drawn.excluded,
          overrides: newOverrides,
        },
      });
      return this.view(manager, panel);
    });
  }

  /**
   * The dossier's panel for the bureau: its current round's, or before that round's draw, the
   * latest of an earlier round (history; its `round` tells). Scores sealed until every seated
   * expert scored or the panel closed.
   */
  async panelFor(dossier: Pick<DossierFacts, 'applicationId' | 'round'>): Promise<PanelView> {
    const manager = this.dataSource.manager;
    const panel = await manager.findOne(Panel, {
      where: { applicationId: dossier.applicationId, round: LessThanOrEqual(dossier.round) },
      order: { round: 'DESC', drawnAt: 'DESC' },
    });
    if (!panel) throw ReviewErrors.panelNotFound(dossier.applicationId);
    return this.view(manager, panel);
  }

  /** Closes the panel of the dossier's current round. */
  async closePanel(actor: Actor, dossier: Pick<DossierFacts, 'applicationId' | 'round'>): Promise<PanelView> {
    const { applicationId, round } = dossier;
    return inTransaction(this.dataSource, async (manager) => {
      const panel = await manager.findOne(Panel, {
        where: { applicationId, round, status: 'open' },
        lock: { mode: 'pessimistic_write' },
      });
      if (!panel) {
        await this.latestPanel(manager, applicationId, round);
        throw ReviewErrors.panelClosed();
      }
      panel.status = 'closed';
      panel.closedAt = this.clock.now();
      panel.closedBy = actor.userId;
      await manager.update(Panel, { id: panel.id }, { status: 'closed', closedAt: panel.closedAt, closedBy: actor.userId });
      const view = await this.view(manager, panel);
      await this.audit.record(manager, auditActor(actor), {
        action: 'review.panel_closed',
        objectType: 'review_panel',
        objectId: panel.id,
        summary: {
          applicationId,
          round,
          score: view.result?.score ?? null,
          passed: view.result?.passed ?? null,
          scored: view.result?.totals.length ?? 0,
        },
      });
      return view;
    });
  }

  /**
   * The result the dossier's expert review records: the aggregate of the latest panel of its
   * current round, once closed (an earlier round's panel judged the dossier before its revision).
   * Read by the transition `record_expert_result` in its own transaction.
   */
  async panelVerdict(
    manager: EntityManager,
    applicationId: string,
    round: number,
  ): Promise<{ passed: boolean; score: number; evidenceId: string }> {
    const panel = await manager.findOne(Panel, { where: { applicationId, round }, order: { drawnAt: 'DESC' } });
    if (!panel) throw ReviewErrors.panelRequired(applicationId);
    if (panel.status !== 'closed') throw ReviewErrors.panelStillOpen(applicationId);
    const { result } = await this.view(manager, panel);
    if (!result || result.totals.length === 0) throw ReviewErrors.panelWithoutScores(applicationId);
    return { passed: result.passed, score: result.score, evidenceId: panel.id };
  }

  /** The call's ranking against the quota of its rubric, from each dossier's latest panel (of its latest round). */
  async rankingFor(callId: string, platformType: string): Promise<CallRanking> {
    const manager = this.dataSource.manager;
    const { rubric } = await this.rubricFor(callId, platformType, manager);
    const panels = await manager
      .createQueryBuilder(Panel, 'p')
      .distinctOn(['p.application_id'])
      .where('p.call_id = :callId', { callId })
      .orderBy('p.application_id')
      .addOrderBy('p.round', 'DESC')
      .addOrderBy('p.drawn_at', 'DESC')
      .getMany();
    const ranked: CallRanking['ranked'] = [];
    const pending: CallRanking['pending'] = [];
    const results = new Map<string, { panel: Panel; result: PanelResult }>();
    for (const panel of panels) {
      const { result } = await this.view(manager, panel);
      if (result) results.set(panel.applicationId, { panel, result });
      else pending.push({ applicationId: panel.applicationId, dossier: panel.dossier });
    }
    const order = rankAgainstQuota(
      [...results.values()].map(({ panel, result }) => ({
        applicationId: panel.applicationId,
        score: result.score,
        passed: result.passed,
      })),
      rubric.quota ?? null,
    );
    for (const entry of order) {
      const { panel, result } = results.get(entry.applicationId)!;
      ranked.push({ ...entry, dossier: panel.dossier, disagreement: result.disagreement });
    }
    return { quota: rubric.quota ?? null, ranked, pending };
  }

  /** The expert's seats in every round (earlier rounds' panels stay as history): active ones, and the ones they left by declaring a conflict. */
  async assignmentsOf(actor: Actor, page: PageQuery): Promise<Page<AssignmentView>> {
    const query = this.dataSource.manager
      .createQueryBuilder(Assignment, 'a')
      .where('a.expert_id = :expert', { expert: actor.userId })
      .andWhere(`(a.active OR a.declaration = 'conflict')`)
      .orderBy('a.created_at', 'DESC')
      .addOrderBy('a.id');
    const [assignments, total] = await query.skip(offsetOf(page)).take(page.pageSize).getManyAndCount();
    const panels = await this.dataSource.manager.find(Panel, { where: { id: In(assignments.map((a) => a.panelId)) } });
    const scores = await this.dataSource.manager.find(Score, { where: { assignmentId: In(assignments.map((a) => a.id)) } });
    return pageOf(
      assignments.map((assignment) =>
        expertView(
          assignment,
          panels.find((p) => p.id === assignment.panelId)!,
          scores,
        ),
      ),
      total,
      page,
    );
  }

  async assignmentOf(actor: Actor, assignmentId: string): Promise<AssignmentView> {
    const assignment = await this.ownAssignment(this.dataSource.manager, actor, assignmentId, false);
    const panel = await this.dataSource.manager.findOneByOrFail(Panel, { id: assignment.panelId });
    const scores = await this.dataSource.manager.find(Score, { where: { assignmentId } });
    return expertView(assignment, panel, scores);
  }

  /**
   * The expert's declaration, once. A conflict gives the seat to the next reserve not yet called
   * (none left: the seat stays empty and the bureau sees it on the panel).
   */
  async declare(
    actor: Actor,
    assignmentId: string,
    conflict: boolean,
    reason: string | null,
  ): Promise<{ view: AssignmentView; replaced: boolean | null }> {
    if (conflict && !reason?.trim()) throw ReviewErrors.conflictReasonRequired();
    return inTransaction(this.dataSource, async (manager) => {
      const assignment = await this.ownAssignment(manager, actor, assignmentId, true);
      const panel = await this.lockPanel(manager, assignment.panelId, 'pessimistic_write');
      if (panel.status !== 'open') throw ReviewErrors.panelClosed();
      if (assignment.declaration !== 'none') throw ReviewErrors.alreadyDeclared();
      const now = this.clock.now();
      const declaration: Declaration = conflict ? 'conflict' : 'no_conflict';
      let reserve: Assignment | null = null;
      if (conflict) {
        reserve = await manager
          .createQueryBuilder(Assignment, 'a')
          .where('a.panel_id = :panel', { panel: panel.id })
          .andWhere('a.reserve_rank IS NOT NULL AND a.active = false')
          .andWhere(`a.declaration = 'none'`)
          .orderBy('a.reserve_rank', 'ASC')
          .setLock('pessimistic_write')
          .getOne();
        if (reserve) {
          const due = await this.reminders.seatDueDates(panel.rubric, shanghaiDay(now));
          await manager.update(Assignment, { id: reserve.id }, { active: true, ...due });
          await this.reminders.planSeats(manager, [{ id: reserve.id, ...due }]);
        }
      }
      const changes: Partial<Assignment> = {
        declaration,
        declaredAt: now,
        conflictReason: conflict ? reason!.trim() : null,
        active: !conflict,
        replacedBy: reserve?.id ?? null,
      };
      await manager.update(Assignment, { id: assignmentId }, changes);
      await this.audit.record(manager, auditActor(actor), {
        action: conflict ? 'review.conflict_declared' : 'review.no_conflict_declared',
        objectType: 'review_panel',
        objectId: panel.id,
        summary: { assignmentId, ...(conflict ? { reason: reason!.trim(), replacedBy: reserve?.expertId ?? null } : {}) },
      });
      if (conflict) await this.tellBureauOfConflict(manager, panel, assignment.expertId, reason!.trim(), reserve?.expertId ?? null);
      return {
        view: expertView(Object.assign(assignment, changes), panel, []),
        replaced: conflict ? reserve !== null : null,
      };
    });
  }

  /** The bureau hears of every conflict: who stepped down, who took the seat, or how many seats stand empty. */
  private async tellBureauOfConflict(
    manager: EntityManager,
    panel: Panel,
    expertId: string,
    reason: string,
    reserveId: string | null,
  ): Promise<void> {
    const people = await manager.find(User, { where: { id: In(reserveId ? [expertId, reserveId] : [expertId]) } });
    const nameOf = (id: string | null) => people.find((u) => u.id === id)?.name ?? '';
    const seated = await manager.count(Assignment, { where: { panelId: panel.id, active: true } });
    const vacancies = Math.max(0, panel.rubric.members - seated);
    await this.notifications.mailUsers(manager, [
      {
        event: 'review.conflict_declared',
        to: { role: 'bureau_officer' },
        data: {
          dossierLabel: `${panel.dossier.number ?? ''} ${panel.dossier.name}`.trim(),
          expertName: nameOf(expertId),
          reason,
          vacant: reserveId === null,
          vacancies,
          reserveName: nameOf(reserveId),
        },
        about: { type: 'application', id: panel.applicationId },
      },
    ]);
  }

  /** The dossier an expert may read: only theirs, only after declaring no conflict (403 before, 404 if not theirs). */
  async readableDossier(actor: Actor, assignmentId: string): Promise<string> {
    const assignment = await this.ownAssignment(this.dataSource.manager, actor, assignmentId, false);
    if (!assignment.active || assignment.declaration !== 'no_conflict') throw ReviewErrors.declarationRequired();
    const panel = await this.dataSource.manager.findOneByOrFail(Panel, { id: assignment.panelId });
    return panel.applicationId;
  }

  /** One sheet per seat, checked whole against the panel's rubric; nothing is stored when any entry is wrong. */
  async submitScores(actor: Actor, assignmentId: string, entries: ScoreEntry[]): Promise<AssignmentView> {
    return inTransaction(this.dataSource, async (manager) => {
      const assignment = await this.ownAssignment(manager, actor, assignmentId, true);
      const panel = await this.lockPanel(manager, assignment.panelId, 'pessimistic_read');
      if (!assignment.active || assignment.declaration !== 'no_conflict') throw ReviewErrors.declarationRequired();
      if (panel.status !== 'open') throw ReviewErrors.panelClosed();
      if (assignment.scoredAt) throw ReviewErrors.alreadyScored();
      const problems = checkSheet(panel.rubric, entries);
      if (problems.length > 0) throw ReviewErrors.invalidSheet(problems);
      const now = this.clock.now();
      const scores = entries.map((entry) =>
        manager.create(Score, {
          id: randomUUID(),
          assignmentId,
          criterion: entry.criterion,
          value: entry.value,
          comment: entry.comment?.trim() || null,
          createdAt: now,
        }),
      );
      await manager.insert(Score, scores);
      await manager.update(Assignment, { id: assignmentId }, { scoredAt: now });
      // The values stay out of the audit row: it is readable before the scores are unsealed.
      await this.audit.record(manager, auditActor(actor), {
        action: 'review.scored',
        objectType: 'review_panel',
        objectId: panel.id,
        summary: { assignmentId, criteria: entries.length },
      });
      return expertView(Object.assign(assignment, { scoredAt: now }), panel, scores);
    });
  }

  private async ownAssignment(manager: EntityManager, actor: Actor, assignmentId: string, lock: boolean): Promise<Assignment> {
    const assignment = await manager.findOne(Assignment, {
      where: { id: assignmentId, expertId: actor.userId },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    // A reserve not called in has no seat yet: not found, like someone else's assignment.
    if (!assignment || (!assignment.active && assignment.declaration === 'none')) throw ReviewErrors.assignmentNotFound(assignmentId);
    return assignment;
  }

  /**
   * Declarations take the panel exclusively (one reserve per conflict); scores share it; closing
   * takes it exclusively, so no score lands after the close.
   */
  private lockPanel(manager: EntityManager, id: string, mode: 'pessimistic_write' | 'pessimistic_read'): Promise<Panel> {
    return manager.findOneOrFail(Panel, { where: { id }, lock: { mode } });
  }

  private async latestPanel(manager: EntityManager, applicationId: string, round: number): Promise<Panel> {
    const panel = await manager.findOne(Panel, { where: { applicationId, round }, order: { drawnAt: 'DESC' } });
    if (!panel) throw ReviewErrors.panelNotFound(applicationId);
    return panel;
  }

  private async view(manager: EntityManager, panel: Panel): Promise<PanelView> {
    const assignments = await manager.find(Assignment, {
      where: { panelId: panel.id },
      order: { drawPosition: 'ASC' },
    });
    const users = await manager.find(User, { where: { id: In(assignments.map((a) => a.expertId)) } });
    const seated = assignments.filter((a) => a.active);
    const sealed = panel.status === 'open' && (seated.length === 0 || seated.some((a) => a.scoredAt === null));
    const scores = sealed ? [] : await manager.find(Score, { where: { assignmentId: In(assignments.map((a) => a.id)) } });
    const sheets: ScoreSheet[] = seated
      .filter((a) => a.scoredAt !== null)
      .map((a) => Object.fromEntries(scores.filter((s) => s.assignmentId === a.id).map((s) => [s.criterion, s.value])));
    return {
      panel,
      seats: assignments.map((a) =>
        Object.assign(a, {
          expertName: users.find((u) => u.id === a.expertId)?.name ?? '',
          scores: sealed || a.scoredAt === null ? null : scores.filter((s) => s.assignmentId === a.id),
        }),
      ),
      sealed,
      vacancies: Math.max(0, panel.rubric.members - seated.length),
      result: sealed ? null : aggregate(panel.rubric, sheets),
    };
  }

  /** Every expert seated (member or reserve) on the dossier's panels so far, whichever round. */
  private async expertsWhoSat(manager: EntityManager, applicationId: string): Promise<Set<string>> {
    const rows = await manager
      .createQueryBuilder(Assignment, 'a')
      .innerJoin(Panel, 'p', 'p.id = a.panel_id')
      .select('a.expert_id', 'expertId')
      .where('p.application_id = :applicationId', { applicationId })
      .getRawMany<{ expertId: string }>();
    return new Set(rows.map((r) => r.expertId));
  }

  /** Every expert with what the draw checks: profile, seats this year, panels they sat on for this applicant. */
  private async poolForDraw(manager: EntityManager, organisationId: string): Promise<PoolExpert[]> {
    const users = await manager.find(User, { where: { role: 'expert', disabled: false } });
    const ids = users.map((u) => u.id);
    const profiles = await manager.find(ExpertProfile, { where: { userId: In(ids) } });
    const seats = await this.seatsThisYear(manager, ids);
    const past = await manager
      .createQueryBuilder(Assignment, 'a')
      .innerJoin(Panel, 'p', 'p.id = a.panel_id')
      .select('a.expert_id', 'expertId')
      .addSelect('p.drawn_at', 'drawnAt')
      .where('p.organisation_id = :organisationId', { organisationId })
      .andWhere('a.active')
      .getRawMany<{ expertId: string; drawnAt: Date }>();
    return users.map((user) => {
      const profile = profiles.find((p) => p.userId === user.id);
      return {
        id: user.id,
        expertise: user.expertise,
        employer: { name: user.employerName, creditCode: user.employerCreditCode },
        county: profile?.county ?? null,
        available: profile?.available ?? true,
        yearlyCap: profile?.yearlyCap ?? DEFAULT_YEARLY_CAP,
        reviewsThisYear: seats.get(user.id) ?? 0,
        declaredLinks: profile?.declaredLinks ?? [],
        pastPanels: past.filter((p) => p.expertId === user.id).map((p) => ({ organisationId, drawnOn: shanghaiDay(new Date(p.drawnAt)) })),
      };
    });
  }

  /** Seats taken this calendar year (Asia/Shanghai): members and called-in reserves, not seats left by a conflict. */
  private async seatsThisYear(manager: EntityManager, expertIds: string[]): Promise<Map<string, number>> {
    if (expertIds.length === 0) return new Map();
    const yearStart = new Date(`${shanghaiDay(this.clock.now()).slice(0, 4)}-01-01T00:00:00+08:00`);
    const rows = await manager
      .createQueryBuilder(Assignment, 'a')
      .innerJoin(Panel, 'p', 'p.id = a.panel_id')
      .select('a.expert_id', 'expertId')
      .addSelect('count(*)::int', 'seats')
      .where('a.expert_id IN (:...expertIds)', { expertIds })
      .andWhere('a.active')
      .andWhere('p.drawn_at >= :yearStart', { yearStart })
      .groupBy('a.expert_id')
      .getRawMany<{ expertId: string; seats: number }>();
    return new Map(rows.map((r) => [r.expertId, Number(r.seats)]));
  }
}

function drawDossier(dossier: DossierFacts): DossierForDraw {
  return {
    applicationId: dossier.applicationId,
    organisationId: dossier.organisationId,
    applicant: { name: dossier.applicant.name, creditCode: dossier.applicant.creditCode },
    hostUnit: dossier.hostUnit,
    county: dossier.county,
    industries: dossier.industries,
  };
}

function expertView(assignment: Assignment, panel: Panel, scores: Score[]): AssignmentView {
  return {
    assignment,
    panel: {
      id: panel.id,
      applicationId: panel.applicationId,
      round: panel.round,
      status: panel.status,
      dossier: panel.dossier,
      rubric: panel.rubric,
    },
    ownScores: scores.filter((s) => s.assignmentId === assignment.id),
  };
}

/** The checks class-validator cannot make on a rubric: unique codes, ranges, weights, seats. */
function checkRubric(rubric: Rubric): void {
  const codes = new Set<string>();
  for (const c of rubric.criteria) {
    if (codes.has(c.code)) throw ReviewErrors.invalidRubric(`duplicate criterion ${c.code}`);
    codes.add(c.code);
    if (!(c.max > c.min)) throw ReviewErrors.invalidRubric(`${c.code}: max must exceed min`);
    if (!(c.weight > 0)) throw ReviewErrors.invalidRubric(`${c.code}: weight must be positive`);
  }
  if (rubric.criteria.length === 0) throw ReviewErrors.invalidRubric('no criteria');
}
