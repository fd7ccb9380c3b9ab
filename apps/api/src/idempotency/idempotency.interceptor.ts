import { createHash } from 'node:crypto';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Observable, from, of, switchMap, tap, catchError, throwError } from 'rxjs';
import type { DataSource } from 'typeorm';
import { DomainError } from '@app/common';
import type { Actor } from '@app/identity';

const KEY = /^[A-Za-z0-9._:-]{8,200}$/;
/** Where @HttpCode() keeps its status (Nest's HTTP_CODE_METADATA). */
const HTTP_CODE_METADATA = '__httpCode__';
const MUTATING = new Set(['POST', 'PUT', 'PATCH']);

type Claim = { kind: 'run' } | { kind: 'replay'; status: number; response: unknown };

/**
 * `Idempotency-Key` on mutating requests (ARCHITECTURE.md, HTTP contract): the first request with a
 * key runs and its answer is stored; a retry with the same key and the same request gets that
 * answer again without running anything; the same key with another request, or while the first
 * still runs, is refused (422 / 409). Failed requests (4xx, 5xx) store nothing, so they can be
 * retried. Keys are per caller and kept 24 hours.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest & { actor?: Actor }>();
    const header = request.headers['idempotency-key'];
    if (header === undefined || !MUTATING.has(request.method)) return next.handle();
    const key = Array.isArray(header) ? header[0] : header;
    if (!KEY.test(key)) {
      throw new DomainError(
        'validation',
        'request.invalid_idempotency_key',
        'Idempotency-Key 须为 8 至 200 个字母、数字或 . _ : - 字符。Invalid Idempotency-Key.',
      );
    }
    const owner = request.actor?.userId ?? 'anonymous';
    const body = request.isMultipart() ? `multipart:${request.headers['content-length'] ?? ''}` : JSON.stringify(request.body ?? null);
    const requestHash = createHash('sha256').update(`${request.method}\n${request.url}\n${body}`).digest('hex');
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    // The status Nest will send (it is applied after interceptors): @HttpCode, else 201 for POST, 200 otherwise.
    const declared = Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined;
    const status = declared ?? (request.method === 'POST' ? 201 : 200);
    return from(this.claim(owner, key, requestHash)).pipe(
      switchMap((claim) => {
        if (claim.kind === 'replay') {
          void reply.status(claim.status).header('idempotent-replayed', 'true');
          return of(claim.response);
        }
        return next.handle().pipe(
          tap((response: unknown) => void this.store(owner, key, status, response)),
          catchError((error: unknown) => from(this.release(owner, key)).pipe(switchMap(() => throwError(() => error)))),
        );
      }),
    );
  }

  private async claim(owner: string, key: string, requestHash: string): Promise<Claim> {
    // Expired keys are removed on the way, by the index on created_at.
    await this.dataSource.query(`DELETE FROM idempotency_key WHERE created_at < now() - interval '24 hours'`);
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_key (owner, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT (owner, key) DO NOTHING RETURNING key`,
      [owner, key, requestHash],
    );
    if (inserted.length > 0) return { kind: 'run' };
    const rows: { request_hash: string; status: number | null; response: unknown }[] = await this.dataSource.query(
      `SELECT request_hash, status, response FROM idempotency_key WHERE owner = $1 AND key = $2`,
      [owner, key],
    );
    const row = rows[0];
    if (!row) return this.claim(owner, key, requestHash);
    if (row.request_hash !== requestHash) {
      throw new DomainError(
        'unprocessable',
        'request.idempotency_key_reused',
        '该 Idempotency-Key 已用于另一个请求。The Idempotency-Key was used for another request.',
      );
    }
    if (row.status === null) {
      throw new DomainError(
        'conflict',
        'request.idempotency_in_progress',
        '相同 Idempotency-Key 的请求仍在处理中。A request with this key is still running.',
      );
    }
    return { kind: 'replay', status: row.status, response: row.response };
  }

  private async store(owner: string, key: string, status: number, response: unknown): Promise<void> {
    await this.dataSource.query(`UPDATE idempotency_key SET status = $3, response = $4::jsonb WHERE owner = $1 AND key = $2`, [
      owner,
      key,
      status,
      JSON.stringify(response ?? null),
    ]);
  }

  private async release(owner: string, key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_key WHERE owner = $1 AND key = $2 AND status IS NULL`, [owner, key]);
  }
}
