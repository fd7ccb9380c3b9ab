import { DataSource } from 'typeorm';
import { type AppConfig, redactUrl } from '@app/config';
import { type EmbeddedPostgresHandle, dataSourceOptions, startEmbeddedPostgres } from '@app/database';
import { AuditCheckpoint } from './audit-checkpoint.entity';
import { AuditEvent } from './audit-event.entity';

/** Runs `work` on the audit tables of DATABASE_URL, or of the embedded PostgreSQL under DATA_DIR like the migration CLI. */
export async function withAuditDatabase<T>(config: AppConfig, work: (dataSource: DataSource, shownUrl: string) => Promise<T>): Promise<T> {
  let embedded: EmbeddedPostgresHandle | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, database: 'ouflow' });
    url = embedded.url;
  }
  // Tables named with their schema: a schema the application's role created, named after the operator's role, would
  // come first on the default search_path and could stand in for the real tables.
  const options = dataSourceOptions(url, 2);
  if (options.type !== 'postgres') throw new Error('the audit tables live in PostgreSQL');
  const dataSource = new DataSource({ ...options, schema: 'public', entities: [AuditEvent, AuditCheckpoint] });
  await dataSource.initialize();
  try {
    return await work(dataSource, redactUrl(url));
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

/** Exits with the code `main` resolves to; an error prints one line and exits 1. */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
