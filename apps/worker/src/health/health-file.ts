import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface PartHealth {
  up: boolean;
  error: string | null;
}

/** What a worker writes every WORKER_HEALTH_INTERVAL_MS, and what `main.js --ready` reads. */
export interface WorkerHealthReport {
  id: string;
  pid: number;
  checkedAt: string;
  intervalMs: number;
  ready: boolean;
  database: PartHealth;
  queue: PartHealth;
  /** `up` is null until the worker has sent or probed once. */
  smtp: { up: boolean | null; error: string | null; checkedAt: string | null };
  unrecordedSends: number;
}

/** Written beside and renamed over the file, so a probe never reads half of it. */
export async function writeHealthFile(path: string, report: WorkerHealthReport): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(report)}\n`);
  await rename(temporary, path);
}

export function removeHealthFile(path: string): Promise<void> {
  return rm(path, { force: true });
}

/** A report older than three intervals belongs to a worker that stopped checking (stuck or gone). */
export async function readinessOf(path: string, now = Date.now()): Promise<{ ready: boolean; reason: string }> {
  let report: WorkerHealthReport;
  try {
    report = JSON.parse(await readFile(path, 'utf8')) as WorkerHealthReport;
  } catch {
    return { ready: false, reason: `no worker health at ${path} (not started yet, or stopped)` };
  }
  const age = now - Date.parse(report.checkedAt);
  if (!(age <= 3 * report.intervalMs))
    return { ready: false, reason: `worker ${report.id} last checked its health ${Math.round(age / 1000)} s ago` };
  const down = [
    report.database.up ? undefined : `database: ${report.database.error}`,
    report.queue.up ? undefined : `queue: ${report.queue.error}`,
    report.smtp.up === true ? undefined : `smtp: ${report.smtp.error ?? 'not checked yet'}`,
  ].filter((part): part is string => part !== undefined);
  return down.length === 0
    ? { ready: true, reason: `worker ${report.id} ready (unrecorded sends: ${report.unrecordedSends})` }
    : { ready: false, reason: `worker ${report.id} not ready: ${down.join('; ')}` };
}
