import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '@app/common';
import { OUTBOX_CHANNEL } from './outbox.constants';
import { type MailRecipient, RecipientDirectory, type RecipientAudience } from './recipient-directory';
import { type MailEvent, isMailEvent } from './templates';

export type { MailRecipient } from './recipient-directory';

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

/** A mail to every active user with a role, narrowed to one organisation or one county when given. */
export interface UserMailNotice {
  event: MailEvent;
  to: RecipientAudience;
  data: Record<string, unknown>;
  about?: { type: string; id: string };
}

/**
 * One batch: its deliveries, the one outbox row (id = batch id = job id) that hands them to the
 * queue as one job, and the relay's wake-up (NOTIFY is delivered on commit, dropped on rollback).
 */
const ENQUEUE_BATCH = `WITH deliveries AS (
         INSERT INTO notification_delivery (id, batch_id, event, recipient_user_id, recipient_email, locale, data, secret_keys,
                                            subject_type, subject_id, state, job_id)
         SELECT t.id, $10::uuid, t.event, t.user_id, t.email, t.locale, t.data::jsonb, ARRAY(SELECT jsonb_array_elements_text(t.secret_keys::jsonb)),
                t.subject_type, t.subject_id, 'queued', $10::text
           FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
                AS t(id, event, user_id, email, locale, data, secret_keys, subject_type, subject_id)
       ), outbox_row AS (
         INSERT INTO outbox (id, topic, payload, available_at, job_id)
         VALUES ($10::uuid, 'mail', jsonb_build_object('batchId', $10::text), now(), $10::text)
       )
       SELECT pg_notify($11, '') AS notified`;

function checkEvent(event: string): void {
  if (!isMailEvent(event)) {
    throw new DomainError('validation', 'notification.unknown_event', `未知的通知类型：${event}。Unknown notification event.`);
  }
}

/**
 * Writes notifications into the caller's transaction: one delivery row per recipient, and one outbox
 * row (so one queue job) for all the mails of a call. Nothing leaves the database until the
 * transaction commits; a rollback sends nothing.
 */
@Injectable()
export class NotificationsService {
  constructor(private readonly directory: RecipientDirectory) {}

  enqueueMail(manager: EntityManager, notice: MailNotice): Promise<string[]> {
    return this.enqueueMails(manager, [notice]);
  }

  /** Several notices, one statement and one batch: the delivery rows, their outbox row and the relay's wake-up. Returns the delivery ids. */
  async enqueueMails(manager: EntityManager, notices: MailNotice[]): Promise<string[]> {
    const rows: { id: string; notice: MailNotice; recipient: MailRecipient }[] = [];
    for (const notice of notices) {
      checkEvent(notice.event);
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
        rows.push({ id: randomUUID(), notice, recipient: { ...recipient, email } });
      }
    }
    if (rows.length === 0) return [];
    await manager.query(ENQUEUE_BATCH, [
      rows.map((r) => r.id),
      rows.map((r) => r.notice.event),
      rows.map((r) => r.recipient.userId ?? null),
      rows.map((r) => r.recipient.email),
      rows.map((r) => r.recipient.locale ?? 'zh-CN'),
      rows.map((r) => JSON.stringify(r.notice.data)),
      rows.map((r) => JSON.stringify(r.notice.secretKeys ?? [])),
      rows.map((r) => r.notice.about?.type ?? null),
      rows.map((r) => r.notice.about?.id ?? null),
      randomUUID(),
      OUTBOX_CHANNEL,
    ]);
    return rows.map((r) => r.id);
  }

  /** The users a `UserMailNotice` would reach, as recipients (for callers that build their mails themselves). */
  async usersToMail(manager: EntityManager, to: RecipientAudience): Promise<MailRecipient[]> {
    const [recipients] = await this.directory.recipientsFor(manager, [to]);
    return recipients ?? [];
  }

  /**
   * Queues mails to users chosen by role (and organisation or county): what a transition uses to
   * tell the applicant and the next officers. Two statements whatever the number of notices: the
   * recipients of all of them, then one batch.
   */
  async mailUsers(manager: EntityManager, notices: UserMailNotice[]): Promise<string[]> {
    for (const notice of notices) checkEvent(notice.event);
    if (notices.length === 0) return [];
    const recipients = await this.directory.recipientsFor(
      manager,
      notices.map((notice) => notice.to),
    );
    return this.enqueueMails(
      manager,
      notices.map((notice, i) => ({ event: notice.event, to: recipients[i] ?? [], data: notice.data, about: notice.about })),
    );
  }
}

/** Wakes the relay when the transaction commits (NOTIFY is delivered on commit, dropped on rollback). */
export async function notifyRelay(manager: EntityManager): Promise<void> {
  await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
}
