import { loadConfigOrExit } from '@app/config';
import { readinessOf } from './health/health-file';

/**
 * `node dist/apps/worker/src/main.js --ready`: exits 0 when this container's worker reported
 * itself ready (database, queue store and SMTP reachable) within three health intervals, 1
 * otherwise, with the reason on one line. Reads only the worker's health file: no connection opened.
 */
export async function probeReadiness(): Promise<number> {
  const config = loadConfigOrExit();
  const { ready, reason } = await readinessOf(config.workerHealthFile);
  (ready ? process.stdout : process.stderr).write(`${reason}\n`);
  return ready ? 0 : 1;
}
