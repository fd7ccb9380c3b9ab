import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuditService } from '@app/audit';
import { type AccessClaims, AccessTokens } from './access-tokens';
import { type AuthenticatedRequest, PUBLIC_KEY, ROLES_KEY } from './decorators';
import { IdentityErrors } from './identity.errors';
import type { Role } from './roles';
import { type SessionPrincipal, SessionPrincipals } from './session-principals';

/**
 * The global guard: default deny. A route must declare @Public() or @Roles(...); anything else is
 * refused with 403 even for a signed-in admin. Denials (403) are audited.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokens,
    private readonly principals: SessionPrincipals,
    private readonly audit: AuditService,
  ) {}

  /** Route declarations by handler: metadata never changes after boot, and this runs on every request. */
  private readonly declarations = new WeakMap<object, { isPublic: boolean; roles: Role[] | undefined }>();

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const handler = context.getHandler();
    let declared = this.declarations.get(handler);
    if (!declared) {
      const targets = [handler, context.getClass()];
      declared = {
        isPublic: this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true,
        roles: this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets),
      };
      this.declarations.set(handler, declared);
    }
    if (declared.isPublic) return true;
    const { roles } = declared;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & { method?: string; routeOptions?: { url?: string } }>();
    const authenticated = this.authenticateCached(request) ?? (await this.authenticate(request));
    if (!roles || roles.length === 0 || !authenticated || !roles.includes(authenticated)) {
      if (!authenticated && roles && roles.length > 0) {
        throw request.headers.authorization ? IdentityErrors.sessionEnded() : IdentityErrors.unauthenticated();
      }
      await this.audit.recordAlone(
        { userId: request.actor?.userId ?? null, role: request.actor?.role ?? null, ip: request.ip ?? null },
        {
          action: 'access.denied',
          objectType: 'route',
          objectId: null,
          stream: request.actor ? `user:${request.actor.userId}` : 'access:anonymous',
          summary: { method: request.method, route: request.routeOptions?.url, allowed: roles ?? [] },
        },
      );
      throw IdentityErrors.forbidden();
    }
    return true;
  }

  /** The synchronous path: a valid token whose session is in the cache. Undefined when the database must be asked. */
  private authenticateCached(request: AuthenticatedRequest): Role | null | undefined {
    const claims = this.claimsOf(request);
    if (!claims) return null;
    const principal = this.principals.peek(claims.sid);
    return principal === undefined ? undefined : this.accept(request, claims.sub, principal);
  }

  private async authenticate(request: AuthenticatedRequest): Promise<Role | null> {
    const claims = this.claimsOf(request);
    if (!claims) return null;
    return this.accept(request, claims.sub, await this.principals.find(claims.sid));
  }

  private claimsOf(request: AuthenticatedRequest): AccessClaims | null {
    const header = request.headers.authorization;
    if (typeof header !== 'string' || !header.startsWith('Bearer ')) return null;
    return this.tokens.verify(header.slice(7).trim());
  }

  /** Sets request.principal and request.actor for a live session of the token's user; returns the role. */
  private accept(request: AuthenticatedRequest, userId: string, principal: SessionPrincipal | null): Role | null {
    if (!principal || principal.userId !== userId) return null;
    request.principal = principal;
    request.actor = {
      userId: principal.userId,
      role: principal.role,
      organisationId: principal.organisationId,
      regionCode: principal.regionCode,
      sessionId: principal.sessionId,
      ip: request.ip ?? null,
    };
    return principal.role;
  }
}
