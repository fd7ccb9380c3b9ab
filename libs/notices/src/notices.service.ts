import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In, IsNull } from 'typeorm';
import { AuditService } from '@app/audit';
import { CalendarService, Clock, type Page, type PageQuery, endOfDayIn, offsetOf, pageOf, shanghaiDay } from '@app/common';
import { inTransaction } from '@app/database';
import { type Actor, OrganisationsService } from '@app/identity';
import { TimersService } from '@app/notifications';
import { ReferenceService } from '@app/reference';
import type { DossierSubject } from '@app/workflow';
import { NoticeCandidate } from './notice-candidate.entity';
import { Notice } from './notice.entity';
import { NoticeErrors } from './notices.errors';
import { Objection, type ObjectorType } from './objection.entity';

export const NOTICE_CLOSE_TIMER = 'notice.close';
export const OBJECTOR_PURGE_TIMER = 'notice.objector_purge';
/**
 * How long an objector's name, unit, contact and sealed letter are kept once every objection of the
 * notice is closed: six months, the time within which the recognition decision can be taken to court
 * (《行政诉讼法》第四十六条), during which the investigation may have to be shown. The period is this
 * project's choice (`assumption`): no Wenzhou or Zhejiang rule on it was found.
 */
export const OBJECTOR_DATA_RETENTION_DAYS = 183;
/** While an objection is still open after the notice closed, the purge looks again this often. */
const PURGE_RECHECK_DAYS = 7;
const DAY_MS = 86_400_000;
export const DEFAULT_NOTICE_DAYS = 5;
export const OBJECTION_TEXT = { min: 10, max: 5000 };
/** A sealed letter is a scan of a page or two. */
export const LETTER_MAX_BYTES = 5 * 1_048_576;

export interface NoticeInput {
  callId: string;
  title: string;
  /** Working days, from the call (`stageDurations.public_notice`). */
  days: number;
}

export interface ObjectionInput {
  candidateId: string;
  objectorType: ObjectorType;
  name?: string;
  organisationName?: string;
  contact?: string;
  text: string;
}

export interface ObjectionDecision {
  decision: 'upheld' | 'dismissed';
  /** Upheld: the candidate goes back to decision (default) or is rejected. */
  outcome?: 'decision' | 'rejected';
  resolution: string;
}

export interface NoticeWithCandidates {
  notice: Notice;
  candidates: NoticeCandidate[];
}

/** A mobile number, a landline (with area code, optional extension) or an email address. */
const CONTACT = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|[^\s@]{1,64}@[^\s@]{1,180}\.[A-Za-z]{2,24})$/;
/** Receipts: digits and letters without look-alikes (0/O, 1/I/L). */
const RECEIPT_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/**
 * Public notices (公示) and their objections (异议). The dossiers' transitions stay the applications
 * lib's: the app layer publishes and closes candidates through them, and this lib checks and
 * records each step when the transition hands it its `notice` effect (NoticeEffects).
 */
