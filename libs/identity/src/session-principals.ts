import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Role, UserLocale } from './roles';

/** The signed-in user as every request sees it: the user row and its live session. */
export interface SessionPrincipal {
  sessionId: string;
  userId: string;
  email: string;
  name: string;
  role: Role;
  organisationId: string | null;
  regionCode: string | null;
  expertise: string[];
  employerName: string | null;
  employerCreditCode: string | null;
  locale: UserLocale;
  isOrganisationOwner: boolean;
}

interface Cached {
  principal: SessionPrincipal | null;
  expiresAt: number;
}

/**
 * Looks up the session of every authenticated request, so that a revoked session or a disabled
 * user stops working before the access token expires. The lookup (one indexed join) is cached for
 * CACHE_MS per session: the process that revokes a session or disables a user drops the entry at
 * once; other API replicas notice within CACHE_MS. Without the cache every request pays a database
 * round trip (see test/bench/me.bench.ts for the figures).
 */
@Injectable()
export class SessionPrincipals {
  static CACHE_MS = 2_000;
  private readonly cache = new Map<string, Cached>();
  private readonly loading = new Map<string, Promise<SessionPrincipal | null>>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The cached answer if still fresh (undefined when the database must be asked): no promise on the hot path. */
  peek(sessionId: string): SessionPrincipal | null | undefined {
    const hit = this.cache.get(sessionId);
    return hit && hit.expiresAt > Date.now() ? hit.principal : undefined;
  }

  /** The live principal of a session, or null when the session is revoked or expired or the user disabled. */
  async find(sessionId: string): Promise<SessionPrincipal | null> {
    const now = Date.now();
    const hit = this.cache.get(sessionId);
    if (hit && hit.expiresAt > now) return hit.principal;
    let pending = this.loading.get(sessionId);
    if (!pending) {
      pending = this.load(sessionId).finally(() => this.loading.delete(sessionId));
      this.loading.set(sessionId, pending);
    }
    const principal = await pending;
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(sessionId, { principal, expiresAt: now + SessionPrincipals.CACHE_MS });
    return principal;
  }

  forgetSession(sessionId: string): void {
    this.cache.delete(sessionId);
  }

  forgetUser(userId: string): void {
    for (const [sessionId, entry] of this.cache) if (entry.principal?.userId === userId) this.cache.delete(sessionId);
  }

  private async load(sessionId: string): Promise<SessionPrincipal | null> {
    const rows: {
      user_id: string;
      email: string;
      name: string;
      role: Role;
      organisation_id: string | null;
      region_code: string | null;
      expertise: string[];
      employer_name: string | null;
      employer_credit_code: string | null;
      locale: UserLocale;
      is_organisation_owner: boolean;
    }[] = await this.dataSource.query(
      `SELECT u.id AS user_id, u.email, u.name, u.role, u.organisation_id, u.region_code, u.expertise, u.employer_name,
              u.employer_credit_code, u.locale, u.is_organisation_owner
         FROM auth_session s JOIN app_user u ON u.id = s.user_id
        WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND NOT u.disabled`,
      [sessionId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      sessionId,
      userId: row.user_id,
      email: row.email,
      name: row.name,
      role: row.role,
      organisationId: row.organisation_id,
      regionCode: row.region_code,
      expertise: row.expertise,
      employerName: row.employer_name,
      employerCreditCode: row.employer_credit_code,
      locale: row.locale,
      isOrganisationOwner: row.is_organisation_owner,
    };
  }
}
