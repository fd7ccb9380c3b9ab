/**
 * What kind of failure a DomainError is. The HTTP filter maps kinds to status codes; services
 * never import HTTP.
 */
export type ErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unsupported_media'
  | 'unprocessable'
  | 'rate_limited'
  | 'unavailable';

/** A failure with a stable code (`application.invalid_transition`) and a user-facing message. */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(resource: string, id?: string): DomainError {
    return new DomainError('not_found', `${resource}.not_found`, `未找到该${resourceNames[resource] ?? '对象'}。`, id ? { id } : {});
  }
}

const resourceNames: Record<string, string> = {
  region: '地区',
  industry: '产业',
  route: '路径',
};
