import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, type ErrorKind } from './domain-error';

export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  /** Extra response headers, e.g. `Retry-After` while a dependency is away. */
  headers?: Record<string, string>;
}

/** Seconds a client should wait before retrying during an outage; dependencies came back within 2 s in the fault campaign. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

export const STATUS_BY_KIND: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media: 415,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

/** Messages for errors raised outside our code (the framework, the HTTP parser). */
const FRAMEWORK_ERRORS: Record<number, { code: string; message: string }> = {
  400: { code: 'request.invalid', message: '请求无效。Invalid request.' },
  401: { code: 'auth.unauthenticated', message: '请先登录。Please sign in.' },
  403: { code: 'auth.forbidden', message: '无权执行此操作。You may not do this.' },
  404: { code: 'route.not_found', message: '请求的资源不存在。Not found.' },
  405: { code: 'route.method_not_allowed', message: '不支持该请求方法。Method not allowed.' },
  406: { code: 'request.not_acceptable', message: '无法提供请求的格式。Not acceptable.' },
  408: { code: 'request.timeout', message: '请求超时。The request timed out.' },
  409: { code: 'request.conflict', message: '请求与当前状态冲突。Conflict.' },
  413: { code: 'request.too_large', message: '请求体过大。Request body too large.' },
  414: { code: 'request.uri_too_long', message: '请求地址过长。The URL is too long.' },
  415: { code: 'request.unsupported_media_type', message: '不支持的内容类型。Unsupported media type.' },
  429: { code: 'request.rate_limited', message: '请求过于频繁，请稍后再试。Too many requests.' },
  431: { code: 'request.headers_too_large', message: '请求头过大。The request headers are too large.' },
};

/** Network errors of a dependency (database, Redis) that is away, as Node and the drivers name them. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  // PostgreSQL: admin shutdown, crash shutdown, cannot connect now (starting), too many connections, out of memory.
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '53200',
]);
/** Disk full or quota exceeded: the upload disk (errno) or the database's disk (SQLSTATE 53100). */
const STORAGE_FULL_CODES = new Set(['ENOSPC', 'EDQUOT', '53100']);
/** Errors node-postgres, TypeORM and ioredis raise without a code when the connection is gone or cannot be had. */
const UNREACHABLE_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end|Client was closed and is not queryable|Connection is closed|Reached the max retries per request limit|Stream isn't writeable)/;

type Outage = 'unavailable' | 'storage_full';

/** Looks through the error, its driver error, cause and aggregated errors (a few levels, no cycles) for an outage. */
function outageOf(error: unknown, seen = new Set<unknown>()): Outage | null {
  if (!error || typeof error !== 'object' || seen.has(error) || seen.size > 8) return null;
  seen.add(error);
  const { code, message, driverError, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string') {
    if (STORAGE_FULL_CODES.has(code)) return 'storage_full';
    // SQLSTATE class 08: connection exceptions.
    if (UNREACHABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return 'unavailable';
  }
  if (typeof message === 'string' && UNREACHABLE_MESSAGES.test(message)) return 'unavailable';
  for (const inner of [driverError, cause, ...(Array.isArray(errors) ? errors.slice(0, 4) : [])]) {
    const found = outageOf(inner, seen);
    if (found) return found;
  }
  return null;
}

function outageResponse(outage: Outage): ErrorResponse {
  if (outage === 'storage_full') {
    return {
      status: 507,
      body: { error: { code: 'storage.full', message: '存储空间已满，请联系管理员。Storage is full.', details: {} } },
    };
  }
  return {
    status: 503,
    body: {
      error: {
        code: 'service.unavailable',
        message: '服务暂时不可用，请稍后重试。The service is temporarily unavailable; retry shortly.',
        details: { retryAfterSeconds: OUTAGE_RETRY_AFTER_SECONDS },
      },
    },
    headers: { 'retry-after': String(OUTAGE_RETRY_AFTER_SECONDS) },
  };
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
}

/** Turns anything thrown into a status and the error body of ARCHITECTURE.md. */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof DomainError) {
    // A 429 or 503 that knows when to come back says so in Retry-After (RFC 9110 §10.2.3).
    const seconds = error.details.retryAfterSeconds;
    return {
      status: STATUS_BY_KIND[error.kind],
      body: { error: { code: error.code, message: error.message, details: error.details } },
      ...(typeof seconds === 'number' && seconds > 0 ? { headers: { 'retry-after': String(Math.ceil(seconds)) } } : {}),
    };
  }
  if (error instanceof HttpException) {
    // Fastify's own errors (bad JSON, body too large) arrive wrapped, with the original as cause.
    if (error.cause && typeof error.cause === 'object' && 'code' in error.cause) return toErrorResponse(error.cause);
    const status = error.getStatus();
    if (status === 503) {
      // Readiness probes (terminus) answer 503 with each checked part and its status.
      const response = error.getResponse();
      const parts =
        typeof response === 'object' && response !== null && 'details' in response ? (response as { details: object }).details : {};
      return {
        status,
        body: { error: { code: 'service.not_ready', message: '服务暂不可用。Service not ready.', details: { ...parts } } },
      };
    }
    const known = FRAMEWORK_ERRORS[status];
    if (known) return { status, body: { error: { ...known, details: {} } } };
    if (status < 500) return { status, body: { error: { code: 'request.invalid', message: error.message, details: {} } } };
  }
  const fastifyError = error as FastifyLikeError | null;
  if (fastifyError && typeof fastifyError === 'object') {
    if (fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (error instanceof SyntaxError && fastifyError.statusCode === 400)) {
      return {
        status: 400,
        body: { error: { code: 'request.malformed_json', message: '请求体不是有效的 JSON。The body is not valid JSON.', details: {} } },
      };
    }
    if (fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return {
        status: 400,
        body: { error: { code: 'request.empty_body', message: '请求体为空。The body is empty.', details: {} } },
      };
    }
    const status = fastifyError.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const known = FRAMEWORK_ERRORS[status] ?? FRAMEWORK_ERRORS[400];
      return { status, body: { error: { ...known, details: fastifyError.code ? { reason: fastifyError.code } : {} } } };
    }
  }
  // A dependency that is away is not a bug: clients retry, operators look at the dependency.
  const outage = outageOf(error);
  if (outage) return outageResponse(outage);
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: { error: { code: 'internal', message: '服务器内部错误，请稍后再试。Internal error.', details: {} } },
  };
}