@Injectable()
export class NoticesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly calendar: CalendarService,
    private readonly timers: TimersService,
    private readonly organisations: OrganisationsService,
    private readonly reference: ReferenceService,
    private readonly clock: Clock,
  ) {}

  /**
   * Opens a notice in the caller's transaction: its period counts `days` working days from the day
   * of publication (that day included when it is a working day) and ends at 24:00 Beijing time of
   * the last one, when its timer closes it.
   */
  async open(manager: EntityManager, actor: Actor, input: NoticeInput): Promise<Notice> {
    const now = this.clock.now();
    const calendar = await this.calendar.load();
    const firstDay = calendar.addWorkingDays(shanghaiDay(now), 0);
    const lastDay = calendar.addWorkingDays(firstDay, input.days - 1);
    const notice = manager.create(Notice, {
      id: randomUUID(),
      callId: input.callId,
      title: input.title,
      days: input.days,
      firstDay,
      lastDay,
      closesAt: endOfDay(lastDay),
      status: 'open',
      publishedBy: actor.userId,
      publishedAt: now,
      closedAt: null,
    });
    await manager.insert(Notice, notice);
    await this.timers.schedule(manager, {
      id: closeTimerId(notice.id),
      kind: NOTICE_CLOSE_TIMER,
      subjectType: 'notice',
      subjectId: notice.id,
      fireAt: notice.closesAt,
    });
    await this.audit.record(manager, actor, {
      action: 'notice.publish',
      objectType: 'notice',
      objectId: notice.id,
      summary: { callId: input.callId, days: input.days, firstDay, lastDay, closesAt: notice.closesAt.toISOString() },
    });
    return notice;
  }

  /** The `join` step of a dossier's publish_notice: the candidate as the public page shows it. */
  async join(manager: EntityManager, dossier: DossierSubject, noticeId: string | undefined): Promise<void> {
    if (!noticeId) throw NoticeErrors.publishThroughNotice();
    const notice = await manager.findOne(Notice, { where: { id: noticeId } });
    if (!notice || notice.status !== 'open') throw NoticeErrors.publishThroughNotice();
    const organisation = await this.organisations.recordOf(manager, dossier.organisationId);
    const regions = await this.reference.listRegions(this.clock.now());
    const position = await manager.count(NoticeCandidate, { where: { noticeId } });
    await manager.insert(NoticeCandidate, {
      id: randomUUID(),
      noticeId,
      applicationId: dossier.id,
      position: position + 1,
      number: dossier.number,
      name: dossier.name,
      platformType: dossier.platformType,
      level: dossier.level,
      regionCode: dossier.regionCode,
      countyName: regions.find((r) => r.code === dossier.regionCode)?.nameZh ?? dossier.regionCode,
      hostOrganisationName: organisation?.name ?? '',
      outcome: 'listed',
    });
  }

  /**
   * The `leave` step of close_notice: refused before the notice's end. An upheld objection takes its
   * candidate off through its own decision, so closing never claims one.
   */
  async leave(manager: EntityManager, applicationId: string, objectionUpheld: boolean | undefined): Promise<void> {
    if (objectionUpheld) throw NoticeErrors.upholdThroughObjection();
    const candidate = await this.listedCandidate(manager, applicationId);
    const notice = await manager.findOneOrFail(Notice, { where: { id: candidate.noticeId } });
    if (this.clock.now() < notice.closesAt) throw NoticeErrors.notEnded(notice.closesAt);
    await manager.update(NoticeCandidate, { id: candidate.id }, { outcome: 'closed' });
  }

  /** The `uphold` step: only an upheld objection takes a candidate off its notice or out of its recognition. */
  async uphold(manager: EntityManager, applicationId: string): Promise<void> {
    const upheld = await manager.count(Objection, { where: { applicationId, status: 'upheld' } });
    if (upheld === 0) throw NoticeErrors.noUpheldObjection(applicationId);
    await manager.update(NoticeCandidate, { applicationId, outcome: 'listed' }, { outcome: 'upheld' });
  }

  /** The `recognise` step: every objection of the candidate is closed first. */
  async checkRecognition(manager: EntityManager, applicationId: string): Promise<void> {
    const open = await manager.count(Objection, { where: { applicationId, status: 'open' } });
    if (open > 0) throw NoticeErrors.objectionsOpen(open);
  }

  private async listedCandidate(manager: EntityManager, applicationId: string): Promise<NoticeCandidate> {
    const candidate = await manager.findOne(NoticeCandidate, { where: { applicationId, outcome: 'listed' } });
    if (!candidate) throw NoticeErrors.notOnNotice(applicationId);
    return candidate;
  }

  /**
   * For the close timer, in its transaction: the notice locked and, once its end has come, the
   * dossiers still listed on it. `early` when the timer fired before the end (a clock running ahead).
   */
  async dueForClosing(
    manager: EntityManager,
    noticeId: string,
  ): Promise<{ state: 'gone' } | { state: 'early'; notice: Notice } | { state: 'due'; notice: Notice; applicationIds: string[] }> {
    const notice = await manager.findOne(Notice, { where: { id: noticeId }, lock: { mode: 'pessimistic_write' } });
    if (!notice || notice.status !== 'open') return { state: 'gone' };
    if (this.clock.now() < notice.closesAt) return { state: 'early', notice };
    const listed = await manager.find(NoticeCandidate, { where: { noticeId, outcome: 'listed' }, order: { position: 'ASC' } });
    return { state: 'due', notice, applicationIds: listed.map((c) => c.applicationId) };
  }

  /** Marks the notice closed (its candidates have moved on in the same transaction), audited as the timer's act. */
  async markClosed(manager: EntityManager, notice: Notice, candidates: number): Promise<void> {
    const now = this.clock.now();
    await manager.update(Notice, { id: notice.id }, { status: 'closed', closedAt: now });
    // The objectors' personal data goes once the retention period has run (the timer checks it then).
    await this.schedulePurge(manager, notice.id, new Date(notice.closesAt.getTime() + OBJECTOR_DATA_RETENTION_DAYS * DAY_MS));
    await this.audit.record(
      manager,
      { userId: null, role: 'system', ip: null },
      {
        action: 'notice.close',
        objectType: 'notice',
        objectId: notice.id,
        summary: { by: 'timer', closesAt: notice.closesAt.toISOString(), candidates },
      },
    );
  }

  /**
   * For the purge timer, in its transaction: erases the personal data of the notice's objectors once
   * every objection is closed and OBJECTOR_DATA_RETENTION_DAYS have passed since the last was decided.
   * Keeps the receipt, the text, the outcome and the resolution; the audit row records the purge.
   * Before then it schedules itself again for the day it becomes due.
   */
  async purgeObjectorData(manager: EntityManager, noticeId: string): Promise<{ purged: number } | { waitingUntil: Date }> {
    const notice = await manager.findOne(Notice, { where: { id: noticeId }, lock: { mode: 'pessimistic_write' } });
    if (!notice) return { purged: 0 };
    const kept = await manager.find(Objection, { where: { noticeId, personalDataPurgedAt: IsNull() }, order: { lodgedAt: 'ASC' } });
    if (kept.length === 0) return { purged: 0 };
    const now = this.clock.now();
    const lastDecided = Math.max(notice.closesAt.getTime(), ...kept.map((o) => o.decidedAt?.getTime() ?? 0));
    const due = kept.some((o) => o.status === 'open')
      ? new Date(now.getTime() + PURGE_RECHECK_DAYS * DAY_MS)
      : new Date(lastDecided + OBJECTOR_DATA_RETENTION_DAYS * DAY_MS);
    if (notice.status !== 'closed' || now < due) {
      await this.schedulePurge(manager, notice.id, due);
      return { waitingUntil: due };
    }
    await manager.update(
      Objection,
      { id: In(kept.map((o) => o.id)) },
      { objectorName: null, organisationName: null, contact: null, letter: null, personalDataPurgedAt: now },
    );
    await this.audit.record(
      manager,
      { userId: null, role: 'system', ip: null },
      {
        action: 'notice.objector_data_purged',
        objectType: 'notice',
        objectId: notice.id,
        summary: { by: 'timer', retentionDays: OBJECTOR_DATA_RETENTION_DAYS, receipts: kept.map((o) => o.receipt) },
      },
    );
    return { purged: kept.length };
  }

  private async schedulePurge(manager: EntityManager, noticeId: string, fireAt: Date): Promise<void> {
    await this.timers.schedule(manager, {
      id: `notice.objector_purge.${noticeId}.${fireAt.getTime()}`,
      kind: OBJECTOR_PURGE_TIMER,
      subjectType: 'notice',
      subjectId: noticeId,
      fireAt,
    });
  }

  /** A timer that fired before the end (a clock ahead of the database's) comes back at the end. */
  async rescheduleClose(manager: EntityManager, notice: Notice): Promise<void> {
    await this.timers.schedule(manager, {
      id: `${closeTimerId(notice.id)}.${this.clock.now().getTime()}`,
      kind: NOTICE_CLOSE_TIMER,
      subjectType: 'notice',
      subjectId: notice.id,
      fireAt: notice.closesAt,
    });
  }

  async list(page: PageQuery, onlyOpen = false): Promise<Page<NoticeWithCandidates>> {
    const [notices, total] = await this.dataSource.manager.findAndCount(Notice, {
      where: onlyOpen ? { status: 'open' } : {},
      order: { publishedAt: 'DESC', id: 'ASC' },
      skip: offsetOf(page),
      take: page.pageSize,
    });
    const items: NoticeWithCandidates[] = [];
    for (const notice of notices) items.push({ notice, candidates: await this.candidatesOf(this.dataSource.manager, notice.id) });
    return pageOf(items, total, page);
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<NoticeWithCandidates> {
    const notice = await manager.findOne(Notice, { where: { id } });
    if (!notice) throw NoticeErrors.notFound(id);
    return { notice, candidates: await this.candidatesOf(manager, id) };
  }

  private candidatesOf(manager: EntityManager, noticeId: string): Promise<NoticeCandidate[]> {
    return manager.find(NoticeCandidate, { where: { noticeId }, order: { position: 'ASC' } });
  }

  /**
   * An objection from the public, during the period only: a person gives a real name and a contact,
   * an organisation its name, a contact person and a contact. The answer is the receipt alone.
   */
  async lodgeObjection(noticeId: string, input: ObjectionInput, ip: string | null): Promise<{ receipt: string; lodgedAt: Date }> {
    const missing: string[] = [];
    const name = input.name?.trim() ?? '';
    const contact = input.contact?.trim() ?? '';
    const organisationName = input.organisationName?.trim() ?? '';
    if (!name) missing.push('name');
    if (!contact) missing.push('contact');
    if (input.objectorType === 'organisation' && !organisationName) missing.push('organisationName');
    const text = input.text.trim();
    return inTransaction(this.dataSource, async (manager) => {
      const now = this.clock.now();
      const notice = await manager.findOne(Notice, { where: { id: noticeId } });
      if (!notice) throw NoticeErrors.notFound(noticeId);
      if (notice.status !== 'open' || now >= notice.closesAt) throw NoticeErrors.closed(notice.closesAt);
      const candidate = await manager.findOne(NoticeCandidate, { where: { id: input.candidateId, noticeId } });
      if (!candidate) throw NoticeErrors.candidateNotFound(input.candidateId);
      if (missing.length > 0) throw NoticeErrors.anonymous(missing);
      if (!CONTACT.test(contact)) throw NoticeErrors.invalidContact();
      if (text.length < OBJECTION_TEXT.min || text.length > OBJECTION_TEXT.max) {
        throw NoticeErrors.textLength(OBJECTION_TEXT.min, OBJECTION_TEXT.max, text.length);
      }
      const objection = manager.create(Objection, {
        id: randomUUID(),
        noticeId,
        candidateId: candidate.id,
        applicationId: candidate.applicationId,
        receipt: receiptNumber(now),
        objectorType: input.objectorType,
        objectorName: name,
        organisationName: input.objectorType === 'organisation' ? organisationName : null,
        contact,
        text,
        letter: null,
        letterReceivedAt: null,
        status: 'open',
        upheldOutcome: null,
        resolution: null,
        decidedBy: null,
        decidedAt: null,
        lodgedAt: now,
      });
      await manager.insert(Objection, objection);
      // Ids and the receipt only: the objector's identity stays in its row, for the investigating officers.
      await this.audit.record(
        manager,
        { userId: null, role: 'public', ip },
        {
          action: 'notice.objection',
          objectType: 'notice',
          objectId: noticeId,
          summary: { objectionId: objection.id, receipt: objection.receipt },
        },
      );
      return { receipt: objection.receipt, lodgedAt: now };
    });
  }

  /**
   * An organisation's sealed letter, sent with the objection's receipt during the period, once. The
   * caller has checked the bytes are a PDF within LETTER_MAX_BYTES.
   */
  async attachLetter(noticeId: string, receipt: string, letter: Buffer, ip: string | null): Promise<{ receivedAt: Date }> {
    return inTransaction(this.dataSource, async (manager) => {
      const now = this.clock.now();
      const notice = await manager.findOne(Notice, { where: { id: noticeId } });
      if (!notice) throw NoticeErrors.notFound(noticeId);
      const objection = await manager.findOne(Objection, { where: { noticeId, receipt }, lock: { mode: 'pessimistic_write' } });
      if (!objection) throw NoticeErrors.objectionNotFound(receipt);
      if (notice.status !== 'open' || now >= notice.closesAt) throw NoticeErrors.closed(notice.closesAt);
      if (objection.objectorType !== 'organisation') throw NoticeErrors.letterNotForPerson();
      if (objection.letterReceivedAt) throw NoticeErrors.letterExists();
      await manager.update(Objection, { id: objection.id }, { letter, letterReceivedAt: now });
      await this.audit.record(
        manager,
        { userId: null, role: 'public', ip },
        {
          action: 'notice.objection_letter',
          objectType: 'notice',
          objectId: noticeId,
          summary: { objectionId: objection.id, bytes: letter.length },
        },
      );
      return { receivedAt: now };
    });
  }

  /** The sealed letter, for the investigating officers; each read audited. */
  async letter(actor: Actor, noticeId: string, objectionId: string): Promise<Buffer> {
    return inTransaction(this.dataSource, async (manager) => {
      const objection = await manager.findOne(Objection, {
        where: { id: objectionId, noticeId },
        select: { id: true, letter: true },
      });
      if (!objection) throw NoticeErrors.objectionNotFound(objectionId);
      if (!objection.letter) throw NoticeErrors.letterMissing(objectionId);
      await this.audit.record(manager, actor, {
        action: 'notice.objection_letter_read',
        objectType: 'notice',
        objectId: noticeId,
        summary: { objectionId },
      });
      return objection.letter;
    });
  }

  /** Every objection of a notice with the objector's identity: for the bureau officers who investigate; each read audited. */
  async objections(actor: Actor, noticeId: string): Promise<Objection[]> {
    return inTransaction(this.dataSource, async (manager) => {
      const notice = await manager.findOne(Notice, { where: { id: noticeId } });
      if (!notice) throw NoticeErrors.notFound(noticeId);
      const objections = await manager.find(Objection, { where: { noticeId }, order: { lodgedAt: 'ASC', id: 'ASC' } });
      await this.audit.record(manager, actor, {
        action: 'notice.objections_read',
        objectType: 'notice',
        objectId: noticeId,
        summary: { objections: objections.length },
      });
      return objections;
    });
  }

  /** Records the investigation's outcome in the caller's transaction; the app layer then moves an upheld objection's candidate. */
  async decideObjection(
    manager: EntityManager,
    actor: Actor,
    noticeId: string,
    objectionId: string,
    decision: ObjectionDecision,
  ): Promise<Objection> {
    const objection = await manager.findOne(Objection, { where: { id: objectionId, noticeId }, lock: { mode: 'pessimistic_write' } });
    if (!objection) throw NoticeErrors.objectionNotFound(objectionId);
    if (objection.status !== 'open') throw NoticeErrors.alreadyDecided(objection.status);
    const resolution = decision.resolution.trim();
    if (!resolution) throw NoticeErrors.resolutionRequired();
    const changes: Partial<Objection> = {
      status: decision.decision,
      upheldOutcome: decision.decision === 'upheld' ? (decision.outcome ?? 'decision') : null,
      resolution,
      decidedBy: actor.userId,
      decidedAt: this.clock.now(),
    };
    await manager.update(Objection, { id: objectionId }, changes);
    await this.audit.record(manager, actor, {
      action: `notice.objection_${decision.decision}`,
      objectType: 'notice',
      objectId: noticeId,
      summary: { objectionId, applicationId: objection.applicationId, outcome: changes.upheldOutcome },
    });
    return Object.assign(objection, changes);
  }
}

export function closeTimerId(noticeId: string): string {
  return `notice.close.${noticeId}`;
}

/** 24:00 Beijing time at the end of `day`. */
export function endOfDay(day: string): Date {
  return endOfDayIn(day, 'Asia/Shanghai');
}

function receiptNumber(now: Date): string {
  const bytes = randomBytes(8);
  const code = Array.from(bytes, (b) => RECEIPT_ALPHABET[b % RECEIPT_ALPHABET.length]).join('');
  return `${shanghaiDay(now).slice(2, 4)}-${code}`;
}
