import { createHash } from 'node:crypto';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Observable, from, lastValueFrom } from 'rxjs';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@app/common';
import { RequestTransaction } from '@app/database';
import type { Actor } from '@app/identity';
import { IDEMPOTENT, uploadFingerprint } from './idempotent';

const KEY = /^[A-Za-z0-9._:-]{8,200}$/;
/** Where @HttpCode() keeps its status (Nest's HTTP_CODE_METADATA). */
const HTTP_CODE_METADATA = '__httpCode__';
const MUTATING = new Set(['POST', 'PUT', 'PATCH']);

interface StoredAnswer {
  request_hash: string;
  status: number;
  response: unknown;
}

/** Thrown by the claim when a committed answer is found once the request has run up to its first write. */
class Replay extends Error {
  constructor(readonly answer: StoredAnswer) {
    super('idempotent replay');
  }
}

/**
 * `Idempotency-Key` on the routes marked `@Idempotent()` (ARCHITECTURE.md, HTTP contract): the first
 * request with a key runs and its answer is stored; a retry with the same key and the same request
 * gets that answer again without running anything; the same key with another request is refused
 * (422), and so is a retry while the first still runs (409). Keys are per user and kept 24 hours.
 *
 * The key lives and dies with the request's own transaction (RequestTransaction): it is claimed
 * when the request begins writing (a transaction-scoped advisory lock, so a duplicate running at
 * the same time is told 409 at once), and the answer is inserted in the same transaction before its
 * commit. A replica or database that dies mid-request rolls back the key with the writes, so a
 * retry runs the operation once; a commit leaves the answer for the retry to replay. A failed
 * request (4xx, 5xx) stores no key and commits what it would have committed without one.
 *
 * Anonymous requests never get a key stored: their routes (sign-in, registration, password reset)
 * answer with or are sent secrets, and with no caller to scope a key to, anyone sending the same
 * key and body would get the stored answer.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest & { actor?: Actor }>();
    const header = request.headers['idempotency-key'];
    if (header === undefined || !MUTATING.has(request.method)) return next.handle();
    const opted = this.reflector.getAllAndOverride<boolean | undefined>(IDEMPOTENT, [context.getHandler(), context.getClass()]);
    if (!opted || !request.actor) return next.handle();
    const key = Array.isArray(header) ? header[0] : header;
    if (!KEY.test(key)) {
      throw new DomainError(
        'validation',
        'request.invalid_idempotency_key',
        'Idempotency-Key 须为 8 至 200 个字母、数字或 . _ : - 字符。Invalid Idempotency-Key.',
      );
    }
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    // The status Nest will send (it is applied after interceptors): @HttpCode, else 201 for POST, 200 otherwise.
    const declared = Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined;
    const status = declared ?? (request.method === 'POST' ? 201 : 200);
    return from(this.handle({ owner: request.actor.userId, key, request, reply, status }, next));
  }

  private async handle(call: KeyedCall, next: CallHandler): Promise<unknown> {
    const { owner, key, request, reply } = call;
    await this.dataSource.query(`DELETE FROM idempotency_key WHERE created_at < now() - interval '24 hours'`);
    // A JSON retry is answered before anything runs; a multipart one only once its handler has read the file.
    if (!request.isMultipart()) {
      const stored = await this.stored(this.dataSource.manager, owner, key);
      if (stored) return this.replay(reply, stored, requestHash(request));
    }
    const transaction = new RequestTransaction(this.dataSource, (manager) => this.claim(manager, owner, key, requestHash(request)));
    let response: unknown;
    try {
      response = await transaction.run(() => lastValueFrom(next.handle(), { defaultValue: undefined }));
      // Begins (and claims) the transaction here if the handler wrote nothing. The claim saw no live
      // answer for the key, so a conflicting row can only be an expired one not yet deleted.
      const manager = await transaction.manager();
      await manager.query(
        `INSERT INTO idempotency_key (owner, key, request_hash, status, response) VALUES ($1, $2, $3, $4, $5::jsonb)
         ON CONFLICT (owner, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, status = EXCLUDED.status,
           response = EXCLUDED.response, created_at = now()`,
        [owner, key, requestHash(request), call.status, JSON.stringify(response ?? null)],
      );
    } catch (error) {
      // Without the key, what the request completed commits as it would have without one.
      await transaction.end(true).catch(() => undefined);
      if (error instanceof Replay) return this.replay(reply, error.answer, requestHash(request));
      throw error;
    }
    await transaction.end(true);
    return response;
  }

  /** First statements of the request's transaction: the key is ours until it commits or rolls back. */
  private async claim(manager: EntityManager, owner: string, key: string, requestHash: string): Promise<void> {
    const locked: { free: boolean }[] = await manager.query(`SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS free`, [
      `idempotency_key ${owner} ${key}`,
    ]);
    if (!locked[0]?.free) {
      throw new DomainError(
        'conflict',
        'request.idempotency_in_progress',
        '相同 Idempotency-Key 的请求仍在处理中。A request with this key is still running.',
      );
    }
    // Read after the lock: an answer committed by a duplicate that just finished is seen.
    const stored = await this.stored(manager, owner, key);
    if (stored) {
      if (stored.request_hash !== requestHash) throw keyReused();
      throw new Replay(stored);
    }
  }

  private async stored(manager: EntityManager, owner: string, key: string): Promise<StoredAnswer | undefined> {
    const rows: StoredAnswer[] = await manager.query(
      `SELECT request_hash, status, response FROM idempotency_key
        WHERE owner = $1 AND key = $2 AND created_at >= now() - interval '24 hours'`,
      [owner, key],
    );
    return rows[0];
  }

  private replay(reply: FastifyReply, stored: StoredAnswer, requestHash: string): unknown {
    if (stored.request_hash !== requestHash) throw keyReused();
    void reply.status(stored.status).header('idempotent-replayed', 'true');
    return stored.response;
  }
}

interface KeyedCall {
  owner: string;
  key: string;
  request: FastifyRequest;
  reply: FastifyReply;
  status: number;
}

/** sha256 of method, URL and body; a multipart body by what its handler declared (fingerprintUpload). */
function requestHash(request: FastifyRequest): string {
  const body = request.isMultipart() ? uploadFingerprint(request) : JSON.stringify(request.body ?? null);
  if (body === undefined) {
    throw new Error(
      `${request.method} ${request.routeOptions.url ?? request.url} takes Idempotency-Key but does not fingerprint its upload`,
    );
  }
  return createHash('sha256').update(`${request.method}\n${request.url}\n${body}`).digest('hex');
}

function keyReused(): DomainError {
  return new DomainError(
    'unprocessable',
    'request.idempotency_key_reused',
    '该 Idempotency-Key 已用于另一个请求。The Idempotency-Key was used for another request.',
  );
}
