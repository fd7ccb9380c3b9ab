import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ApplicationsService, CallsService } from '@app/applications';
import { inTransaction } from '@app/database';
import type { Actor } from '@app/identity';
import {
  DEFAULT_NOTICE_DAYS,
  NoticeErrors,
  type NoticeWithCandidates,
  NoticesService,
  type Objection,
  type ObjectionDecision,
} from '@app/notices';

/**
 * Where the applications and notices libs meet (one floor, neither imports the other): a notice
 * and its candidates' transitions commit together, through ApplicationsService.actWithin in one
 * transaction; each transition hands the notices lib its `notice` effect to check and record.
 */
@Injectable()
export class NoticeProcedure {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly applications: ApplicationsService,
    private readonly calls: CallsService,
    private readonly notices: NoticesService,
  ) {}

  /** Publishes the call's approved candidates for the call's notice period: all of them enter public_notice, or none. */
  async publish(actor: Actor, input: { callId: string; applicationIds: string[]; title?: string }): Promise<NoticeWithCandidates> {
    const call = await this.calls.get(actor, input.callId);
    if (input.applicationIds.length === 0) throw NoticeErrors.noCandidates();
    const days = call.stageDurations.public_notice ?? DEFAULT_NOTICE_DAYS;
    return inTransaction(this.dataSource, async (manager) => {
      const notice = await this.notices.open(manager, actor, {
        callId: call.id,
        title: input.title ?? `${call.title}拟认定名单公示`,
        days,
      });
      for (const id of input.applicationIds) {
        const app = await this.applications.getAccessible(actor, id, manager);
        if (app.callId !== call.id) throw NoticeErrors.candidateNotInCall(id);
        await this.applications.actWithin(manager, actor, id, 'publish_notice', { noticeId: notice.id }, null);
      }
      return this.notices.get(notice.id, manager);
    });
  }

  /** Records the investigation; an upheld objection takes its candidate off the notice (back to decision, or rejected) at once. */
  async decideObjection(actor: Actor, noticeId: string, objectionId: string, decision: ObjectionDecision): Promise<Objection> {
    return inTransaction(this.dataSource, async (manager) => {
      const objection = await this.notices.decideObjection(manager, actor, noticeId, objectionId, decision);
      if (objection.status !== 'upheld') return objection;
      const app = await this.applications.getAccessible(actor, objection.applicationId, manager);
      // Another upheld objection may have moved the candidate already.
      if (app.stage === 'public_notice' || app.stage === 'notice_closed') {
        await this.applications.actWithin(
          manager,
          actor,
          app.id,
          'uphold_objection',
          { objectionOutcome: objection.upheldOutcome ?? 'decision', comment: objection.resolution ?? undefined },
          null,
        );
      }
      return objection;
    });
  }
}
