import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '@app/common';
import type { Locale } from './notification-delivery.entity';
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
    const recipients = new Map<string, MailRecipient>();
    for (const recipient of notice.to) {
      const email = recipient.email.trim().toLowerCase();
      if (!isValidEmail(email)) {
        throw new DomainError('validation', 'notification.invalid_recipient', '收件人邮箱地址无效。Invalid recipient address.', {
          email: recipient.email,
        });
      }
      if (!recipients.has(email)) recipients.set(email, { ...recipient, email });
    }
    if (recipients.size === 0) return [];
    const list = [...recipients.values()];
    const ids = list.map(() => randomUUID());
    // One round trip: the delivery rows, their outbox rows, and the wake-up of the relay (sent on commit).
    await manager.query(
      `WITH d AS (
         INSERT INTO notification_delivery (id, event, recipient_user_id, recipient_email, locale, data, secret_keys, subject_type, subject_id, state, job_id)
         SELECT t.id, $2, t.user_id, t.email, t.locale, $3::jsonb, $4::text[], $5, $6, 'queued', t.id::text
           FROM unnest($1::uuid[], $7::uuid[], $8::text[], $9::text[]) AS t(id, user_id, email, locale)
         RETURNING id
       ), o AS (
         INSERT INTO outbox (id, topic, payload, available_at, job_id)
         SELECT id, 'mail', jsonb_build_object('deliveryId', id), now(), id::text FROM d
         RETURNING id
       )
       SELECT pg_notify($10, '') FROM (SELECT count(*) FROM o) AS done`,
      [
        ids,
        notice.event,
        JSON.stringify(notice.data),
        notice.secretKeys ?? [],
        notice.about?.type ?? null,
        notice.about?.id ?? null,
        list.map((r) => r.userId ?? null),
        list.map((r) => r.email),
        list.map((r) => r.locale ?? 'zh-CN'),
        OUTBOX_CHANNEL,
      ],
    );
    return ids;
  }
}

/** Wakes the relay when the transaction commits (NOTIFY is delivered on commit, dropped on rollback). */
export async function notifyRelay(manager: EntityManager): Promise<void> {
  await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
}
