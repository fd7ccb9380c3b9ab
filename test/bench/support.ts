import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { type Socket, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../support/ports';

export const DIST = join(__dirname, '..', '..');

export interface Row {
  benchmark: string;
  measured: string;
  baseline: string;
  /** Absent where a figure has no baseline to divide by (latencies against a goal). */
  ratio?: number;
  goal?: string;
}

export { freePort };

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
export function startBuilt(
  entry: string,
  args: string[],
  env: Record<string, string>,
  options: { nodeArgs?: string; dist?: string; node?: string } = {},
): Started {
  // BENCH_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) profiles the processes under load.
  const nodeArgs = (options.nodeArgs ?? process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(options.node ?? process.execPath, [...nodeArgs, join(options.dist ?? DIST, entry), ...args], {
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
  options: { dist?: string } = {},
): Promise<Started & { baseUrl: string; env: Record<string, string> }> {
  const env = {
    DATA_DIR: extraEnv.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'ouflow-bench-')),
    PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
    MAIL_CATCHER_SMTP_PORT: String(await freePort()),
    MAIL_CATCHER_WEB_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  const started = startBuilt('apps/standalone/src/main.js', [], env, { dist: options.dist });
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
  const lines = rows.map((row) => [
    row.benchmark,
    row.measured,
    row.baseline,
    row.ratio === undefined ? '' : row.ratio.toFixed(2),
    row.goal ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i].length)));
  const format = (cells: string[]): string => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  process.stdout.write(`${format(header)}\n| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |\n${lines.map(format).join('\n')}\n`);
}

export const perSecond = (value: number): string => `${Math.round(value).toLocaleString('en-US')}/s`;

/** The q-quantile (0..1) of a list of numbers, by the nearest rank; NaN for an empty list. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

/** The wall clock in milliseconds with sub-millisecond precision, comparable with PostgreSQL's now() on the same machine. */
export const wallClockMs = (): number => performance.timeOrigin + performance.now();

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until no email is waiting to be sent and no outbox row is due (up to `timeoutMs`); false if it never got quiet. */
export async function waitForQuiet(query: (sql: string) => Promise<{ busy: string | number }[]>, timeoutMs = 120_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [{ busy }] = await query(
      `SELECT (SELECT count(*) FROM notification_delivery WHERE state IN ('queued', 'sending', 'failed_transient'))
            + (SELECT count(*) FROM outbox WHERE dispatched_at IS NULL AND available_at <= now()) AS busy`,
    );
    if (Number(busy) === 0) return true;
    await sleep(100);
  }
  return false;
}

/**
 * A light JSON client for load: HTTP/1.1 written and read by hand over kept-alive sockets, one
 * request at a time per socket. The load generator shares the machine's cores with what it
 * measures, so it must cost little (fetch costs about 2 ms of CPU a request here, node:http 0.4 ms).
 * It reads only what the API sends: a status line, headers with Content-Length, a JSON body.
 */
