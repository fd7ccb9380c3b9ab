import type { ChildProcess } from 'node:child_process';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { OutboxRelay } from '../../libs/notifications/src/outbox-relay';
import { QUEUE_BACKENDS, type TestApp, startTestApp, testConfigEnv } from '../support/app';
import { commitMails, deliveryStates, testMail } from '../support/notifications';
import { freePort } from '../support/ports';
import { REDIS_SERVER, type RunningProcess, runBuilt, startRedisServer } from '../support/processes';
import { SmtpCatcher } from '../support/smtp-catcher';
import { waitFor } from '../support/wait';

const FAST = {
  MAIL_RETRY_BASE_MS: '200',
  MAIL_MAX_ATTEMPTS: '8',
  RELAY_SWEEP_MS: '1000',
  RELAY_STALE_MS: '5000',
  MAIL_LEASE_MS: '3000',
};

/** Every delivery ends `sent` or `dead`; returns duplicates seen at the catcher. */
async function expectAllSettled(test: TestApp, smtp: SmtpCatcher, total: number, timeoutMs: number): Promise<{ duplicates: number }> {
  const dataSource = test.app.get<DataSource>(getDataSourceToken());
  await waitFor(
    async () => {
      const states = await deliveryStates(test.app);
      return (states.sent ?? 0) + (states.dead ?? 0) === total ? states : undefined;
    },
    { timeoutMs, intervalMs: 250, what: `all ${total} deliveries sent or dead` },
  );
  const missing = await dataSource.query(`SELECT count(*)::int AS n FROM notification_delivery WHERE state NOT IN ('sent', 'dead')`);
  expect(missing[0].n).toBe(0);
  const unique = new Set(smtp.messages.map((m) => m.messageId));
  const sent = await dataSource.query(`SELECT count(*)::int AS n FROM notification_delivery WHERE state = 'sent'`);
  expect(unique.size).toBe(sent[0].n);
  return { duplicates: smtp.messages.length - unique.size };
}

describe.each(QUEUE_BACKENDS)('notifications survive a killed worker (%s)', (backend) => {
  let smtp: SmtpCatcher;
  let test: TestApp;
  let worker: RunningProcess | undefined;

  beforeAll(async () => {
    smtp = await new SmtpCatcher().start();
    test = await startTestApp({ backend, smtpUrl: smtp.url, env: FAST });
  });

  afterAll(async () => {
    await worker?.stop();
    await test?.close();
    await smtp?.stop();
  });

  it('delivers all 300 emails when the worker is killed with SIGKILL mid-run and restarted', async () => {
    const env = testConfigEnv(test.database, backend, test.config.queuePrefix, { ...FAST, SMTP_URL: smtp.url });
    worker = runBuilt('apps/worker/src/main.js', env);
    const notices = Array.from({ length: 300 }, (_, i) => testMail(`kill.${i}@example.cn`, `#${i}`));
    for (let i = 0; i < notices.length; i += 50) await commitMails(test.app, notices.slice(i, i + 50));
    await waitFor(() => smtp.messages.length >= 60, { timeoutMs: 60_000, what: '60 mails before the kill' });
    worker.child.kill('SIGKILL');
    await worker.exited;
    const atKill = smtp.messages.length;
    expect(atKill).toBeLessThan(300);
    worker = runBuilt('apps/worker/src/main.js', env);
    const { duplicates } = await expectAllSettled(test, smtp, 300, 120_000);
    expect(new Set(smtp.messages.flatMap((m) => m.to)).size).toBe(300);
    process.stdout.write(`[faults] ${backend}: SIGKILL after ${atKill} of 300 mails; duplicates at the catcher: ${duplicates}\n`);
  });
});

const describeRedis = REDIS_SERVER && QUEUE_BACKENDS.includes('redis') ? describe : describe.skip;

describeRedis('notifications survive the queue store going away (Redis)', () => {
  let smtp: SmtpCatcher;
  let test: TestApp;
  let redis: ChildProcess | undefined;
  let port: number;
  const startRedis = async (): Promise<void> => {
    redis = await startRedisServer(port);
  };

  beforeAll(async () => {
    port = await freePort();
    await startRedis();
    smtp = await new SmtpCatcher().start();
    test = await startTestApp({
      backend: 'redis',
      withWorker: true,
      smtpUrl: smtp.url,
      env: { ...FAST, REDIS_URL: `redis://127.0.0.1:${port}` },
    });
  });

  afterAll(async () => {
    await test?.close();
    await smtp?.stop();
    redis?.kill('SIGKILL');
  });

  it('keeps accepting changes while Redis is down for 4 s, and delivers everything once it is back (empty)', async () => {
    // Sweeps run one at a time: while Redis is away they must not pile up and re-add the same jobs at once after.
    const relay = test.app.get(OutboxRelay);
    const sweep = relay.sweep.bind(relay);
    let inFlight = 0;
    let mostInFlight = 0;
    let sweeps = 0;
    jest.spyOn(relay, 'sweep').mockImplementation(async () => {
      inFlight += 1;
      sweeps += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      try {
        return await sweep();
      } finally {
        inFlight -= 1;
      }
    });
    await commitMails(
      test.app,
      Array.from({ length: 50 }, (_, i) => testMail(`before.${i}@example.cn`)),
    );
    await waitFor(() => smtp.messages.length >= 10, { timeoutMs: 30_000, what: 'some mails before the outage' });
    redis!.kill('SIGKILL');
    const downUntil = Date.now() + 4_000;
    let written = 0;
    while (Date.now() < downUntil) {
      await commitMails(test.app, [testMail(`during.${written}@example.cn`)]);
      written += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(written).toBeGreaterThan(20);
    // Restarted with nothing in it, as a Redis without persistence comes back.
    await startRedis();
    const { duplicates } = await expectAllSettled(test, smtp, 50 + written, 120_000);
    expect(sweeps).toBeGreaterThan(1);
    expect(mostInFlight).toBe(1);
    process.stdout.write(`[faults] redis: down 4 s while ${written} changes committed; duplicates at the catcher: ${duplicates}\n`);
  });
});
