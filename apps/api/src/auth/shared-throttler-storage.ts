import type { ThrottlerStorage } from '@nestjs/throttler';
import type { RateLimitStore } from '@app/identity';

interface ThrottlerStorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

/**
 * @nestjs/throttler's counters in the store every replica shares (Redis or PostgreSQL), so that a
 * limit holds for the deployment, not per replica. A key over its limit stays blocked for
 * blockDuration (the throttler passes the ttl when a route sets none).
 */
export class SharedThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly store: RateLimitStore) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const storeKey = `throttle:${throttlerName}:${key}`;
    const blocked = await this.store.blockedFor(storeKey);
    if (blocked > 0) {
      const seconds = Math.ceil(blocked / 1000);
      return { totalHits: limit + 1, timeToExpire: seconds, isBlocked: true, timeToBlockExpire: seconds };
    }
    const { hits, resetsInMs } = await this.store.hit(storeKey, ttl);
    const timeToExpire = Math.ceil(resetsInMs / 1000);
    if (hits <= limit) return { totalHits: hits, timeToExpire, isBlocked: false, timeToBlockExpire: 0 };
    const blockMs = blockDuration > 0 ? blockDuration : resetsInMs;
    await this.store.block(storeKey, blockMs);
    return { totalHits: hits, timeToExpire, isBlocked: true, timeToBlockExpire: Math.ceil(blockMs / 1000) };
  }
}
