import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { TEST_ENV, databaseUrl, requireEnv } from './test-env';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: requireEnv(TEST_ENV.adminUrl) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh database with the migrated schema, cloned from the template (milliseconds, not a migration run). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = requireEnv(TEST_ENV.template);
  const parentPid = template.split('_').pop();
  const name = `ouflow_t_${parentPid}_${randomBytes(5).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return {
    name,
    url: databaseUrl(requireEnv(TEST_ENV.adminUrl), name),
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
