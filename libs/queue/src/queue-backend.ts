import { Logger } from '@nestjs/common';
import { createPostgresBackend, setDefaultBackendFactory, getDefaultBackendFactory, createRedisBackend } from 'bullmq';
import type { KeyPrefixOptions, QueueBaseOptions } from 'bullmq';
import type { ClientBase } from 'pg';
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

const logger = new Logger('Queue');
let lastLogged = 0;

/**
 * Every client of BullMQ's PostgreSQL pools gets an 'error' listener for its whole life. pg-pool
 * listens only while a client is idle; one that is checked out (BullMQ's schema migration at
 * start-up holds one across several queries) and loses its connection emits 'error' unobserved,
 * which ends the process. The holder still sees the failure through its query; this only logs it.
 */
function observeClientErrors(client: ClientBase): void {
  client.on('error', (error: Error) => {
    // At most one line a second: a database that is away fails every client at once.
    const now = Date.now();
    if (now - lastLogged < 1000) return;
    lastLogged = now;
    logger.warn({ err: { message: error.message, code: (error as { code?: string }).code } }, 'queue backend connection lost');
  });
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
      onConnect: observeClientErrors,
    } as QueueBaseOptions['connection'],
    prefix: config.queuePrefix,
  };
}
