import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { ConfigModule, loadConfigOrExit } from '@app/config';
import { CommonModule, limitShutdown, loggerParams } from '@app/common';
import { DatabaseModule } from '@app/database';
import { QueueModule } from '@app/queue';
import { ApiModule } from './api.module';
import { createHttpApp } from './http-app';
import { listenOrExit } from './listen';

/** Production API process: DATABASE_URL is required; migrations run as their own step. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  if (!config.databaseUrl) {
    process.stderr.write('Invalid configuration: DATABASE_URL: is required for the API process (npm start runs everything embedded)\n');
    process.exit(78);
  }
  @Module({})
  class ApiRoot {}
  const app = await createHttpApp(
    {
      module: ApiRoot,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule,
        LoggerModule.forRoot(loggerParams(config.logLevel, 'api')),
        DatabaseModule.forRoot(config),
        QueueModule.forRoot(config),
        ApiModule,
      ],
    },
    config,
  );
  await listenOrExit(app, config);
  limitShutdown(config.shutdownTimeoutMs);
}

void main();
