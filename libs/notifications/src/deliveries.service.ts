import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Mailer, SmtpFailure } from './mailer';
import type { NotificationDelivery } from './notification-delivery.entity';
import { TemplateRenderer } from './template-renderer';
import { isMailEvent } from './templates';

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

  /** Lease of a claim: a `sending` delivery older than this is presumed abandoned by a dead worker. */
  static readonly LEASE_MS = 20_000;

  async deliver(deliveryId: string, attempt: number, maxAttempts: number): Promise<DeliveryOutcome> {
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
    try {
      const outcome = await this.mailer.send({
        to: row.recipient_email,
        ...rendered,
        messageId: `<${row.id}@ouflow>`,
        headers: { 'X-Ouflow-Delivery': row.id, 'X-Ouflow-Event': row.event },
      });
      await this.dataSource.query(
        `UPDATE notification_delivery SET state = 'sent', smtp_code = 250, smtp_response = $2, message_id = $3, sent_at = now(),
                next_attempt_at = NULL, last_error = NULL, updated_at = now() WHERE id = $1`,
        [row.id, outcome.response.slice(0, 1000), outcome.messageId],
      );
      return 'sent';
    } catch (error) {
      const failure = error instanceof SmtpFailure ? error : new SmtpFailure(false, null, String(error));
      if (failure.permanent) return this.markDead(row.id, failure.smtpCode, failure.message);
      if (attempt >= maxAttempts) return this.markDead(row.id, failure.smtpCode, `gave up after ${attempt} attempts: ${failure.message}`);
      const delay = this.config.mailRetryBaseMs * 2 ** (attempt - 1);
      await this.dataSource.query(
        `UPDATE notification_delivery SET state = 'failed_transient', smtp_code = $2, last_error = $3,
                next_attempt_at = now() + ($4 || ' milliseconds')::interval, updated_at = now() WHERE id = $1`,
        [row.id, failure.smtpCode, failure.message, String(delay)],
      );
      this.logger.warn({ deliveryId: row.id, attempt, smtpCode: failure.smtpCode }, 'transient mail failure, will retry');
      throw new RetryLater(failure.message);
    }
  }

  private async claim(id: string): Promise<DeliveryRow | 'done' | 'busy'> {
    const rows: DeliveryRow[] = await this.dataSource
      .query(
        `UPDATE notification_delivery SET state = 'sending', attempts = attempts + 1, updated_at = now()
        WHERE id = $1 AND (state IN ('queued', 'failed_transient')
                           OR (state = 'sending' AND updated_at < now() - ($2 || ' milliseconds')::interval))
        RETURNING id, event, recipient_email, locale, data`,
        [id, String(DeliveriesService.LEASE_MS)],
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
