import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { NotificationTimer } from './timer.entity';
import { OUTBOX_CHANNEL } from './outbox.constants';

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

/**
 * A timer (ignored if its id exists), its outbox row and the relay's wake-up on commit; with $9 true,
 * the subject's other scheduled timers are cancelled in the same statement.
 */
const WRITE_TIMER = `WITH cancelled AS (
         UPDATE notification_timer SET state = 'cancelled', outcome = 'cancelled'
          WHERE $9 AND subject_type = $3 AND subject_id = $4 AND state = 'scheduled' AND id <> $1
         RETURNING id
       ), timer AS (
         INSERT INTO notification_timer (id, kind, subject_type, subject_id, fire_at, payload, job_id, state)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $1, 'scheduled')
         ON CONFLICT (id) DO NOTHING
         RETURNING id, fire_at
       ), outbox_row AS (
         INSERT INTO outbox (id, topic, payload, available_at, job_id)
         SELECT $7::uuid, 'timer', jsonb_build_object('timerId', id), fire_at, id FROM timer
         RETURNING id
       )
       SELECT (SELECT count(*)::int FROM outbox_row) AS inserted, (SELECT count(*)::int FROM cancelled) AS cancelled,
              (SELECT pg_notify($8, '') FROM outbox_row LIMIT 1) AS notified`;

const CANCEL_TIMERS = `WITH cancelled AS (
         UPDATE notification_timer SET state = 'cancelled', outcome = 'cancelled'
          WHERE subject_type = $1 AND subject_id = $2 AND state = 'scheduled' AND ($3::text IS NULL OR kind = $3)
         RETURNING id
       )
       SELECT count(*)::int AS cancelled FROM cancelled`;

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
    return this.write(manager, request, false);
  }

  /**
   * Cancels the subject's scheduled timers and schedules this one, in one round trip: what a
   * transition does when its object leaves one deadline for the next.
   */
  replaceFor(manager: EntityManager, request: TimerRequest): Promise<boolean> {
    return this.write(manager, request, true);
  }

  private async write(manager: EntityManager, request: TimerRequest, cancelOthers: boolean): Promise<boolean> {
    if (!TIMER_ID.test(request.id)) throw new Error(`invalid timer id "${request.id}"`);
    const rows: { inserted: number }[] = await manager.query(WRITE_TIMER, [
      request.id,
      request.kind,
      request.subjectType,
      request.subjectId,
      request.fireAt,
      JSON.stringify(request.payload ?? {}),
      randomUUID(),
      OUTBOX_CHANNEL,
      cancelOthers,
    ]);
    return rows[0]?.inserted === 1;
  }

  /** Cancels the scheduled timers of an object (the dossier moved on); a job that still fires finds them cancelled. */
  async cancelFor(manager: EntityManager, subjectType: string, subjectId: string, kind?: string): Promise<number> {
    const rows: { cancelled: number }[] = await manager.query(CANCEL_TIMERS, [subjectType, subjectId, kind ?? null]);
    return rows[0].cancelled;
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
