import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { NotificationTimer } from './timer.entity';
import { notifyRelay } from './notifications.service';
import { OutboxEntry } from './outbox.entity';

export interface TimerRequest {
  /** Deterministic: the same request twice schedules one timer. Letters, digits, `.`, `_`, `-`. */
  id: string;
  kind: string;
  subjectType: string;
  subjectId: string;
  fireAt: Date;
  payload?: Record<string, string | number | boolean | null>;
}

/** What a timer's handler decided when it fired, kept on the timer row. */
export type TimerOutcome = { fired: true; outcome: string } | { fired: false; outcome: string };

/** Decides, when a timer fires, whether it still applies and what to do; runs inside a transaction. */
export type TimerHandler = (timer: NotificationTimer, manager: EntityManager) => Promise<TimerOutcome>;

const TIMER_ID = /^[A-Za-z0-9._-]{1,200}$/;

@Injectable()
export class TimersService {
  private readonly handlers = new Map<string, TimerHandler>();
  private readonly logger = new Logger(TimersService.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Each lib registers the handlers of its timer kinds at start-up (onModuleInit). */
  registerHandler(kind: string, handler: TimerHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Schedules a timer in the caller's transaction; an existing timer with that id is left as it is. */
  async schedule(manager: EntityManager, request: TimerRequest): Promise<boolean> {
    if (!TIMER_ID.test(request.id)) throw new Error(`invalid timer id "${request.id}"`);
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(NotificationTimer)
      .values({
        // jsonb payload does not fit TypeORM's deep-partial insert type.
        id: request.id,
        kind: request.kind,
        subjectType: request.subjectType,
        subjectId: request.subjectId,
        fireAt: request.fireAt,
        payload: request.payload ?? {},
        jobId: request.id,
        state: 'scheduled',
      } as QueryDeepPartialEntity<NotificationTimer>)
      .orIgnore()
      .execute();
    if ((inserted.raw as unknown[]).length === 0) return false;
    await manager.insert(OutboxEntry, {
      id: randomUUID(),
      topic: 'timer',
      payload: { timerId: request.id },
      availableAt: request.fireAt,
      jobId: request.id,
    });
    await notifyRelay(manager);
    return true;
  }

  /** Cancels the scheduled timers of an object (the dossier moved on); a job that still fires finds them cancelled. */
  async cancelFor(manager: EntityManager, subjectType: string, subjectId: string, kind?: string): Promise<number> {
    const result = await manager.query(
      `UPDATE notification_timer SET state = 'cancelled', outcome = 'cancelled' WHERE subject_type = $1 AND subject_id = $2 AND state = 'scheduled' AND ($3::text IS NULL OR kind = $3)`,
      [subjectType, subjectId, kind ?? null],
    );
    return Array.isArray(result) ? Number(result[1] ?? 0) : 0;
  }

  /** Called by the timer processor: re-reads the timer and lets its handler decide, in one transaction. */
  async fire(timerId: string): Promise<string> {
    return this.dataSource.transaction(async (manager) => {
      const timer = await manager.findOne(NotificationTimer, { where: { id: timerId }, lock: { mode: 'pessimistic_write' } });
      if (!timer) return 'missing';
      if (timer.state !== 'scheduled') return `already ${timer.state}`;
      const handler = this.handlers.get(timer.kind);
      let result: TimerOutcome;
      if (!handler) {
        this.logger.warn({ timerId, kind: timer.kind }, 'no handler for timer kind');
        result = { fired: false, outcome: `no handler for ${timer.kind}` };
      } else {
        result = await handler(timer, manager);
      }
      await manager.update(
        NotificationTimer,
        { id: timer.id },
        { state: result.fired ? 'fired' : 'skipped', firedAt: new Date(), outcome: result.outcome.slice(0, 1000) },
      );
      return result.outcome;
    });
  }
}
