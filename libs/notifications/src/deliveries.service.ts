import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Mailer, SmtpFailure, type SmtpOutcome } from './mailer';
import type { NotificationDelivery } from './notification-delivery.entity';
import { TemplateRenderer } from './template-renderer';
import { isMailEvent } from './templates';

/** Retries of recording an accepted mail: soon at first, then once a second until the database answers. */
const RECORD_RETRY_BASE_MS = 50;
const RECORD_RETRY_MAX_MS = 1_000;

/** What one run of a batch's job did. */
export interface BatchOutcome {
  sent: number;
  dead: number;
}

/** Raised for a transient failure the queue should retry with backoff. */
export class RetryLater extends Error {
  override name = 'RetryLater';
}

/** Deliveries claimed at a time: a few per pooled SMTP connection, so a lease starts just before its send. */
const CLAIM_CHUNK = 10;

interface DeliveryRow {
  id: string;
  event: string;
  recipient_email: string;
  locale: NotificationDelivery['locale'];
  data: Record<string, unknown>;
}

type SendResult = 'sent' | 'dead' | 'retry';

/**
 * Sends the deliveries of a batch (the mails one transaction queued; one queue job) over the pooled
 * SMTP connection, each one at most once: it is claimed (`sending`, with a lease) before its SMTP
 * call, and a delivery already `sent` or `dead` is never touched again, whatever the queue replays.
 * A transient failure (4xx, connection) marks only that delivery `failed_transient` and fails the job,
 * whose retry (the queue's backoff) claims only what the batch still owes; a 5xx dead-letters only that delivery.
 */
