import { Injectable } from '@nestjs/common';
import { IsNull, MoreThan, type EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { Clock } from '@app/common';
import { NotificationsService } from '@app/notifications';
import { AccountToken, type AccountTokenPurpose } from './account-token.entity';
import { newOpaqueToken, sha256 } from './secrets';
import type { User } from './user.entity';

const LIFETIME_MINUTES: Record<AccountTokenPurpose, number> = {
  verify_email: 48 * 60,
  set_password: 72 * 60,
  invitation: 72 * 60,
  password_reset: 60,
};

const EVENT: Record<
  AccountTokenPurpose,
  'account.verify_email' | 'account.set_password' | 'account.member_invitation' | 'account.password_reset'
> = {
  verify_email: 'account.verify_email',
  set_password: 'account.set_password',
  invitation: 'account.member_invitation',
  password_reset: 'account.password_reset',
};

/** Single-use emailed tokens: issued with their mail in the caller's transaction, consumed once. */
@Injectable()
export class AccountTokensService {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  /** Stores the token's hash and writes the mail carrying the token (listed as secret) into the same transaction. */
  async issueAndMail(manager: EntityManager, user: User, purpose: AccountTokenPurpose, data: Record<string, unknown>): Promise<void> {
    const now = this.clock.now();
    // A new link supersedes the older unused ones of the same purpose.
    await manager.update(AccountToken, { userId: user.id, purpose, usedAt: IsNull() }, { usedAt: now });
    const { token, hash } = newOpaqueToken();
    const minutes = LIFETIME_MINUTES[purpose];
    await manager.insert(AccountToken, {
      id: randomUUID(),
      userId: user.id,
      purpose,
      tokenHash: hash,
      expiresAt: new Date(now.getTime() + minutes * 60_000),
      usedAt: null,
    });
    await this.notifications.enqueueMail(manager, {
      event: EVENT[purpose],
      to: [{ email: user.email, userId: user.id, locale: user.locale }],
      data: { name: user.name, token, expiresInHours: Math.round(minutes / 60), expiresInMinutes: minutes, ...data },
      secretKeys: ['token'],
      about: { type: 'user', id: user.id },
    });
  }

  /** Marks a live token of one of the purposes as used and returns it (row-locked), or null. */
  async consume(manager: EntityManager, token: string, purposes: AccountTokenPurpose[]): Promise<AccountToken | null> {
    const row = await manager.findOne(AccountToken, {
      where: { tokenHash: sha256(token), usedAt: IsNull(), expiresAt: MoreThan(this.clock.now()) },
      lock: { mode: 'pessimistic_write' },
    });
    if (!row || !purposes.includes(row.purpose)) return null;
    await manager.update(AccountToken, { id: row.id }, { usedAt: this.clock.now() });
    return row;
  }
}
