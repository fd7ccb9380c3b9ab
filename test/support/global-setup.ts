import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../libs/database/src/embedded-postgres';
import { runMigrations } from '../../libs/database/src/migrations';
import { TEST_AUDIT_HMAC_KEY, TEST_ENV, databaseUrl } from './test-env';
import { freePort } from './ports';

declare global {
  var __OUFLOW_STOP_POSTGRES__: (() => Promise<void>) | undefined;
}

/**
 * Once per `npm test`: a PostgreSQL server (TEST_DATABASE_URL, or an embedded one in a temp
 * folder) and a template database with every migration applied. Each test file then clones the
 * template into a database of its own (test/support/database.ts).
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), 'ouflow-test-pg-'));
    const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'ouflow' });
    globalThis.__OUFLOW_STOP_POSTGRES__ = postgres.stop;
    serverUrl = postgres.url;
    process.env[TEST_ENV.embeddedDir] = dataDir;
  }
  const template = `ouflow_template_${process.pid}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  // Migrations run from the build, as in production: `npm test` builds first.
  const applied = await runMigrations(databaseUrl(serverUrl, template), join(__dirname, '..', '..', 'dist', 'migrations', '*.js'));
  if (applied.length === 0) throw new Error('No migrations found in dist/migrations: run the tests with npm test, which builds first');
  // Child processes started with the test's environment (the audit CLI) use the test app's audit key.
  process.env.AUDIT_HMAC_KEY = TEST_AUDIT_HMAC_KEY;
  process.env[TEST_ENV.adminUrl] = serverUrl;
  process.env[TEST_ENV.template] = template;
}
