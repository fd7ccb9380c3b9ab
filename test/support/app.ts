import { randomBytes } from 'node:crypto';
import { Module, type Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LoggerModule } from 'nestjs-pino';
import { type AppConfig, ConfigModule, loadConfig } from '../../libs/config/src';
import { CommonModule, loggerParams } from '../../libs/common/src';
import { DatabaseModule } from '../../libs/database/src';
import { QueueModule } from '../../libs/queue/src';
import { ApiModule, createHttpApp } from '../../apps/api/src';
import { WorkerModule } from '../../apps/worker/src';
import { type TestDatabase, createTestDatabase } from './database';
import { TEST_AUDIT_HMAC_KEY, TEST_JWT_SECRET } from './test-env';

export type QueueBackend = 'postgres' | 'redis';

/** Queue backends the queue tests run on: PostgreSQL always, Redis when REDIS_URL is set (CI sets it). */
export const QUEUE_BACKENDS: QueueBackend[] = process.env.REDIS_URL ? ['postgres', 'redis'] : ['postgres'];

export interface TestAppOptions {
  backend?: QueueBackend;
  /** Also run the queue processors in this process (as `npm start` does). */
  withWorker?: boolean;
  smtpUrl?: string;
  env?: Record<string, string>;
  /** Extra modules, e.g. a controller that only a test declares. */
  extraModules?: Type[];
  /** The URL the app connects with, given its fresh database (default: the test server's superuser). */
  connectAs?: (database: TestDatabase) => Promise<string>;
}

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  database: TestDatabase;
  baseUrl: string;
  close(): Promise<void>;
}

/** Environment for a process of the app under test (worker child processes, standalone runs). */
export function testConfigEnv(
  database: TestDatabase,
  backend: QueueBackend,
  prefix: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    AUDIT_HMAC_KEY: TEST_AUDIT_HMAC_KEY,
    JWT_SECRET: TEST_JWT_SECRET,
    DATABASE_URL: database.url,
    QUEUE_PREFIX: prefix,
    ...(backend === 'redis' ? { REDIS_URL: process.env.REDIS_URL ?? '' } : {}),
    ...extra,
  };
}

/** The real API (and optionally worker) on a database of its own, listening on a free port. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const backend = options.backend ?? 'postgres';
  const database = await createTestDatabase();
  const url = options.connectAs ? await options.connectAs(database) : database.url;
  const prefix = `ouflow-test-${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    ...testConfigEnv({ ...database, url }, backend, prefix, options.env),
    ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : {}),
    PORT: '3000',
  });
  @Module({
    imports: [
      ConfigModule.forRoot(config),
      CommonModule,
      LoggerModule.forRoot(loggerParams(config.logLevel, 'test')),
      DatabaseModule.forRoot(config),
      QueueModule.forRoot(config),
      ApiModule,
      ...(options.withWorker ? [WorkerModule] : []),
      ...(options.extraModules ?? []),
    ],
  })
  class TestRoot {}
  const app = await createHttpApp({ module: TestRoot }, config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    config,
    database,
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      // A shutdown that hangs fails the suite by the hook's timeout; this says what was still open meanwhile.
      const started = Date.now();
      const watchdog = setInterval(() => {
        const open = process.getActiveResourcesInfo().reduce<Record<string, number>>((counts, kind) => {
          counts[kind] = (counts[kind] ?? 0) + 1;
          return counts;
        }, {});
        process.stderr.write(`[test app] still closing after ${Date.now() - started} ms; open: ${JSON.stringify(open)}\n`);
      }, 15_000);
      try {
        await app.close();
      } finally {
        clearInterval(watchdog);
      }
      await database.drop();
    },
  };
}
