import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor, Role } from './roles';
import type { SessionPrincipal } from './session-principals';

export const ROLES_KEY = 'ouflow:roles';
export const PUBLIC_KEY = 'ouflow:public';

/** The roles that may call a route. A route with neither @Roles nor @Public is refused (403). */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

/** Reachable without signing in. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

export interface AuthenticatedRequest {
  ip?: string;
  headers: Record<string, string | string[] | undefined>;
  principal?: SessionPrincipal;
  actor?: Actor;
}

/** The acting user (id, role, scope, session, IP) set by the access guard. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('CurrentActor used on a route without @Roles');
  return actor;
});

/** The signed-in user's profile as cached for this session. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): SessionPrincipal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a route without @Roles');
  return principal;
});

/** The caller's IP on public routes (login, registration), for the audit log. */
export const ClientIp = createParamDecorator((_data: unknown, context: ExecutionContext): string | null => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().ip ?? null;
});
