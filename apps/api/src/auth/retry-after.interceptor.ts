import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { type Observable, catchError, throwError } from 'rxjs';
import { DomainError } from '@app/common';

/**
 * A 429 or 503 that knows when to come back says so in Retry-After (RFC 9110 §10.2.3), as the
 * throttler's own 429 does; the error filter writes the body and keeps the header.
 */
@Injectable()
export class RetryAfterInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        const seconds = error instanceof DomainError ? error.details.retryAfterSeconds : undefined;
        if (typeof seconds === 'number' && seconds > 0) {
          void context
            .switchToHttp()
            .getResponse<FastifyReply>()
            .header('retry-after', String(Math.ceil(seconds)));
        }
        return throwError(() => error);
      }),
    );
  }
}
