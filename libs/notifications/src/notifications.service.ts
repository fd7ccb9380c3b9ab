import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { DomainError } from '@app/common';
import { NotificationDelivery, type Locale } from './notification-delivery.entity';
import { OutboxEntry } from './outbox.entity';
import { OUTBOX_CHANNEL } from './outbox.constants';
import { type MailEvent, isMailEvent } from './templates';

export interface MailRecipient {
  email: string;
  userId?: string | null;
  locale?: Locale;
}

export interface MailNotice {
  event: MailEvent;
  to: MailRecipient[];
  /** Template variables. */
  data: Record<string, unknown>;
  /** Keys of `data` that must never appear in admin views (tokens, links with tokens). */
  secretKeys?: string[];
  /** What the mail is about, for filters: `{ type: 'application', id }`. */
  about?: { type: string; id: string };
}

const EMAIL =
  /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function isValidEmail(address: string): boolean {
  return address.length <= 254 && EMAIL.test(address);
}

/**
 * Writes notifications into the caller's transaction: one delivery row and one outbox row per
 * recipient. Nothing leaves the database until the transaction commits; a rollback sends nothing.
 */
@Injectable()
export class NotificationsService {
  async enqueueMail(manager: EntityManager, notice: MailNotice): Promise<string[]> {
    if (!isMailEvent(notice.event)) {
      throw new DomainError('validation', 'notification.unknown_event', `未知的通知类型：${notice.event}。Unknown notification event.`);
    }
    const ids: string[] = [];
    const seen = new Set<string>();
    for (const recipient of notice.to) {
      const email = recipient.email.trim().toLowerCase();
      if (!isValidEmail(email)) {
        throw new DomainError('validation', 'notification.invalid_recipient', '收件人邮箱地址无效。Invalid recipient address.', {
          email: recipient.email,
        });
      }
      if (seen.has(email)) continue;
      seen.add(email);
      const id = randomUUID();
      ids.push(id);
      const delivery: Partial<NotificationDelivery> = {
        id,
        event: notice.event,
        recipientUserId: recipient.userId ?? null,
        recipientEmail: email,
        locale: recipient.locale ?? 'zh-CN',
        data: notice.data,
        secretKeys: notice.secretKeys ?? [],
        subjectType: notice.about?.type ?? null,
        subjectId: notice.about?.id ?? null,
        state: 'queued',
        jobId: id,
      };
      // jsonb columns typed as records do not fit TypeORM's deep-partial insert type.
      await manager.insert(NotificationDelivery, delivery as QueryDeepPartialEntity<NotificationDelivery>);
      await manager.insert(OutboxEntry, { id, topic: 'mail', payload: { deliveryId: id }, availableAt: new Date(), jobId: id });
    }
    if (ids.length > 0) await notifyRelay(manager);
    return ids;
  }
}

/** Wakes the relay when the transaction commits (NOTIFY is delivered on commit, dropped on rollback). */
export async function notifyRelay(manager: EntityManager): Promise<void> {
  await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
}
