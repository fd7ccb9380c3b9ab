import { createPostgresBackend, setDefaultBackendFactory, getDefaultBackendFactory, createRedisBackend } from 'bullmq';
import type { KeyPrefixOptions, QueueBaseOptions } from 'bullmq';
import type { AppConfig } from '@app/config';

export type QueueBackendKind = 'redis' | 'postgres';

export function queueBackendKind(config: AppConfig): QueueBackendKind {
  return config.redisUrl ? 'redis' : 'postgres';
}

function redisConnection(redisUrl: string): QueueBaseOptions['connection'] {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 6379,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    // BullMQ workers need this: a blocked command must not fail after N retries.
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
  } as QueueBaseOptions['connection'];
}

/**
 * The connection options every queue and worker shares, and the process-wide backend choice:
 * Redis through ioredis when REDIS_URL is set, otherwise BullMQ's PostgreSQL backend in the
 * application's database (schema `bullmq`). Must run before any Queue or Worker is built.
 */
export function selectQueueBackend(config: AppConfig): Pick<QueueBaseOptions, 'connection'> & KeyPrefixOptions {
  if (config.redisUrl) {
    if (getDefaultBackendFactory() !== createRedisBackend) setDefaultBackendFactory(undefined);
    return { connection: redisConnection(config.redisUrl), prefix: config.queuePrefix };
  }
  if (!config.databaseUrl) throw new Error('The PostgreSQL queue backend needs a database URL');
  setDefaultBackendFactory(createPostgresBackend);
  return {
    connection: {
      connectionString: config.databaseUrl,
      migrate: true,
      max: 4,
      application_name: 'ouflow-queue',
    } as QueueBaseOptions['connection'],
    prefix: config.queuePrefix,
  };
}
