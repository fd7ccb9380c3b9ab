/**
 * `npm run migration:run | migration:revert | migration:show | migration:generate -- <Name>`.
 * Uses DATABASE_URL, or starts the embedded PostgreSQL under DATA_DIR when it is unset, so the
 * same commands work on a laptop and in production. Runs from the build (dist/).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { MigrationGenerateCommand } from 'typeorm/commands/MigrationGenerateCommand.js';
import { loadConfigOrExit, redactUrl } from '@app/config';
import { ENTITIES_GLOB, dataSourceOptions } from './data-source-options';
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from './embedded-postgres';

/** Reuses TypeORM's own migration template so generated files look exactly like its CLI's. */
class MigrationTemplate extends MigrationGenerateCommand {
  static render(name: string, timestamp: number, up: Query[], down: Query[]): string {
    const line = (query: Query): string =>
      '        await queryRunner.query(`' + this.escapeTemplateLiteral(query.query) + '`' + this.queryParams(query.parameters) + ');';
    return this.getTemplate(name, timestamp, up.map(line), down.map(line).reverse());
  }
}

interface Query {
  query: string;
  parameters?: unknown[];
}

const SOURCE_MIGRATIONS_DIR = join(__dirname, '..', '..', '..', '..', 'migrations');

async function generate(dataSource: DataSource, name: string): Promise<void> {
  if (!/^[A-Z][A-Za-z0-9]+$/.test(name)) throw new Error(`Migration name must be PascalCase, got "${name}"`);
  const sql = await dataSource.driver.createSchemaBuilder().log();
  if (sql.upQueries.length === 0) {
    process.stdout.write('No changes in the entities: no migration generated.\n');
    return;
  }
  const timestamp = Date.now();
  const file = join(SOURCE_MIGRATIONS_DIR, `${timestamp}-${name}.ts`);
  const body = MigrationTemplate.render(name, timestamp, sql.upQueries, sql.downQueries);
  writeFileSync(file, body);
  process.stdout.write(`Generated ${file}\n`);
}

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  const config = loadConfigOrExit();
  let embedded: EmbeddedPostgresHandle | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, database: 'ouflow' });
    url = embedded.url;
  }
  process.stdout.write(`Database: ${redactUrl(url)}\n`);
  const dataSource = new DataSource({ ...dataSourceOptions(url, 2), entities: [ENTITIES_GLOB] });
  await dataSource.initialize();
  try {
    switch (command) {
      case 'run': {
        const applied = await dataSource.runMigrations({ transaction: 'each' });
        process.stdout.write(applied.length ? applied.map((m) => `Applied ${m.name}\n`).join('') : 'Nothing to apply.\n');
        break;
      }
      case 'revert':
        await dataSource.undoLastMigration({ transaction: 'each' });
        process.stdout.write('Reverted the last migration.\n');
        break;
      case 'show': {
        const pending = await dataSource.showMigrations();
        process.stdout.write(pending ? 'There are pending migrations.\n' : 'All migrations are applied.\n');
        break;
      }
      case 'generate':
        if (!name) throw new Error('Usage: npm run migration:generate -- <PascalCaseName>');
        await dataSource.runMigrations({ transaction: 'each' });
        await generate(dataSource, name);
        break;
      default:
        throw new Error(`Unknown command "${command ?? ''}": use run, revert, show or generate <Name>`);
    }
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
