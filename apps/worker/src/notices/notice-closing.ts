import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ApplicationsModule, ApplicationsService } from '@app/applications';
import type { Actor } from '@app/identity';
import { NOTICE_CLOSE_TIMER, NoticesModule, NoticesService, OBJECTOR_PURGE_TIMER } from '@app/notices';
import { type NotificationTimer, NotificationsModule, type TimerOutcome, TimersService } from '@app/notifications';

/**
 * The end of a public notice: when its timer fires (24:00 Beijing time of its last working day),
 * every candidate still listed moves on through close_notice, and the notice is marked closed,
 * all in the timer's transaction. Candidates taken off by an upheld objection have moved already.
 * Later, the purge timer erases the objectors' personal data after its retention period.
 */
@Injectable()
export class NoticeClosing implements OnModuleInit {
  constructor(
    private readonly timers: TimersService,
    private readonly notices: NoticesService,
    private readonly applications: ApplicationsService,
  ) {}

  onModuleInit(): void {
    this.timers.registerHandler(NOTICE_CLOSE_TIMER, (timer, manager) => this.close(timer, manager));
    this.timers.registerHandler(OBJECTOR_PURGE_TIMER, (timer, manager) => this.purge(timer, manager));
  }

  /** The objectors' personal data, erased once the notice's objections are closed and the retention period has run. */
  private async purge(timer: NotificationTimer, manager: EntityManager): Promise<TimerOutcome> {
    const result = await this.notices.purgeObjectorData(manager, timer.subjectId);
    return 'purged' in result
      ? { fired: true, outcome: `purged ${result.purged}` }
      : { fired: false, outcome: `retention runs until ${result.waitingUntil.toISOString()}: rescheduled` };
  }

  private async close(timer: NotificationTimer, manager: EntityManager): Promise<TimerOutcome> {
    const due = await this.notices.dueForClosing(manager, timer.subjectId);
    if (due.state === 'gone') return { fired: false, outcome: 'notice already closed' };
    if (due.state === 'early') {
      await this.notices.rescheduleClose(manager, due.notice);
      return { fired: false, outcome: 'before the end of the notice: rescheduled' };
    }
    // The transitions are the publishing officer's, taken on their behalf by the timer (the notice's audit row says so).
    const actor: Actor = {
      userId: due.notice.publishedBy,
      role: 'bureau_officer',
      organisationId: null,
      regionCode: null,
      sessionId: timer.id,
      ip: null,
    };
    for (const id of due.applicationIds) {
      await this.applications.actWithin(
        manager,
        actor,
        id,
        'close_notice',
        { objectionUpheld: false, comment: '公示期满。The notice period ended.' },
        null,
      );
    }
    await this.notices.markClosed(manager, due.notice, due.applicationIds.length);
    return { fired: true, outcome: `closed ${due.applicationIds.length}` };
  }
}

/** What the worker needs to close notices: the notices lib and the dossiers' transitions. */
@Module({
  imports: [NoticesModule, ApplicationsModule, NotificationsModule],
  providers: [NoticeClosing],
})
export class NoticeClosingModule {}
