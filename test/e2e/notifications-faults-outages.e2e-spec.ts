import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import type { WorkerHealthReport } from '../../apps/worker/src/health/health-file';
import { QUEUE_BACKENDS, type QueueBackend, type TestApp, startTestApp, testConfigEnv } from '../support/app';
import { commitMails, deliveryStates, testMail } from '../support/notifications';
import { freePort } from '../support/ports';
import { type RunningProcess, databaseOutage, runBuilt, runBuiltOnce, startRedisServer } from '../support/processes';
import { SmtpCatcher } from '../support/smtp-catcher';
import { waitFor } from '../support/wait';

/**
 * The worker as its own process, as in production, through the outages of what it depends on;
 * beside notifications-faults.e2e-spec.ts (a killed worker), so that both files run side by side.
 */
const FAST = {
  MAIL_RETRY_BASE_MS: '200',
  MAIL_MAX_ATTEMPTS: '8',
  RELAY_SWEEP_MS: '1000',
  RELAY_STALE_MS: '5000',
  MAIL_LEASE_MS: '3000',
  WORKER_HEALTH_INTERVAL_MS: '300',
};
const WORKER = 'apps/worker/src/main.js';
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Commits one mail every few milliseconds until stopped; a commit refused while the database is away is counted, not retried. */
function mailLoad(test: TestApp, tag: string): { stop(): Promise<{ committed: number; refused: number }> } {
  let running = true;
  let committed = 0;
  let refused = 0;
  const loop = (async () => {
    for (let i = 0; running; i += 1) {
      try {
        await commitMails(test.app, [testMail(`${tag}.${i}@example.cn`)]);
        committed += 1;
      } catch {
        refused += 1;
        await pause(50);
      }
      await pause(15);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { committed, refused };
    },
  };
}

/**
 * Waits until every delivery is `sent` or `dead` (a delivery recorded so is never claimed again,
 * whatever jobs the queue still holds), then checks: each dead one says why, each sent one arrived
 * exactly once (by Message-ID, which carries the delivery id).
 */
async function expectSettledOnce(
  test: TestApp,
  smtp: SmtpCatcher,
  total: number,
  timeoutMs: number,
): Promise<{ sent: number; dead: number }> {
  const dataSource = test.app.get<DataSource>(getDataSourceToken());
  let last: Record<string, number> = {};
  await waitFor(
    async () => {
      last = await deliveryStates(test.app);
      return (last.sent ?? 0) + (last.dead ?? 0) === total;
    },
    { timeoutMs, intervalMs: 200, what: () => `all ${total} deliveries sent or dead (now ${JSON.stringify(last)})` },
  );
  const dead: { n: number }[] = await dataSource.query(
    `SELECT count(*)::int AS n FROM notification_delivery WHERE state = 'dead' AND last_error IS NULL`,
  );
  expect(dead[0].n).toBe(0);
  const sent: { id: string }[] = await dataSource.query(`SELECT id FROM notification_delivery WHERE state = 'sent'`);
  const arrivals = new Map<string, number>();
  for (const message of smtp.messages) arrivals.set(message.messageId ?? '', (arrivals.get(message.messageId ?? '') ?? 0) + 1);
  const twice = [...arrivals].filter(([, count]) => count > 1).map(([id]) => id);
  expect(twice).toEqual([]);
  expect(smtp.messages).toHaveLength(sent.length);
  expect(new Set(sent.map((row) => `<${row.id}@ouflow>`))).toEqual(new Set(arrivals.keys()));
  return { sent: sent.length, dead: last.dead ?? 0 };
}

describe.each(QUEUE_BACKENDS)('the worker process rides out PostgreSQL, SMTP and Redis outages (%s)', (backend: QueueBackend) => {
  let smtp: SmtpCatcher;
  let test: TestApp;
  let worker: RunningProcess | undefined;
  let redis: ChildProcess | undefined;
  let redisUrl: string | undefined;
  let workerEnv: Record<string, string>;
  const healthFile = join(tmpdir(), `ouflow-worker-health-${randomBytes(4).toString('hex')}.json`);
  const probe = (): Promise<{ code: number | null; output: string }> => runBuiltOnce(WORKER, workerEnv, ['--ready']);
  const health = async (): Promise<WorkerHealthReport> => JSON.parse(await readFile(healthFile, 'utf8')) as WorkerHealthReport;

  beforeAll(async () => {
    smtp = await new SmtpCatcher().start();
    // Redis of the test's own (killed below), not the shared one.
    if (backend === 'redis') {
      const port = await freePort();
      redis = await startRedisServer(port);
      redisUrl = `redis://127.0.0.1:${port}`;
    }
    const env = { ...FAST, ...(redisUrl ? { REDIS_URL: redisUrl } : {}) };
    test = await startTestApp({ backend, smtpUrl: smtp.url, env });
    workerEnv = testConfigEnv(test.database, backend, test.config.queuePrefix, {
      ...env,
      SMTP_URL: smtp.url,
      WORKER_HEALTH_FILE: healthFile,
    });
    worker = runBuilt(WORKER, workerEnv);
    await waitFor(async () => (await probe()).code === 0, {
      timeoutMs: 20_000,
      what: () => `the worker to report ready: ${worker?.output()}`,
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await test?.close();
    await smtp?.stop();
    redis?.kill('SIGKILL');
    await rm(healthFile, { force: true });
  });

  it('records a mail SMTP accepted while the database was away once it is back, and never sends it again', async () => {
    let outage: { end(): Promise<void> } | undefined;
    // The moment of the fault: the mail has arrived, SMTP has not yet answered 250, the worker has not yet recorded it.
    smtp.beforeAccept = async () => {
      smtp.beforeAccept = undefined;
      outage = await databaseOutage(test.database.name);
    };
    await commitMails(
      test.app,
      Array.from({ length: 10 }, (_, i) => testMail(`between.${i}@example.cn`)),
    );
    await waitFor(() => outage, { timeoutMs: 15_000, what: 'a mail accepted, and the database taken away' });
    // The worker knows it sent mail it could not record, and says so in its health.
    const during = await waitFor(
      async () => {
        const report = await health();
        return !report.database.up && report.unrecordedSends > 0 ? report : undefined;
      },
      { timeoutMs: 5_000, what: 'the worker to report the database down and sends to record' },
    );
    expect(during.ready).toBe(false);
    expect((await probe()).code).toBe(1);
    // The outage outlasts a few of the queue's retries (200 ms apart at first); before the fix, the
    // failed record was taken for an SMTP failure and the mail went out again once the lease ran out.
    await pause(1_500);
    await outage!.end();
    const { sent } = await expectSettledOnce(test, smtp, 10, 45_000);
    expect(sent).toBe(10);
    await waitFor(async () => (await health()).unrecordedSends === 0 && (await probe()).code === 0, {
      timeoutMs: 10_000,
      what: 'the worker ready again with nothing left to record',
    });
    expect(worker!.child.exitCode).toBeNull();
  });

  it('under load: PostgreSQL away and back, SMTP refusing then 421, Redis restarted empty; everything sent or dead once, no restart needed', async () => {
    const before = smtp.messages.length;
    const committedBefore = Object.values(await deliveryStates(test.app)).reduce((sum, n) => sum + n, 0);
    const load = mailLoad(test, `load-${backend}`);
    await waitFor(() => smtp.messages.length >= before + 20, { timeoutMs: 20_000, what: '20 mails under load' });

    // PostgreSQL: every session cut, new ones refused for 1.5 s, right after an SMTP accept.
    let outage: { end(): Promise<void> } | undefined;
    smtp.beforeAccept = async () => {
      smtp.beforeAccept = undefined;
      outage = await databaseOutage(test.database.name);
    };
    await waitFor(() => outage, { timeoutMs: 10_000, what: 'the database taken away' });
    await pause(1_500);
    await outage!.end();
    const afterDatabase = smtp.messages.length;
    await waitFor(() => smtp.messages.length >= afterDatabase + 10, {
      timeoutMs: 20_000,
      what: 'mail flowing again after the database came back',
    });

    // SMTP away (connection refused): the API stays ready; the worker says SMTP is down.
    await smtp.stop();
    await request(test.baseUrl).get('/health/ready').expect(200);
    const smtpDown = await waitFor(
      async () => {
        const result = await probe();
        return result.code === 1 && /smtp/.test(result.output) ? result : undefined;
      },
      { timeoutMs: 10_000, what: 'the worker to report SMTP down' },
    );
    expect(smtpDown.output).toMatch(/not ready/);
    // The heartbeat row follows the health file within a moment.
    const workersWhileDown = await waitFor(
      async () => {
        const { body } = await request(test.baseUrl).get('/health/workers').expect(200);
        return body.smtpUp === 0 ? body : undefined;
      },
      { timeoutMs: 5_000, what: '/health/workers to count no worker with SMTP up' },
    );
    expect(workersWhileDown).toMatchObject({ alive: 1, smtpUp: 0, ready: 0 });
    await request(test.baseUrl).get('/health/ready').expect(200);
    // Back, but busy at first (421 to the next few messages).
    await smtp.start();
    smtp.failWith(421, 5);
    await waitFor(async () => (await probe()).code === 0, { timeoutMs: 15_000, what: 'the worker ready again after SMTP came back' });

    if (redis && redisUrl) {
      // The queue store away: the API's readiness does not wait for it.
      redis.kill('SIGKILL');
      const started = Date.now();
      await request(test.baseUrl).get('/health/ready').expect(200);
      expect(Date.now() - started).toBeLessThan(1_000);
      await waitFor(
        async () => {
          const result = await probe();
          return result.code === 1 && /queue/.test(result.output);
        },
        { timeoutMs: 10_000, what: 'the worker to report the queue store down' },
      );
      redis = await startRedisServer(Number(new URL(redisUrl).port));
    }

    const { committed, refused } = await load.stop();
    const { sent, dead } = await expectSettledOnce(test, smtp, committedBefore + committed, 60_000);
    // Recovered by itself: the same worker process, ready, and counted by the API.
    expect(worker!.child.exitCode).toBeNull();
    await waitFor(async () => (await probe()).code === 0, { timeoutMs: 10_000, what: 'the worker ready at the end' });
    const workers = await waitFor(
      async () => {
        const { body } = await request(test.baseUrl).get('/health/workers').expect(200);
        return body.ready === 1 && body.unrecordedSends === 0 ? body : undefined;
      },
      { timeoutMs: 5_000, what: '/health/workers to count the worker ready with every send recorded' },
    );
    expect(workers).toMatchObject({ alive: 1, ready: 1, queueUp: 1, smtpUp: 1, unrecordedSends: 0 });
    const metrics = await request(test.baseUrl).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/ouflow_workers\{state="ready"\} 1/);
    await request(test.baseUrl).get('/health/ready').expect(200);
    process.stdout.write(
      `[faults] ${backend}: ${committed} mails committed under load (${refused} refused while the database was away); ${sent} sent, ${dead} dead, none twice\n`,
    );
  });
});