@Injectable()
export class DeliveriesService {
  private readonly logger = new Logger(DeliveriesService.name);
  private readonly renderer: TemplateRenderer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.renderer = new TemplateRenderer(config);
  }

  /**
   * Mails SMTP accepted but the database has not yet recorded as sent, by delivery id, with the
   * recording in progress. While an id is here, no job sends it again: a database that is away
   * must not widen the duplicate window beyond a worker killed between SMTP's accept and the write.
   */
  private readonly unrecorded = new Map<string, { batchId: string; recording: Promise<void> }>();

  /** Accepted mails whose record the database has refused at least once, by delivery id. */
  private readonly stalled = new Set<string>();

  /**
   * How many accepted mails wait for a database that failed to record them (the worker's health
   * shows it). A record merely in flight is not counted: it is part of every send.
   */
  get unrecordedCount(): number {
    return this.stalled.size;
  }

  /**
   * Sends what the batch still owes, a chunk at a time. `attempt` of `maxAttempts` is the job's run:
   * a delivery that fails transiently on the last one is dead-lettered. Throws RetryLater when some
   * delivery is left to retry (or is being sent by another job), so that the queue runs the job again.
   */
  async deliver(batchId: string, attempt: number, maxAttempts: number): Promise<BatchOutcome> {
    const recordings = [...this.unrecorded.values()].filter((entry) => entry.batchId === batchId).map((entry) => entry.recording);
    await Promise.all(recordings);
    const outcome: BatchOutcome = { sent: 0, dead: 0 };
    const tried: string[] = [];
    let retrying = 0;
    for (;;) {
      // Neither a delivery this run already tried nor one whose accepted send is still being recorded.
      const rows = await this.claim(batchId, [...tried, ...this.unrecorded.keys()]);
      if (rows.length === 0) break;
      tried.push(...rows.map((row) => row.id));
      const results = await Promise.allSettled(rows.map((row) => this.send(batchId, row, attempt, maxAttempts)));
      for (const result of results) {
        if (result.status === 'rejected') throw result.reason;
        if (result.value === 'retry') retrying += 1;
        else outcome[result.value] += 1;
      }
      // A short chunk was all there was to claim (what another job holds, the check below sees).
      if (rows.length < CLAIM_CHUNK) break;
    }
    if (retrying > 0) throw new RetryLater(`${retrying} deliveries of batch ${batchId} failed transiently`);
    const owed = await this.owed(batchId);
    if (owed > 0) throw new RetryLater(`${owed} deliveries of batch ${batchId} are being sent by another worker`);
    return outcome;
  }

  private async send(batchId: string, row: DeliveryRow, attempt: number, maxAttempts: number): Promise<SendResult> {
    if (!isMailEvent(row.event)) return this.markDead(row.id, null, `unknown template ${row.event}`);
    let rendered;
    try {
      rendered = this.renderer.render(row.event, row.locale, row.data);
    } catch (error) {
      return this.markDead(row.id, null, `template error: ${String(error)}`);
    }
    let outcome: SmtpOutcome;
    try {
      outcome = await this.mailer.send({
        to: row.recipient_email,
        ...rendered,
        messageId: `<${row.id}@ouflow>`,
        headers: { 'X-Ouflow-Delivery': row.id, 'X-Ouflow-Event': row.event },
      });
    } catch (error) {
      return this.failed(row.id, error, attempt, maxAttempts);
    }
    await this.recordSent(batchId, row.id, outcome);
    return 'sent';
  }

  /** Only SMTP's own failures come here: one of the database after an accepted send is recordSent's to ride out. */
  private async failed(id: string, error: unknown, attempt: number, maxAttempts: number): Promise<'dead' | 'retry'> {
    const failure = error instanceof SmtpFailure ? error : new SmtpFailure(false, null, String(error));
    if (failure.permanent) return this.markDead(id, failure.smtpCode, failure.message);
    if (attempt >= maxAttempts) return this.markDead(id, failure.smtpCode, `gave up after ${attempt} attempts: ${failure.message}`);
    const delay = this.config.mailRetryBaseMs * 2 ** (attempt - 1);
    await this.dataSource.query(
      `UPDATE notification_delivery SET state = 'failed_transient', smtp_code = $2, last_error = $3,
              next_attempt_at = now() + ($4 || ' milliseconds')::interval, updated_at = now() WHERE id = $1`,
      [id, failure.smtpCode, failure.message, String(delay)],
    );
    this.logger.warn({ deliveryId: id, attempt, smtpCode: failure.smtpCode }, 'transient mail failure, will retry');
    return 'retry';
  }

  private recordSent(batchId: string, id: string, outcome: SmtpOutcome): Promise<void> {
    const recording = this.recordUntilAnswered(id, outcome).finally(() => {
      this.unrecorded.delete(id);
      this.stalled.delete(id);
    });
    this.unrecorded.set(id, { batchId, recording });
    return recording;
  }

  /** Retries with a capped backoff until the database answers: the mail is sent, only its record is missing. */
  private async recordUntilAnswered(id: string, outcome: SmtpOutcome): Promise<void> {
    for (let tries = 1; ; tries += 1) {
      try {
        await this.dataSource.query(
          `UPDATE notification_delivery SET state = 'sent', smtp_code = 250, smtp_response = $2, message_id = $3, sent_at = now(),
                  next_attempt_at = NULL, last_error = NULL, updated_at = now() WHERE id = $1`,
          [id, outcome.response.slice(0, 1000), outcome.messageId],
        );
        if (tries > 1) this.logger.log({ deliveryId: id, tries }, 'sent mail recorded once the database answered');
        return;
      } catch (error) {
        this.stalled.add(id);
        if (tries === 1 || tries % 30 === 0)
          this.logger.warn(
            { deliveryId: id, tries, err: { message: error instanceof Error ? error.message : String(error) } },
            'SMTP accepted the mail but the database could not record it; retrying the record (the mail is not sent again)',
          );
        await new Promise((resolve) => setTimeout(resolve, Math.min(RECORD_RETRY_MAX_MS, RECORD_RETRY_BASE_MS * 2 ** (tries - 1))));
      }
    }
  }

  /** Claims up to CLAIM_CHUNK deliveries the batch still owes, leaving out `except`; a lease that ran out is taken over. */
  private async claim(batchId: string, except: string[]): Promise<DeliveryRow[]> {
    const result: [DeliveryRow[], number] | DeliveryRow[] = await this.dataSource.query(
      `UPDATE notification_delivery SET state = 'sending', attempts = attempts + 1, updated_at = now()
        WHERE id IN (SELECT id FROM notification_delivery
                      WHERE batch_id = $1 AND id <> ALL($2::uuid[])
                        AND (state IN ('queued', 'failed_transient')
                             OR (state = 'sending' AND updated_at < now() - ($3 || ' milliseconds')::interval))
                      ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED)
        RETURNING id, event, recipient_email, locale, data`,
      [batchId, except, String(this.config.mailLeaseMs), CLAIM_CHUNK],
    );
    return Array.isArray(result[0]) ? (result[0] as DeliveryRow[]) : (result as DeliveryRow[]);
  }

  /** Deliveries of the batch neither sent nor dead. */
  private async owed(batchId: string): Promise<number> {
    const rows: { owed: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS owed FROM notification_delivery WHERE batch_id = $1 AND state NOT IN ('sent', 'dead')`,
      [batchId],
    );
    return rows[0]?.owed ?? 0;
  }

  private async markDead(id: string, smtpCode: number | null, reason: string): Promise<'dead'> {
    await this.dataSource.query(
      `UPDATE notification_delivery SET state = 'dead', smtp_code = $2, last_error = $3, next_attempt_at = NULL, updated_at = now() WHERE id = $1`,
      [id, smtpCode, reason.slice(0, 1000)],
    );
    this.logger.warn({ deliveryId: id, smtpCode }, 'mail dead-lettered');
    return 'dead';
  }
}
