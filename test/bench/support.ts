import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

export const DIST = join(__dirname, '..', '..');

export interface Row {
  benchmark: string;
  measured: string;
  baseline: string;
  ratio: number;
  goal?: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

export interface Started {
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a built entry point (relative to dist/) as a child process. */
export function startBuilt(entry: string, args: string[], env: Record<string, string>): Started {
  // BENCH_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) profiles the processes under load.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(DIST, entry), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}

/** The standalone app on embedded PostgreSQL (or DATABASE_URL/REDIS_URL if set), on free ports. */
export async function startStandalone(
  extraEnv: Record<string, string> = {},
): Promise<Started & { baseUrl: string; env: Record<string, string> }> {
  const env = {
    DATA_DIR: mkdtempSync(join(tmpdir(), 'ouflow-bench-')),
    PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
    MAIL_CATCHER_SMTP_PORT: String(await freePort()),
    MAIL_CATCHER_WEB_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  const started = startBuilt('apps/standalone/src/main.js', [], env);
  const baseUrl = `http://127.0.0.1:${env.PORT}`;
  await waitForHttp(`${baseUrl}/health/ready`);
  return { ...started, baseUrl, env };
}

/** Requests per second with autocannon, after a short warm-up. */
export async function requestsPerSecond(
  url: string,
  options: { connections?: number; seconds?: number; headers?: Record<string, string> } = {},
): Promise<number> {
  const connections = options.connections ?? 50;
  await autocannon({ url, connections, duration: 2, headers: options.headers });
  const result = await autocannon({ url, connections, duration: options.seconds ?? 10, headers: options.headers });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors under load`);
  }
  return result.requests.average;
}

export function printTable(rows: Row[]): void {
  const header = ['benchmark', 'measured', 'baseline', 'ratio', 'goal'];
  const lines = rows.map((row) => [row.benchmark, row.measured, row.baseline, row.ratio.toFixed(2), row.goal ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i].length)));
  const format = (cells: string[]): string => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  process.stdout.write(`${format(header)}\n| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |\n${lines.map(format).join('\n')}\n`);
}

export const perSecond = (value: number): string => `${Math.round(value).toLocaleString('en-US')}/s`;

/**
 * A light JSON client for load: node:http over kept-alive sockets. The load generator shares the
 * machine's cores with what it measures, so it must cost little; fetch costs about a millisecond of
 * CPU a request here.
 */
export function jsonClient(
  baseUrl: string,
  sockets: number,
): {
  post(path: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; body: unknown }>;
  close(): void;
} {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const { hostname, port } = new URL(baseUrl);
  return {
    post: (path, headers, body) =>
      new Promise((resolve, reject) => {
        const payload = Buffer.from(JSON.stringify(body));
        const req = request(
          {
            agent,
            hostname,
            port,
            path,
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json', 'content-length': payload.length },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              try {
                resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
              } catch (error) {
                reject(error as Error);
              }
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      }),
    close: () => agent.destroy(),
  };
}
