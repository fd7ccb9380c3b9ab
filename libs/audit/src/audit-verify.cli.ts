/**
 * `npm run audit:verify`: walks every audit chain and reports the first broken row.
 * Exit 0 when intact, 2 when a row is broken. Uses DATABASE_URL, or the embedded PostgreSQL
 * under DATA_DIR like the migration CLI.
 */
import { DataSource } from 'typeorm';
import { loadConfigOrExit, redactUrl } from '@app/config';
import { type EmbeddedPostgresHandle, dataSourceOptions, startEmbeddedPostgres } from '@app/database';
import { AuditEvent } from './audit-event.entity';
import { verifyAuditChains } from './audit.service';

async function main(): Promise<number> {
  const config = loadConfigOrExit();
  let embedded: EmbeddedPostgresHandle | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, database: 'ouflow' });
    url = embedded.url;
  }
  const dataSource = new DataSource({ ...dataSourceOptions(url, 2), entities: [AuditEvent] });
  await dataSource.initialize();
  try {
    const { checked, broken } = await verifyAuditChains(dataSource);
    if (broken) {
      process.stdout.write(
        `Audit chain BROKEN at row id ${broken.id} (stream ${broken.stream}, seq ${broken.streamSeq}): ${broken.reason}. ${checked} rows checked in ${redactUrl(url)}.\n`,
      );
      return 2;
    }
    process.stdout.write(`Audit chain intact: ${checked} rows checked in ${redactUrl(url)}.\n`);
    return 0;
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
