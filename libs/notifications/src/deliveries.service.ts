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

export type DeliveryOutcome = 'sent' | 'dead' | 'skipped';

/** Raised for a transient failure the queue should retry with backoff. */
export class RetryLater extends Error {
  override name = 'RetryLater';
}

interface DeliveryRow {
  id: string;
  event: string;
  recipient_email: string;
  locale: NotificationDelivery['locale'];
  data: Record<string, unknown>;
}

/**
 * Sends one delivery at most once: it is claimed (`sending`, with a lease) before the SMTP call,
 * and a delivery already `sent` or `dead` is never touched again, whatever the queue replays.
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
   * recording in progress. While an id is here, no job for it sends again: a database that is away
   * must not widen the duplicate window beyond a worker killed between SMTP's accept and the write.
   */
  private readonly unrecorded = new Map<string, Promise<void>>();

  /** How many accepted mails wait for the database to record them (the worker's health shows it). */
  get unrecordedCount(): number {
    return this.unrecorded.size;
  }

  async deliver(deliveryId: string, attempt: number, maxAttempts: number): Promise<DeliveryOutcome> {
    const recording = this.unrecorded.get(deliveryId);
    if (recording) {
      await recording;
      return 'sent';
    }
    const claimed = await this.claim(deliveryId);
    if (claimed === 'done') return 'skipped';
    if (claimed === 'busy') throw new RetryLater(`delivery ${deliveryId} is being sent by another worker`);
    const row = claimed;
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
    await this.recordSent(row.id, outcome);
    return 'sent';
  }

  /** Only SMTP's own failures come here: one of the database after an accepted send is recordSent's to ride out. */
  private async failed(id: string, error: unknown, attempt: number, maxAttempts: number): Promise<'dead'> {
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
    throw new RetryLater(failure.message);
  }

  private recordSent(id: string, outcome: SmtpOutcome): Promise<void> {
    const recording = this.recordUntilAnswered(id, outcome).finally(() => this.unrecorded.delete(id));
    this.unrecorded.set(id, recording);
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
        if (tries === 1 || tries % 30 === 0)
          this.logger.warn(
            { deliveryId: id, tries, err: { message: error instanceof Error ? error.message : String(error) } },
            'SMTP accepted the mail but the database could not record it; retrying the record (the mail is not sent again)',
          );
        await new Promise((resolve) => setTimeout(resolve, Math.min(RECORD_RETRY_MAX_MS, RECORD_RETRY_BASE_MS * 2 ** (tries - 1))));
      }
    }
  }

  private async claim(id: string): Promise<DeliveryRow | 'done' | 'busy'> {
    const rows: DeliveryRow[] = await this.dataSource
      .query(
        `UPDATE notification_delivery SET state = 'sending', attempts = attempts + 1, updated_at = now()
        WHERE id = $1 AND (state IN ('queued', 'failed_transient')
                           OR (state = 'sending' AND updated_at < now() - ($2 || ' milliseconds')::interval))
        RETURNING id, event, recipient_email, locale, data`,
        [id, String(this.config.mailLeaseMs)],
      )
      .then((result: [DeliveryRow[], number] | DeliveryRow[]) =>
        Array.isArray(result[0]) ? (result[0] as DeliveryRow[]) : (result as DeliveryRow[]),
      );
    if (rows.length > 0) return rows[0];
    const current: { state: string }[] = await this.dataSource.query(`SELECT state FROM notification_delivery WHERE id = $1`, [id]);
    return current[0]?.state === 'sending' ? 'busy' : 'done';
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
