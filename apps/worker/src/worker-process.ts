import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger, LoggerModule } from 'nestjs-pino';
import { ConfigModule, loadConfigOrExit } from '@app/config';
import { CommonModule, limitShutdown, loggerParams } from '@app/common';
import { DatabaseModule } from '@app/database';
import { QueueModule } from '@app/queue';
import { WorkerModule } from './worker.module';

/** Queue worker process: an application context, no HTTP port. Scale by adding replicas. */
export async function runWorker(): Promise<void> {
  const config = loadConfigOrExit();
  if (!config.databaseUrl) {
    process.stderr.write('Invalid configuration: DATABASE_URL: is required for the worker process\n');
    process.exit(78);
  }
  @Module({
    imports: [
      ConfigModule.forRoot(config),
      CommonModule,
      LoggerModule.forRoot(loggerParams(config.logLevel, 'worker')),
      DatabaseModule.forRoot(config),
      QueueModule.forRoot(config),
      WorkerModule,
    ],
  })
  class WorkerRoot {}
  const app = await NestFactory.createApplicationContext(WorkerRoot, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  limitShutdown(config.shutdownTimeoutMs);
  app.get(Logger).log(`worker ${process.pid} consuming`);
}
