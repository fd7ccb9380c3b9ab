import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, IsNull } from 'typeorm';
import { AuditService, type AuditActor } from '@app/audit';
import { Clock } from '@app/common';
import { inTransaction, isUniqueViolation } from '@app/database';
import { ACCESS_TOKEN_TTL_SECONDS, AccessTokens } from './access-tokens';
import { AccountTokensService } from './account-tokens.service';
import { AuthSession } from './auth-session.entity';
import { IdentityErrors } from './identity.errors';
import { LoginThrottle } from './login-throttle';
import { Organisation } from './organisation.entity';
import { assertIndustriesExist, assertRegionExists, normaliseCreditCode } from './reference-checks';
import { RefreshToken } from './refresh-token.entity';
import type { Actor, LegalForm, UserLocale } from './roles';
import { type PasswordContext, assertPasswordAcceptable } from './password-policy';
import { burnPasswordCheck, hashPassword, newOpaqueToken, sha256, verifyPassword } from './secrets';
import { SessionPrincipals } from './session-principals';
import { User } from './user.entity';

const SESSION_DAYS = 30;
const REFRESH_IDLE_DAYS = 7;

export interface RegistrationInput {
  organisation: {
    creditCode: string;
    name: string;
    legalForm: LegalForm;
    regionCode: string;
    industryCodes: string[];
    address: string;
    contactName: string;
    contactPhone: string;
    contactEmail?: string;
  };
  user: { email: string; name: string; password: string; locale?: UserLocale };
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

function auditActorOf(actor: Actor): AuditActor {
  return { userId: actor.userId, role: actor.role, ip: actor.ip };
}

/** Registration, email verification, sign-in, sessions and passwords. */
@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly accountTokens: AccountTokensService,
    private readonly accessTokens: AccessTokens,
    private readonly principals: SessionPrincipals,
    private readonly clock: Clock,
    private readonly loginThrottle: LoginThrottle,
  ) {}

  /** An applicant organisation and its first user, who must verify the address before signing in. */
  async register(input: RegistrationInput, ip: string | null): Promise<{ organisationId: string; userId: string }> {
    const creditCode = normaliseCreditCode(input.organisation.creditCode);
    const email = input.user.email.trim().toLowerCase();
    assertPasswordAcceptable(input.user.password, { email, name: input.user.name, organisationName: input.organisation.name });
    const passwordHash = await hashPassword(input.user.password);
    return inTransaction(this.dataSource, async (manager) => {
      await assertRegionExists(manager, input.organisation.regionCode);
      await assertIndustriesExist(manager, input.organisation.industryCodes);
      const organisation = manager.create(Organisation, {
        ...input.organisation,
        id: randomUUID(),
        creditCode,
        contactEmail: input.organisation.contactEmail?.toLowerCase() ?? null,
      });
      await insertOrConflict(manager, organisation, IdentityErrors.duplicateOrganisation);
      const user = manager.create(User, {
        id: randomUUID(),
        email,
        name: input.user.name,
        role: 'applicant',
        organisationId: organisation.id,
        isOrganisationOwner: true,
        locale: input.user.locale ?? 'zh-CN',
        passwordHash,
        emailVerifiedAt: null,
      });
      await insertOrConflict(manager, user, IdentityErrors.duplicateEmail);
      const who = { userId: user.id, role: 'applicant', ip };
      await this.audit.record(manager, who, {
        action: 'organisation.registered',
        objectType: 'organisation',
        objectId: organisation.id,
        summary: { creditCode, name: organisation.name, regionCode: organisation.regionCode },
      });
      await this.audit.record(manager, who, {
        action: 'user.registered',
        objectType: 'user',
        objectId: user.id,
        summary: { email, role: 'applicant' },
      });
      await this.accountTokens.issueAndMail(manager, user, 'verify_email', { organisationName: organisation.name });
      return { organisationId: organisation.id, userId: user.id };
    });
  }

  async verifyEmail(token: string, ip: string | null): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      const row = await this.accountTokens.consume(manager, token, ['verify_email']);
      if (!row) throw IdentityErrors.invalidLinkToken();
      await manager.update(User, { id: row.userId, emailVerifiedAt: IsNull() }, { emailVerifiedAt: this.clock.now() });
      await this.audit.record(
        manager,
        { userId: row.userId, role: null, ip },
        { action: 'user.email_verified', objectType: 'user', objectId: row.userId },
      );
    });
  }

  async login(emailInput: string, password: string, ip: string | null): Promise<IssuedTokens & { user: User }> {
    const email = emailInput.trim().toLowerCase();
    const now = this.clock.now();
    const user = await this.dataSource.getRepository(User).findOne({ where: { email } });
    const failed = async (reason: string, stream: string, userId: string | null): Promise<void> => {
      await this.audit.recordAlone(
        { userId, role: user?.role ?? null, ip },
        { action: 'auth.login_failed', objectType: 'user', objectId: userId, stream, summary: { email, reason } },
      );
    };
    const stream = user ? `user:${user.id}` : 'auth:unknown_user';
    try {
      await this.loginThrottle.assertMayTry(email, ip);
    } catch (error) {
      await failed('throttled', stream, user?.id ?? null);
      throw error;
    }
    // Unknown accounts cost one argon2 verification too, so that time does not tell them apart.
    const passwordOk = user?.passwordHash ? await verifyPassword(user.passwordHash, password) : await burnPasswordCheck(password);
    if (!user || !passwordOk) {
      await this.loginThrottle.failed(email, ip);
      await failed(!user ? 'unknown_email' : user.passwordHash ? 'wrong_password' : 'no_password_set', stream, user?.id ?? null);
      throw IdentityErrors.invalidCredentials();
    }
    if (user.disabled) {
      await failed('disabled', `user:${user.id}`, user.id);
      throw IdentityErrors.disabled();
    }
    if (!user.emailVerifiedAt) {
      await failed('email_not_verified', `user:${user.id}`, user.id);
      throw IdentityErrors.emailNotVerified();
    }
    // Before the session exists: a store that is away answers 503 rather than a session the caller never receives.
    await this.loginThrottle.succeeded(email);
    const tokens = await inTransaction(this.dataSource, async (manager) => {
      await manager.update(User, { id: user.id }, { lastLoginAt: now });
      const session = manager.create(AuthSession, {
        id: randomUUID(),
        userId: user.id,
        ip,
        expiresAt: new Date(now.getTime() + SESSION_DAYS * 86_400_000),
        revokedAt: null,
        revokedReason: null,
      });
      await manager.insert(AuthSession, session);
      await this.audit.record(
        manager,
        { userId: user.id, role: user.role, ip },
        { action: 'auth.login', objectType: 'user', objectId: user.id, summary: { sessionId: session.id } },
      );
      return this.issue(manager, user, session);
    });
    return { ...tokens, user };
  }

  /**
   * Rotates a refresh token. A token presented a second time means it was copied: the whole
   * session (token family) is revoked, so neither the thief nor the user can continue with it.
   */
  async refresh(refreshToken: string, ip: string | null): Promise<IssuedTokens> {
    const outcome = await inTransaction(this.dataSource, async (manager): Promise<IssuedTokens | 'reused' | 'invalid'> => {
      const row = await manager.findOne(RefreshToken, { where: { tokenHash: sha256(refreshToken) }, lock: { mode: 'pessimistic_write' } });
      if (!row) return 'invalid';
      const session = await manager.findOne(AuthSession, { where: { id: row.sessionId }, lock: { mode: 'pessimistic_write' } });
      const now = this.clock.now();
      if (!session || session.revokedAt || session.expiresAt <= now) return 'invalid';
      const user = await manager.findOneOrFail(User, { where: { id: session.userId } });
      if (row.usedAt) {
        await this.revokeSessions(manager, { id: session.id }, 'refresh_reuse');
        await this.audit.record(
          manager,
          { userId: user.id, role: user.role, ip },
          { action: 'auth.refresh_reuse', objectType: 'user', objectId: user.id, summary: { sessionId: session.id } },
        );
        return 'reused';
      }
      if (row.expiresAt <= now || user.disabled) return 'invalid';
      await manager.update(RefreshToken, { id: row.id }, { usedAt: now });
      return this.issue(manager, user, session);
    });
    if (outcome === 'invalid' || outcome === 'reused') throw IdentityErrors.invalidRefreshToken();
    return outcome;
  }

  async logout(actor: Actor): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      await this.revokeSessions(manager, { id: actor.sessionId }, 'logout');
      await this.audit.record(manager, auditActorOf(actor), {
        action: 'auth.logout',
        objectType: 'user',
        objectId: actor.userId,
        summary: { sessionId: actor.sessionId },
      });
    });
    // Again after commit: a request in between may have cached the session as still live.
    this.principals.forgetSession(actor.sessionId);
  }

  /** Changes the password and ends the user's other sessions. */
  async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.dataSource.getRepository(User).findOneOrFail({ where: { id: actor.userId } });
    if (!user.passwordHash || !(await verifyPassword(user.passwordHash, currentPassword))) throw IdentityErrors.wrongPassword();
    assertPasswordAcceptable(newPassword, await this.passwordContext(user));
    const passwordHash = await hashPassword(newPassword);
    await inTransaction(this.dataSource, async (manager) => {
      await manager.update(User, { id: user.id }, { passwordHash });
      const others = await manager
        .createQueryBuilder(AuthSession, 's')
        .where('s.user_id = :userId AND s.id <> :current AND s.revoked_at IS NULL', { userId: user.id, current: actor.sessionId })
        .getMany();
      for (const session of others) await this.revokeSessions(manager, { id: session.id }, 'password_changed');
      await this.audit.record(manager, auditActorOf(actor), { action: 'auth.password_changed', objectType: 'user', objectId: user.id });
    });
  }

  /** Sends a reset link when the address belongs to an active account; answers the same either way. */
  async forgotPassword(emailInput: string, ip: string | null): Promise<void> {
    const email = emailInput.trim().toLowerCase();
    await inTransaction(this.dataSource, async (manager) => {
      const user = await manager.findOne(User, { where: { email, disabled: false } });
      if (!user) return;
      await this.accountTokens.issueAndMail(manager, user, 'password_reset', {});
      await this.audit.record(
        manager,
        { userId: null, role: null, ip },
        { action: 'auth.password_reset_requested', objectType: 'user', objectId: user.id },
      );
    });
  }

  /**
   * Sets a password from an emailed token: a reset, a staff account's first password, or an
   * invited member's. Receiving the mail proves the address; every session of the user ends.
   */
  async resetPassword(token: string, password: string, ip: string | null): Promise<void> {
    assertPasswordAcceptable(password);
    const passwordHash = await hashPassword(password);
    await inTransaction(this.dataSource, async (manager) => {
      const row = await this.accountTokens.consume(manager, token, ['password_reset', 'set_password', 'invitation']);
      if (!row) throw IdentityErrors.invalidLinkToken();
      const user = await manager.findOneOrFail(User, { where: { id: row.userId }, lock: { mode: 'pessimistic_write' } });
      if (user.disabled) throw IdentityErrors.invalidLinkToken();
      assertPasswordAcceptable(password, await this.passwordContext(user, manager));
      const now = this.clock.now();
      await manager.update(User, { id: user.id }, { passwordHash, emailVerifiedAt: user.emailVerifiedAt ?? now });
      await this.revokeSessions(manager, { userId: user.id }, 'password_reset');
      await this.audit.record(
        manager,
        { userId: user.id, role: user.role, ip },
        { action: row.purpose === 'password_reset' ? 'auth.password_reset' : 'auth.password_set', objectType: 'user', objectId: user.id },
      );
    });
  }

  /** Revokes live sessions (by id or all of a user's) and drops them from the cache at once. */
  async revokeSessions(manager: EntityManager, where: { id: string } | { userId: string }, reason: string): Promise<void> {
    await manager.update(AuthSession, { ...where, revokedAt: IsNull() }, { revokedAt: this.clock.now(), revokedReason: reason });
    if ('id' in where) this.principals.forgetSession(where.id);
    else this.principals.forgetUser(where.userId);
  }

  /** Drops a user's cached sessions (after the transaction that revoked them has committed). */
  async forgetUserSessions(userId: string): Promise<void> {
    this.principals.forgetUser(userId);
  }

  /** What a new password of this user must not contain. */
  private async passwordContext(user: User, manager: EntityManager = this.dataSource.manager): Promise<PasswordContext> {
    const organisation = user.organisationId ? await manager.findOne(Organisation, { where: { id: user.organisationId } }) : null;
    return { email: user.email, name: user.name, organisationName: organisation?.name ?? user.employerName };
  }

  private async issue(manager: EntityManager, user: User, session: AuthSession): Promise<IssuedTokens> {
    const { token, hash } = newOpaqueToken();
    const now = this.clock.now().getTime();
    await manager.insert(RefreshToken, {
      id: randomUUID(),
      sessionId: session.id,
      tokenHash: hash,
      expiresAt: new Date(Math.min(now + REFRESH_IDLE_DAYS * 86_400_000, session.expiresAt.getTime())),
      usedAt: null,
    });
    return {
      accessToken: this.accessTokens.issue({ sub: user.id, sid: session.id, role: user.role }),
      refreshToken: token,
      tokenType: 'Bearer',
      expiresIn: ACCESS_TOKEN_TTL_SECONDS,
    };
  }
}

/** Inserts inside a savepoint-free transaction; a unique violation becomes the given conflict. */
async function insertOrConflict<T extends Organisation | User>(manager: EntityManager, entity: T, conflict: () => Error): Promise<void> {
  try {
    await manager.insert(entity.constructor, entity);
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict();
    throw error;
  }
}
