import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, type ErrorKind } from './domain-error';

export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

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
  409: { code: 'request.conflict', message: '请求与当前状态冲突。Conflict.' },
  413: { code: 'request.too_large', message: '请求体过大。Request body too large.' },
  415: { code: 'request.unsupported_media_type', message: '不支持的内容类型。Unsupported media type.' },
  429: { code: 'request.rate_limited', message: '请求过于频繁，请稍后再试。Too many requests.' },
};

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
}

/** Turns anything thrown into a status and the error body of ARCHITECTURE.md. */
export function toErrorResponse(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof DomainError) {
    return {
      status: STATUS_BY_KIND[error.kind],
      body: { error: { code: error.code, message: error.message, details: error.details } },
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
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: { error: { code: 'internal', message: '服务器内部错误，请稍后再试。Internal error.', details: {} } },
  };
}
