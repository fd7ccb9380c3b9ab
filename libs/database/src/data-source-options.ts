import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';

/** Where compiled migrations live. Migrations run from the build (dist/migrations/*.js), never from sources. */
export const MIGRATIONS_GLOB = join(__dirname, '..', '..', '..', 'migrations', '*.js');
/** Every entity of every lib, as compiled; used by the migration CLI to diff the schema. */
export const ENTITIES_GLOB = join(__dirname, '..', '..', '..', 'libs', '*', 'src', '**', '*.entity.js');

export function dataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'schema_migration',
    extra: {
      max: poolSize,
      application_name: 'ouflow',
      // Every session starts READ COMMITTED whatever the server's default, so a transaction needs no
      // extra round trip to set its level (see inTransaction).
      options: '-c default_transaction_isolation=read\\ committed',
    },
  };
}
