import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CalendarService, type WorkingDayCalendar, shanghaiDay } from '@app/common';
import { type MailRecipient, NotificationsService } from './notifications.service';
import type { MailEvent } from './templates';
import type { NotificationTimer } from './timer.entity';
import { type TimerOutcome, type TimerRequest, TimersService } from './timers.service';

/** What the owner of a deadline says about it when a reminder fires. */
export interface DeadlineSubject {
  /** False once the object has moved past the stage: reminders stop. */
  open: boolean;
  label: string;
  stageLabel: string;
  remind: MailRecipient[];
  escalate: MailRecipient[];
  /**
   * The owner's own mails instead of the generic deadline ones (e.g. an expert's review task):
   * the events, and variables added to the reminder's and the escalation's data.
   */
  mail?: { reminder: MailEvent; escalation: MailEvent; data: Record<string, unknown> };
}

/** Registered per subject type (e.g. `application`) by the lib that owns it. */
export type DeadlineSubjectResolver = (manager: EntityManager, subjectId: string, stage: string) => Promise<DeadlineSubject | null>;

/** Offsets in working days around the deadline, and how many reminders before escalating. */
export interface ReminderPolicy {
  before: number[];
  after: number[];
  maxReminders: number;
}

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = { before: [3, 1], after: [1, 3], maxReminders: 3 };

export interface DeadlinePlan {
  subjectType: string;
  subjectId: string;
  stage: string;
  /** Last working day to act, YYYY-MM-DD, Asia/Shanghai. */
  deadline: string;
  policy?: ReminderPolicy;
  /** Tells apart two visits of the same stage (a resubmission, an upheld objection): part of the timer ids. */
  occurrence?: string;
  /** Cancel the subject's other scheduled timers in the same statement (it left its previous deadline). */
  replacing?: boolean;
}

const KIND = 'deadline.reminder';
/** Reminders go out at 09:00 Beijing time on their working day. */
const SEND_AT = 'T09:00:00+08:00';

/** When the reminder `offset` working days from the deadline goes out. */
function reminderTime(calendar: WorkingDayCalendar, deadline: string, offset: number): Date {
  return new Date(`${offset === 0 ? deadline : calendar.addWorkingDays(deadline, offset)}${SEND_AT}`);
}

/**
 * Deadline reminders on the official working-day calendar: timers at working-day offsets before
 * and after the deadline, a cap on reminders, then one escalation to the supervising role. When a
 * timer fires, the owner re-reads the object; if it has moved on, nothing is sent.
 */
@Injectable()
export class DeadlinesService implements OnModuleInit {
  private readonly subjects = new Map<string, DeadlineSubjectResolver>();

  constructor(
    private readonly timers: TimersService,
    private readonly notifications: NotificationsService,
    private readonly calendar: CalendarService,
  ) {}

  onModuleInit(): void {
    this.timers.registerHandler(KIND, (timer, manager) => this.fire(timer, manager));
  }

  registerSubject(subjectType: string, resolver: DeadlineSubjectResolver): void {
    this.subjects.set(subjectType, resolver);
  }

  /**
   * Plans the reminders of one stage's deadline in the caller's transaction and returns the whole
   * schedule. Only the first timer is stored now; each one schedules the next when it fires, so a
   * transition costs one timer, and a dossier that moved on ends its chain. Planning twice changes nothing.
   */
  async plan(manager: EntityManager, plan: DeadlinePlan): Promise<{ id: string; fireAt: Date; escalate: boolean }[]> {
    const policy = plan.policy ?? DEFAULT_REMINDER_POLICY;
    const offsets = [...[...policy.before].sort((a, b) => b - a).map((n) => -n), ...[...policy.after].sort((a, b) => a - b)].slice(
      0,
      policy.maxReminders + 1,
    );
    const chain: Chain = {
      subjectType: plan.subjectType,
      subjectId: plan.subjectId,
      stage: plan.stage,
      occurrence: plan.occurrence ?? '',
      deadline: plan.deadline,
      offsets,
      maxReminders: policy.maxReminders,
    };
    const schedule = await this.schedule(plan.deadline, offsets);
    if (schedule.length > 0) await this.scheduleStep(manager, chain, 0, schedule[0], plan.replacing === true);
    return schedule.map((fireAt, index) => ({ id: timerId(chain, index), fireAt, escalate: index >= policy.maxReminders }));
  }

