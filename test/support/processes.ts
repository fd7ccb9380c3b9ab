import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { TEST_ENV, requireEnv } from './test-env';
import { waitFor } from './wait';

export const ROOT = join(__dirname, '..', '..');

export interface RunningProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs a built entry point (dist/...) as its own process, as production or `npm start` would. */
export function runBuilt(entry: string, env: Record<string, string>, args: string[] = []): RunningProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', join(ROOT, 'dist', entry), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs a built entry point to its end, e.g. an exec probe (`main.js --ready`): its exit code and output. */
export async function runBuiltOnce(
  entry: string,
  env: Record<string, string>,
  args: string[],
): Promise<{ code: number | null; output: string }> {
  const run = runBuilt(entry, env, args);
  const code = await run.exited;
  return { code, output: run.output() };
}

/**
 * Takes one test database away as a stopped server would be for its clients: every session is
 * terminated (57P01, as on a fast shutdown) and new ones are refused until `end()`. The test
 * server itself, shared with the other test files, keeps running.
 */
export async function databaseOutage(database: string): Promise<{ end(): Promise<void> }> {
  const admin = new Client({ connectionString: requireEnv(TEST_ENV.adminUrl) });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database]);
  } finally {
    await admin.end();
  }
  return {
    end: async () => {
      const again = new Client({ connectionString: requireEnv(TEST_ENV.adminUrl) });
      await again.connect();
      try {
        await again.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
      } finally {
        await again.end();
      }
    },
  };
}

export const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((path) => existsSync(path));

/** A redis-server of the test's own on `port`, without persistence: killed and started again, it comes back empty. */
export async function startRedisServer(port: number): Promise<ChildProcess> {
  if (!REDIS_SERVER) throw new Error('redis-server is not installed');
  const redis = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  await waitFor(
    async () => {
      const client = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0 });
      try {
        await client.connect();
        return (await client.ping()) === 'PONG';
      } finally {
        client.disconnect();
      }
    },
    { timeoutMs: 10_000, what: 'redis-server to answer' },
  );
  return redis;
}
