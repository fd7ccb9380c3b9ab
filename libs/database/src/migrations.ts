import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/** Applies pending migrations from the build. Returns the names applied. */
export async function runMigrations(url: string, migrationsGlob?: string): Promise<string[]> {
  const options = dataSourceOptions(url, 2);
  const dataSource = new DataSource({ ...options, migrations: migrationsGlob ? [migrationsGlob] : options.migrations, logging: false });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