export function jsonClient(
  baseUrl: string,
  sockets: number,
): {
  post(path: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; body: unknown }>;
  get(path: string, headers: Record<string, string>): Promise<{ status: number; body: unknown }>;
  /** Any method with a body given as parts (e.g. a multipart preamble, a file, its epilogue), written without copying them. */
  send(
    method: string,
    path: string,
    headers: Record<string, string>,
    contentType: string | undefined,
    parts: Buffer[],
  ): Promise<{ status: number; body: unknown }>;
  close(): void;
} {
  const { hostname, port } = new URL(baseUrl);
  const idle: Socket[] = [];
  const all: Socket[] = [];
  const waiting: ((socket: Socket) => void)[] = [];
  const acquire = (): Promise<Socket> => {
    const socket = idle.pop();
    if (socket) return Promise.resolve(socket);
    if (all.length < sockets) {
      const fresh = connect({ host: hostname, port: Number(port), noDelay: true });
      all.push(fresh);
      return new Promise((resolve, reject) => {
        fresh.once('connect', () => resolve(fresh));
        fresh.once('error', reject);
      });
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const release = (socket: Socket): void => {
    const next = waiting.shift();
    if (next) next(socket);
    else idle.push(socket);
  };
  const exchange = (socket: Socket, request: Buffer[]): Promise<{ status: number; body: unknown }> =>
    new Promise((resolve, reject) => {
      let buffered: Buffer = Buffer.alloc(0);
      const onData = (chunk: Buffer): void => {
        buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffered.subarray(0, end).toString('latin1');
        const length = /\r\ncontent-length: *(\d+)/i.exec(head);
        if (!length) return fail(new Error(`no Content-Length in ${head}`));
        const total = end + 4 + Number(length[1]);
        if (buffered.length < total) return;
        socket.off('data', onData);
        socket.off('error', fail);
        const text = buffered.subarray(end + 4, total).toString('utf8');
        try {
          resolve({ status: Number(head.slice(9, 12)), body: text === '' ? null : JSON.parse(text) });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      };
      const fail = (error: Error): void => {
        socket.off('data', onData);
        reject(error);
      };
      socket.on('data', onData);
      socket.once('error', fail);
      socket.cork();
      for (const part of request) socket.write(part);
      socket.uncork();
    });
  const send = async (
    method: string,
    path: string,
    headers: Record<string, string>,
    contentType: string | undefined,
    parts: Buffer[],
  ): Promise<{ status: number; body: unknown }> => {
    const lines = [`${method} ${path} HTTP/1.1`, `Host: ${hostname}:${port}`];
    if (contentType) lines.push(`Content-Type: ${contentType}`);
    if (method !== 'GET') lines.push(`Content-Length: ${parts.reduce((sum, part) => sum + part.length, 0)}`);
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    const socket = await acquire();
    try {
      return await exchange(socket, [Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), ...parts]);
    } finally {
      release(socket);
    }
  };
  return {
    post: (path, headers, body) => send('POST', path, headers, 'application/json', [Buffer.from(JSON.stringify(body))]),
    get: (path, headers) => send('GET', path, headers, undefined, []),
    send,
    close: () => {
      for (const socket of all) socket.destroy();
    },
  };
}

/** CPU seconds (user and kernel) used so far by each group of processes and their ended children, from /proc (Linux); empty elsewhere. */
export function cpuSeconds(
  groups: Record<string, (pid: number, command: string, parentPid: number) => boolean>,
): Record<string, { user: number; kernel: number }> {
  const totals = Object.fromEntries(Object.keys(groups).map((name) => [name, { user: 0, kernel: 0 }]));
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return {};
  }
  const ticksPerSecond = 100; // USER_HZ on Linux
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const group = Object.keys(groups).find((name) => groups[name](Number(entry), command, Number(fields[1])));
      if (group) {
        // With the time of its children that have ended: PostgreSQL's short-lived backends (pgbench's), the bench's pgbench.
        totals[group].user += (Number(fields[11]) + Number(fields[13])) / ticksPerSecond;
        totals[group].kernel += (Number(fields[12]) + Number(fields[14])) / ticksPerSecond;
      }
    } catch {
      // the process ended meanwhile
    }
  }
  return totals;
}

/** The parent of a process, from /proc (Linux); NaN elsewhere. */
export function parentPid(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return Number.NaN;
  }
}

/** The resident set size of a process in MB, from /proc (Linux); NaN elsewhere or once it has ended. */
export function rssMegabytes(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kilobytes = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return kilobytes ? Number(kilobytes[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Samples a process's RSS every 250 ms until `stop` is called; returns the peak seen. */
export function watchRss(pid: number | undefined): { stop(): number } {
  let peak = rssMegabytes(pid);
  const timer = setInterval(() => {
    const now = rssMegabytes(pid);
    // A failed read (NaN) never replaces a reading; the first reading replaces a NaN.
    if (now > peak || Number.isNaN(peak)) peak = now;
  }, 250);
  return {
    stop: () => {
      clearInterval(timer);
      const last = rssMegabytes(pid);
      return Number.isNaN(last) ? peak : Math.max(peak, last);
    },
  };
}
