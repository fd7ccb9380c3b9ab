import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { DomainError, type Page, type PageQuery, offsetOf, pageOf } from '@app/common';
import { type DeliveryState, type Locale, NotificationDelivery } from './notification-delivery.entity';
import { notifyRelay } from './notifications.service';
import { dueOutboxRows } from './outbox.constants';
import { OutboxEntry } from './outbox.entity';
import { type RenderedMail, TemplateRenderer } from './template-renderer';
import { type MailEvent, TEMPLATES, isMailEvent } from './templates';

export interface DeliveryFilter {
  recipient?: string;
  event?: string;
  state?: DeliveryState;
  /** The deliveries of one batch. */
  batch?: string;
  from?: Date;
  to?: Date;
}

export interface OutboxFilter {
  topic?: 'mail' | 'timer';
  pending?: boolean;
}

/** What admins see of deliveries: secret template values (tokens) are masked. */
export function maskSecrets(delivery: NotificationDelivery): NotificationDelivery {
  if (delivery.secretKeys.length === 0) return delivery;
  const data = { ...delivery.data };
  for (const key of delivery.secretKeys) if (key in data) data[key] = '***';
  return { ...delivery, data };
}

@Injectable()
export class NotificationsAdminService {
  private readonly renderer: TemplateRenderer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.renderer = new TemplateRenderer(config);
  }

  async listDeliveries(filter: DeliveryFilter, page: PageQuery): Promise<Page<NotificationDelivery>> {
    const query = this.dataSource.getRepository(NotificationDelivery).createQueryBuilder('d');
    if (filter.recipient) query.andWhere('d.recipient_email = :recipient', { recipient: filter.recipient.trim().toLowerCase() });
    if (filter.event) query.andWhere('d.event = :event', { event: filter.event });
    if (filter.state) query.andWhere('d.state = :state', { state: filter.state });
    if (filter.batch) query.andWhere('d.batch_id = :batch', { batch: filter.batch });
    if (filter.from) query.andWhere('d.created_at >= :from', { from: filter.from });
    if (filter.to) query.andWhere('d.created_at < :to', { to: filter.to });
    const [items, total] = await query
      .orderBy('d.created_at', 'DESC')
      .addOrderBy('d.id')
      .skip(offsetOf(page))
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(items.map(maskSecrets), total, page);
  }

  async listOutbox(filter: OutboxFilter, page: PageQuery): Promise<Page<OutboxEntry>> {
    const query = this.dataSource.getRepository(OutboxEntry).createQueryBuilder('o');
    if (filter.topic) query.andWhere('o.topic = :topic', { topic: filter.topic });
    if (filter.pending !== undefined) query.andWhere(filter.pending ? 'o.dispatched_at IS NULL' : 'o.dispatched_at IS NOT NULL');
    const [items, total] = await query
      .orderBy('o.created_at', 'DESC')
      .addOrderBy('o.id')
      .skip(offsetOf(page))
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(items, total, page);
  }

  /**
   * Sends a dead delivery again: it leaves its batch for one of its own, with a new outbox row and a
   * new job (id = the new batch's id); its history (attempts, last error) stays.
   */
  async retry(deliveryId: string): Promise<NotificationDelivery> {
    return this.dataSource.transaction(async (manager) => {
      const delivery = await manager.findOne(NotificationDelivery, { where: { id: deliveryId }, lock: { mode: 'pessimistic_write' } });
      if (!delivery)
        throw new DomainError('not_found', 'notification.not_found', '未找到该通知。Notification not found.', { id: deliveryId });
      if (delivery.state !== 'dead') {
        throw new DomainError(
          'conflict',
          'notification.not_dead',
          '只能重试投递失败（dead）的通知。Only dead notifications can be retried.',
          {
            state: delivery.state,
          },
        );
      }
      const batchId = randomUUID();
      await manager.update(NotificationDelivery, { id: delivery.id }, { state: 'queued', batchId, jobId: batchId, nextAttemptAt: null });
      await manager.insert(OutboxEntry, {
        id: batchId,
        topic: 'mail',
        payload: { batchId },
        availableAt: new Date(),
        jobId: batchId,
      });
      await notifyRelay(manager);
      return maskSecrets({ ...delivery, state: 'queued', batchId, jobId: batchId });
    });
  }

  listTemplates(): { event: MailEvent; description: string; sample: Record<string, unknown> }[] {
    return (Object.keys(TEMPLATES) as MailEvent[]).map((event) => ({
      event,
      description: TEMPLATES[event].description,
      sample: TEMPLATES[event].sample,
    }));
  }

  preview(event: string, locale: Locale, data?: Record<string, unknown>): RenderedMail {
    if (!isMailEvent(event)) {
      throw new DomainError('not_found', 'notification.unknown_event', `未知的通知类型：${event}。Unknown notification event.`, { event });
    }
    try {
      return this.renderer.render(event, locale, { ...TEMPLATES[event].sample, ...(data ?? {}) });
    } catch (error) {
      throw new DomainError('unprocessable', 'notification.template_error', '模板渲染失败：缺少变量。The template could not be rendered.', {
        reason: String(error instanceof Error ? error.message : error),
      });
    }
  }

  /** Counts for /metrics. */
  async deliveryCounts(): Promise<{ state: string; count: number }[]> {
    const rows: { state: string; count: string }[] = await this.dataSource.query(
      `SELECT state, count(*) AS count FROM notification_delivery GROUP BY state`,
    );
    return rows.map((row) => ({ state: row.state, count: Number(row.count) }));
  }

  /** Outbox rows the relay should already have moved (due within its horizon); later timers are not a backlog. */
  async pendingOutbox(): Promise<number> {
    const rows: { count: string }[] = await this.dataSource.query(`SELECT count(*) AS count FROM outbox o WHERE ${dueOutboxRows('o', 1)}`, [
      String(this.config.relayHorizonMs),
    ]);
    return Number(rows[0]?.count ?? 0);
  }
}
