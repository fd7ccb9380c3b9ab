import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { DomainError } from '@app/common';
import { APP_CONFIG, type AppConfig } from '@app/config';

export interface WindowHit {
  /** Hits in the current window, this one included. */
  hits: number;
  /** Until the window ends and the count starts again. */
  resetsInMs: number;
}

/**
 * Counters every API replica shares, for the rate limits (issue 12: limits counted per replica
 * did not hold). A key counts hits in a fixed window that starts with its first hit, and may be
 * blocked for a while. Keys are hashed before they are stored: they carry IPs and emails.
 */
export abstract class RateLimitStore {
  abstract hit(key: string, windowMs: number): Promise<WindowHit>;
  /** Blocks the key for at least `ms` (an existing longer block stays). */
  abstract block(key: string, ms: number): Promise<void>;
  /** Milliseconds the key stays blocked, 0 when it is not. */
  abstract blockedFor(key: string): Promise<number>;
  abstract reset(key: string): Promise<void>;
}

export function storedKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}

/** A store that cannot be reached answers 503: a limit that cannot be checked is not waved through. */
function unavailable(error: unknown): never {
  if (error instanceof DomainError) throw error;
  throw new DomainError(
    'unavailable',
    'service.unavailable',
    '服务暂不可用，请稍后再试。The service is briefly unavailable; please retry.',
    { retryAfterSeconds: 5 },
  );
}

/** In the application's database: one row per key, updated by atomic upserts; expired rows swept. */
export class PostgresRateLimitStore extends RateLimitStore {
  private lastSweep = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sweepEveryMs = 60_000,
  ) {
    super();
  }

  async hit(key: string, windowMs: number): Promise<WindowHit> {
    this.maybeSweep();
    const rows: { hits: number; resets_in_ms: number }[] = await this.dataSource
      .query(
        `INSERT INTO rate_limit AS r (key, hits, window_ends_at)
         VALUES ($1, 1, clock_timestamp() + $2 * interval '1 millisecond')
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN r.window_ends_at <= clock_timestamp() THEN 1 ELSE r.hits + 1 END,
           window_ends_at = CASE WHEN r.window_ends_at <= clock_timestamp() THEN EXCLUDED.window_ends_at ELSE r.window_ends_at END
         RETURNING hits, ceil(extract(epoch FROM r.window_ends_at - clock_timestamp()) * 1000)::int AS resets_in_ms`,
        [storedKey(key), windowMs],
      )
      .catch(unavailable);
    const row = rows[0]!;
    return { hits: row.hits, resetsInMs: Math.max(0, row.resets_in_ms) };
  }

  async block(key: string, ms: number): Promise<void> {
    await this.dataSource
      .query(
        `INSERT INTO rate_limit AS r (key, hits, window_ends_at, blocked_until)
         VALUES ($1, 0, clock_timestamp(), clock_timestamp() + $2 * interval '1 millisecond')
         ON CONFLICT (key) DO UPDATE SET blocked_until = GREATEST(r.blocked_until, EXCLUDED.blocked_until)`,
        [storedKey(key), ms],
      )
      .catch(unavailable);
  }

  async blockedFor(key: string): Promise<number> {
    const rows: { ms: number }[] = await this.dataSource
      .query(
        `SELECT ceil(extract(epoch FROM blocked_until - clock_timestamp()) * 1000)::int AS ms
           FROM rate_limit WHERE key = $1 AND blocked_until > clock_timestamp()`,
        [storedKey(key)],
      )
      .catch(unavailable);
    return Math.max(0, rows[0]?.ms ?? 0);
  }

  async reset(key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM rate_limit WHERE key = $1`, [storedKey(key)]).catch(unavailable);
  }

  /** At most one sweep a minute per replica, in the background: a failed sweep only delays the next. */
  private maybeSweep(): void {
    const now = Date.now();
    if (now - this.lastSweep < this.sweepEveryMs) return;
    this.lastSweep = now;
    void this.dataSource
      .query(
        `DELETE FROM rate_limit WHERE window_ends_at < clock_timestamp() AND (blocked_until IS NULL OR blocked_until < clock_timestamp())`,
      )
      .catch(() => undefined);
  }
}

/** Hits and the window's start in one step: INCR, and the expiry set by the first hit. */
const HIT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {hits, ttl}`;

/** Keeps the longer of an existing block and the new one. */
const BLOCK_SCRIPT = `
local ttl = redis.call('PTTL', KEYS[1])
if ttl < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return 1`;

/** In Redis (REDIS_URL): keys expire by themselves. A command fails after one reconnection attempt while Redis is away. */
export class RedisRateLimitStore extends RateLimitStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    super();
  }

  async hit(key: string, windowMs: number): Promise<WindowHit> {
    const [hits, ttl] = (await this.redis.eval(HIT_SCRIPT, 1, this.countKey(key), String(windowMs)).catch(unavailable)) as [number, number];
    return { hits, resetsInMs: Math.max(0, ttl) };
  }

  async block(key: string, ms: number): Promise<void> {
    await this.redis.eval(BLOCK_SCRIPT, 1, this.blockKey(key), String(Math.max(1, Math.ceil(ms)))).catch(unavailable);
  }

  async blockedFor(key: string): Promise<number> {
    return Math.max(0, await this.redis.pttl(this.blockKey(key)).catch(unavailable));
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.countKey(key), this.blockKey(key)).catch(unavailable);
  }

  private countKey(key: string): string {
    return `${this.prefix}:rl:${storedKey(key)}`;
  }

  private blockKey(key: string): string {
    return `${this.prefix}:rl:${storedKey(key)}:block`;
  }
}

/** The store for this deployment: Redis when REDIS_URL is set, PostgreSQL otherwise. */
@Injectable()
export class SharedRateLimitStore extends RateLimitStore implements OnApplicationShutdown {
  private readonly logger = new Logger('RateLimitStore');
  private readonly store: RateLimitStore;
  private readonly redis: Redis | undefined;

  constructor(@InjectDataSource() dataSource: DataSource, @Inject(APP_CONFIG) config: AppConfig) {
    super();
    if (config.redisUrl) {
      this.redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000 });
      this.redis.on('error', (error: Error) => this.logger.warn(`Redis: ${error.message}`));
      this.store = new RedisRateLimitStore(this.redis, config.queuePrefix);
    } else {
      this.store = new PostgresRateLimitStore(dataSource);
    }
  }

  hit(key: string, windowMs: number): Promise<WindowHit> {
    return this.store.hit(key, windowMs);
  }

  block(key: string, ms: number): Promise<void> {
    return this.store.block(key, ms);
  }

  blockedFor(key: string): Promise<number> {
    return this.store.blockedFor(key);
  }

  reset(key: string): Promise<void> {
    return this.store.reset(key);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
  }
}
