import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type EntityManager, In, MoreThan } from 'typeorm';
import { CalendarModule, CalendarService } from '@app/common';
import { User } from '@app/identity';
import {
  type DeadlineSubject,
  DeadlinesService,
  type MailRecipient,
  NotificationsModule,
  NotificationsService,
  type ReminderPolicy,
} from '@app/notifications';
import { Assignment } from './assignment.entity';
import { Inspection } from './inspection.entity';
import { Panel, type PanelDossierLabel } from './panel.entity';
import { DEFAULT_REVIEW_DAYS, type Rubric } from './rubric';

/**
 * One reminder a working day before the due date, one a working day after, then the bureau hears
 * of it three working days after: an expert's task is days, not weeks.
 */
export const REVIEW_REMINDER_POLICY: ReminderPolicy = { before: [1], after: [1, 3], maxReminders: 2 };

export const ASSIGNMENT_SUBJECT = 'review_assignment';
export const INSPECTION_SUBJECT = 'review_inspection';

const TASKS = {
  declaration: { taskZh: '回避声明', taskEn: 'conflict declaration' },
  scoring: { taskZh: '专家评分', taskEn: 'scoring' },
  sign: { taskZh: '现场考察签字', taskEn: 'site inspection sign-off' },
} as const;

const dossierLabel = (dossier: PanelDossierLabel): string => `${dossier.number ?? ''} ${dossier.name}`.trim();

const recipient = (user: User): MailRecipient => ({ email: user.email, userId: user.id, locale: user.locale });

/**
 * The reviews' due dates and their reminders on the deadline pipeline: an expert's declaration and
 * scoring (subject `review_assignment`), an inspection team's sign-off (`review_inspection`). When a
 * timer fires the seat or the inspection is read again: a declared, scored or signed task ends its
 * reminders; an overdue one escalates to the bureau officers.
 */
@Injectable()
export class ReviewReminders implements OnModuleInit {
  constructor(
    private readonly deadlines: DeadlinesService,
    private readonly notifications: NotificationsService,
    private readonly calendar: CalendarService,
  ) {}

  onModuleInit(): void {
    this.deadlines.registerSubject(ASSIGNMENT_SUBJECT, (manager, id, stage) => this.seatSubject(manager, id, stage));
    this.deadlines.registerSubject(INSPECTION_SUBJECT, (manager, id) => this.inspectionSubject(manager, id));
  }

  /** The seat's due dates, counted in working days from `today` (the day it became active). */
  async seatDueDates(rubric: Rubric, today: string): Promise<{ declarationDue: string; scoringDue: string }> {
    const calendar = await this.calendar.load();
    return {
      declarationDue: calendar.addWorkingDays(today, rubric.declarationDays ?? DEFAULT_REVIEW_DAYS.declaration),
      scoringDue: calendar.addWorkingDays(today, rubric.scoringDays ?? DEFAULT_REVIEW_DAYS.scoring),
    };
  }

  async signDue(rubric: Rubric, visitDate: string): Promise<string> {
    const calendar = await this.calendar.load();
    return calendar.addWorkingDays(visitDate, rubric.inspectionSignDays ?? DEFAULT_REVIEW_DAYS.inspectionSign);
  }

  /** Plans the reminders of active seats, in the caller's transaction. */
  async planSeats(manager: EntityManager, seats: Pick<Assignment, 'id' | 'declarationDue' | 'scoringDue'>[]): Promise<void> {
    for (const seat of seats) {
      for (const [stage, deadline] of [
        ['declaration', seat.declarationDue],
        ['scoring', seat.scoringDue],
      ] as const) {
        if (deadline)
          await this.deadlines.plan(manager, {
            subjectType: ASSIGNMENT_SUBJECT,
            subjectId: seat.id,
            stage,
            deadline,
            policy: REVIEW_REMINDER_POLICY,
          });
      }
    }
  }

  /** Plans the sign-off reminders of an inspection; a new due date (the visit moved) replaces the old chain. */
  async planInspection(manager: EntityManager, inspection: Pick<Inspection, 'id' | 'signDue'>): Promise<void> {
    if (!inspection.signDue) return;
    await this.deadlines.plan(manager, {
      subjectType: INSPECTION_SUBJECT,
      subjectId: inspection.id,
      stage: 'sign',
      deadline: inspection.signDue,
      occurrence: inspection.signDue,
      policy: REVIEW_REMINDER_POLICY,
      replacing: true,
    });
  }

  private async seatSubject(manager: EntityManager, id: string, stage: string): Promise<DeadlineSubject | null> {
    const seat = await manager.findOne(Assignment, { where: { id } });
    if (!seat || (stage !== 'declaration' && stage !== 'scoring')) return null;
    const panel = await manager.findOne(Panel, { where: { id: seat.panelId } });
    const expert = await manager.findOne(User, { where: { id: seat.expertId } });
    if (!panel || !expert) return null;
    const open =
      panel.status === 'open' &&
      seat.active &&
      (stage === 'declaration' ? seat.declaration === 'none' : seat.declaration !== 'conflict' && seat.scoredAt === null);
    return this.subject(manager, open, stage, panel.dossier, [expert]);
  }

  private async inspectionSubject(manager: EntityManager, id: string): Promise<DeadlineSubject | null> {
    const inspection = await manager.findOne(Inspection, { where: { id } });
    if (!inspection) return null;
    const unsigned = inspection.team.filter((m) => m.signedAt === null).map((m) => m.userId);
    const users = unsigned.length > 0 ? await manager.find(User, { where: { id: In(unsigned), disabled: false } }) : [];
    // An earlier round's draft, left unsigned when the dossier was returned, is no one's task any more.
    const superseded = await manager.exists(Inspection, {
      where: { applicationId: inspection.applicationId, round: MoreThan(inspection.round) },
    });
    const panel = await manager.findOne(Panel, {
      where: { applicationId: inspection.applicationId },
      order: { round: 'DESC', drawnAt: 'DESC' },
    });
    const label: PanelDossierLabel = panel?.dossier ?? {
      number: null,
      name: inspection.applicationId,
      applicantName: '',
      platformType: '',
    };
    return this.subject(manager, inspection.status === 'draft' && !superseded && users.length > 0, 'sign', label, users);
  }

  private async subject(
    manager: EntityManager,
    open: boolean,
    stage: keyof typeof TASKS,
    dossier: PanelDossierLabel,
    people: User[],
  ): Promise<DeadlineSubject> {
    const task = TASKS[stage];
    return {
      open,
      label: dossierLabel(dossier),
      stageLabel: task.taskZh,
      remind: people.map(recipient),
      escalate: open ? await this.notifications.usersToMail(manager, { role: 'bureau_officer' }) : [],
      mail: {
        reminder: 'review.reminder',
        escalation: 'review.escalation',
        data: { ...task, dossierLabel: dossierLabel(dossier), people: people.map((p) => p.name).join('、') },
      },
    };
  }
}

/** The reviews' reminders for the worker (where timers fire), without the rest of the reviews lib. */
@Module({
  imports: [TypeOrmModule.forFeature([Assignment, Panel, Inspection, User]), NotificationsModule, CalendarModule],
  providers: [ReviewReminders],
  exports: [ReviewReminders],
})
export class ReviewRemindersModule {}
