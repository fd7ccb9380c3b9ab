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

/** A mail to every active user with a role, narrowed to one organisation or one county when given. */
export interface UserMailNotice {
  event: MailEvent;
  to: { role: string; organisationId?: string | null; regionCode?: string | null };
  data: Record<string, unknown>;
  about?: { type: string; id: string };
}

/** Active users with a role, narrowed to one organisation or county when given: the rule both statements below share. */
const USERS_MATCHING = `u.role = n.role AND u.disabled = false
            AND (n.organisation_id IS NULL OR u.organisation_id = n.organisation_id)
            AND (n.region_code IS NULL OR u.region_code = n.region_code)`;

const USERS_TO_MAIL = `SELECT u.id, lower(u.email) AS email, u.locale
           FROM (SELECT $1::text AS role, $2::uuid AS organisation_id, $3::text AS region_code) n
           JOIN app_user u ON ${USERS_MATCHING}
          ORDER BY u.created_at`;

/**
 * Every queued delivery (CTE `deliveries`, returning its id) gets its outbox row; both enqueue statements
 * end with this, then wake the relay (NOTIFY is delivered on commit).
 */
const DELIVERIES_TO_OUTBOX = `outbox_rows AS (
         INSERT INTO outbox (id, topic, payload, available_at, job_id)
         SELECT id, 'mail', jsonb_build_object('deliveryId', id), now(), id::text FROM deliveries
         RETURNING id
       )`;

/**
 * The recipients are chosen in the same statement that queues their mails (one row per address and
 * notice, in the order the accounts were created), so a transition needs no round trip to read them.
 */
const ENQUEUE_MAILS_TO_USERS = `WITH notices AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY
                AS n(event, data, role, organisation_id, region_code, subject_type, subject_id, ord)
       ), recipients AS (
         SELECT DISTINCT ON (n.ord, lower(u.email)) gen_random_uuid() AS id, n.event, u.id AS user_id, lower(u.email) AS email,
                u.locale, n.data, n.subject_type, n.subject_id
           FROM notices AS n JOIN app_user u ON ${USERS_MATCHING}
          ORDER BY n.ord, lower(u.email), u.created_at
       ), deliveries AS (
         INSERT INTO notification_delivery (id, event, recipient_user_id, recipient_email, locale, data, secret_keys, subject_type, subject_id, state, job_id)
         SELECT r.id, r.event, r.user_id, r.email, r.locale, r.data::jsonb, '{}', r.subject_type, r.subject_id, 'queued', r.id::text FROM recipients AS r
         RETURNING id
       ), ${DELIVERIES_TO_OUTBOX}
       SELECT (SELECT pg_notify($8, '') FROM outbox_rows LIMIT 1) AS notified`;

const ENQUEUE_MAILS = `WITH deliveries AS (
         INSERT INTO notification_delivery (id, event, recipient_user_id, recipient_email, locale, data, secret_keys, subject_type, subject_id, state, job_id)
         SELECT t.id, t.event, t.user_id, t.email, t.locale, t.data::jsonb, ARRAY(SELECT jsonb_array_elements_text(t.secret_keys::jsonb)),
                t.subject_type, t.subject_id, 'queued', t.id::text
           FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
                AS t(id, event, user_id, email, locale, data, secret_keys, subject_type, subject_id)
         RETURNING id
       ), ${DELIVERIES_TO_OUTBOX}
       SELECT (SELECT pg_notify($10, '') FROM outbox_rows LIMIT 1) AS notified`;

/**
 * Writes notifications into the caller's transaction: one delivery row and one outbox row per
 * recipient. Nothing leaves the database until the transaction commits; a rollback sends nothing.
 */
@Injectable()
export class NotificationsService {
  enqueueMail(manager: EntityManager, notice: MailNotice): Promise<string[]> {
    return this.enqueueMails(manager, [notice]);
  }

  /** Several notices, one round trip: the delivery rows, their outbox rows and the relay's wake-up (sent on commit). */
  async enqueueMails(manager: EntityManager, notices: MailNotice[]): Promise<string[]> {
    const rows: { id: string; notice: MailNotice; recipient: MailRecipient }[] = [];
    for (const notice of notices) {
      if (!isMailEvent(notice.event)) {
        throw new DomainError('validation', 'notification.unknown_event', `未知的通知类型：${notice.event}。Unknown notification event.`);
      }
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
    await manager.query(ENQUEUE_MAILS, [
      rows.map((r) => r.id),
      rows.map((r) => r.notice.event),
      rows.map((r) => r.recipient.userId ?? null),
      rows.map((r) => r.recipient.email),
      rows.map((r) => r.recipient.locale ?? 'zh-CN'),
      rows.map((r) => JSON.stringify(r.notice.data)),
      rows.map((r) => JSON.stringify(r.notice.secretKeys ?? [])),
      rows.map((r) => r.notice.about?.type ?? null),
      rows.map((r) => r.notice.about?.id ?? null),
      OUTBOX_CHANNEL,
    ]);
    return rows.map((r) => r.id);
  }

  /** The users a `UserMailNotice` would reach, as recipients (for callers that build their mails themselves). */
  async usersToMail(manager: EntityManager, to: UserMailNotice['to']): Promise<MailRecipient[]> {
    const rows: { id: string; email: string; locale: Locale }[] = await manager.query(USERS_TO_MAIL, [
      to.role,
      to.organisationId ?? null,
      to.regionCode ?? null,
    ]);
    return rows.map((row) => ({ email: row.email, userId: row.id, locale: row.locale }));
  }

  /**
   * Queues mails to users chosen by role (and organisation or county), recipients chosen in the same
   * statement: what a transition uses to tell the applicant and the next officers.
   */
  async mailUsers(manager: EntityManager, notices: UserMailNotice[]): Promise<void> {
    for (const notice of notices) {
      if (!isMailEvent(notice.event)) {
        throw new DomainError('validation', 'notification.unknown_event', `未知的通知类型：${notice.event}。Unknown notification event.`);
      }
    }
    if (notices.length === 0) return;
    await manager.query(ENQUEUE_MAILS_TO_USERS, [
      notices.map((n) => n.event),
      notices.map((n) => JSON.stringify(n.data)),
      notices.map((n) => n.to.role),
      notices.map((n) => n.to.organisationId ?? null),
      notices.map((n) => n.to.regionCode ?? null),
      notices.map((n) => n.about?.type ?? null),
      notices.map((n) => n.about?.id ?? null),
      OUTBOX_CHANNEL,
    ]);
  }
}

/** Wakes the relay when the transaction commits (NOTIFY is delivered on commit, dropped on rollback). */
export async function notifyRelay(manager: EntityManager): Promise<void> {
  await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
}