  private async schedule(deadline: string, offsets: number[]): Promise<Date[]> {
    const calendar = await this.calendar.load();
    return offsets.map((offset) => reminderTime(calendar, deadline, offset));
  }

  private scheduleStep(manager: EntityManager, chain: Chain, index: number, fireAt: Date, replacing: boolean): Promise<boolean> {
    const request = this.stepRequest(chain, index, fireAt);
    return replacing ? this.timers.replaceFor(manager, request) : this.timers.schedule(manager, request);
  }

  private stepRequest(chain: Chain, index: number, fireAt: Date): TimerRequest {
    return {
      id: timerId(chain, index),
      kind: KIND,
      subjectType: chain.subjectType,
      subjectId: chain.subjectId,
      fireAt,
      payload: {
        stage: chain.stage,
        occurrence: chain.occurrence,
        deadline: chain.deadline,
        index,
        offsets: chain.offsets.join(','),
        maxReminders: chain.maxReminders,
      },
    };
  }

  private async fire(timer: NotificationTimer, manager: EntityManager): Promise<TimerOutcome> {
    const resolver = this.subjects.get(timer.subjectType);
    if (!resolver) return { fired: false, outcome: `no deadline owner for ${timer.subjectType}` };
    const stage = String(timer.payload.stage);
    const subject = await resolver(manager, timer.subjectId, stage);
    if (!subject || !subject.open) return { fired: false, outcome: 'moved on: nothing to remind' };
    const deadline = String(timer.payload.deadline);
    const index = Number(timer.payload.index);
    const maxReminders = Number(timer.payload.maxReminders);
    const offsets = String(timer.payload.offsets).split(',').map(Number);
    const about = { type: timer.subjectType, id: timer.subjectId };
    if (index >= maxReminders) {
      await this.notifications.enqueueMail(manager, {
        event: subject.mail?.escalation ?? 'deadline.escalation',
        to: subject.escalate,
        data: { subjectLabel: subject.label, stageLabel: subject.stageLabel, deadline, reminders: maxReminders, ...subject.mail?.data },
        about,
      });
      return { fired: true, outcome: `escalated to ${subject.escalate.length}` };
    }
    await this.notifications.enqueueMail(manager, {
      event: subject.mail?.reminder ?? 'deadline.reminder',
      to: subject.remind,
      data: {
        subjectLabel: subject.label,
        stageLabel: subject.stageLabel,
        deadline,
        overdue: shanghaiDay(new Date()) > deadline,
        reminderNumber: index + 1,
        ...subject.mail?.data,
      },
      about,
    });
    if (index + 1 < offsets.length) {
      const [next] = await this.schedule(deadline, [offsets[index + 1]]);
      const chain: Chain = {
        subjectType: timer.subjectType,
        subjectId: timer.subjectId,
        stage,
        occurrence: String(timer.payload.occurrence ?? ''),
        deadline,
        offsets,
        maxReminders,
      };
      await this.scheduleStep(manager, chain, index + 1, next, false);
    }
    return { fired: true, outcome: `reminded ${subject.remind.length}` };
  }
}

interface Chain {
  subjectType: string;
  subjectId: string;
  stage: string;
  occurrence: string;
  deadline: string;
  offsets: number[];
  maxReminders: number;
}

function timerId(chain: Chain, index: number): string {
  const visit = chain.occurrence ? `.${chain.occurrence}` : '';
  return `deadline.${chain.subjectType}.${chain.subjectId}.${chain.stage}${visit}.${index + 1}`;
}
