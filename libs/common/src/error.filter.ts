import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from './error-body';

/** The one filter: every error leaves the API as `{ error: { code, message, details } }`. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const { status, body, headers } = toErrorResponse(exception);
    if (status === 500) {
      this.logger.error({ err: exception, reqId: request?.id }, 'unhandled error');
    } else if (body.error.code === 'service.unavailable' || body.error.code === 'storage.full') {
      // An outage, not a bug: operators still need the cause, at a level that does not page for every request.
      this.logger.warn({ err: exception, reqId: request?.id, code: body.error.code }, 'dependency unavailable');
    }
    if (headers) void reply.headers(headers);
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
