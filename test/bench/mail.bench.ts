import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { Client } from 'pg';
import { SMTPServer } from 'smtp-server';
import { runMigrations, startEmbeddedPostgres } from '@app/database';
import { TemplateRenderer } from '@app/notifications';
import { type Row, freePort, perSecond, startStandalone, wallClockMs } from './support';

const MESSAGES = Number(process.env.BENCH_MAIL_MESSAGES ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * An SMTP server that only counts what it accepts, and notes when it accepted each delivery (by the
 * X-Ouflow-Delivery header the worker sets), on the bench's clock (`wallClockMs`).
 */
export async function countingCatcher(): Promise<{
  url: string;
  count: () => number;
  /** The deliveries accepted since the last call (id -> accept time), and forgets them. */
  takeAccepted: () => Map<string, number>;
  stop: () => Promise<void>;
}> {
  let count = 0;
  let accepted = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (!head.includes('\r\n\r\n')) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        count += 1;
        const delivery = /^x-ouflow-delivery: *([0-9a-f-]{36})/im.exec(head);
        if (delivery) accepted.set(delivery[1], wallClockMs());
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return {
    url: `smtp://127.0.0.1:${port}`,
    count: () => count,
    takeAccepted: () => {
      const taken = accepted;
      accepted = new Map();
      return taken;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for mails');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const renderer = new TemplateRenderer({
  bureauNameZh: '温州市科学技术局',
  bureauNameEn: 'Wenzhou S&T Bureau',
  publicBaseUrl: 'http://localhost:3000',
});

/** Baseline: nodemailer, pooled like the app's mailer, sending the same rendered messages straight to the catcher. */
async function direct(url: string, count: () => number): Promise<number> {
  const transport = createTransport({ url, pool: true, maxConnections: 5, maxMessages: 200 } as SMTPTransport.Options);
  const start = count();
  const began = performance.now();
  let next = 0;
  const sender = async (): Promise<void> => {
    while (next < MESSAGES) {
      const i = next++;
      const mail = renderer.render('system.test', 'zh-CN', { note: `#${i}` });
      await transport.sendMail({
        from: 'noreply@ouflow.local',
        to: `direct.${i}@example.cn`,
        ...mail,
        messageId: `<${randomUUID()}@ouflow>`,
      });
    }
  };
  await Promise.all(Array.from({ length: 10 }, sender));
  await until(() => count() - start >= MESSAGES, 120_000);
  transport.close();
  return MESSAGES / ((performance.now() - began) / 1000);
}

/**
 * Commits MESSAGES deliveries (100 per transaction, as domain changes would: each transaction's mails
 * one batch, one outbox row) and waits until the catcher has them all.
 */
async function pipeline(databaseUrl: string, count: () => number): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const start = count();
  const began = performance.now();
  for (let batch = 0; batch < MESSAGES; batch += 100) {
    await client.query('BEGIN');
    const ids = Array.from({ length: 100 }, () => randomUUID());
    const batchId = randomUUID();
    await client.query(
      `INSERT INTO notification_delivery (id, batch_id, event, recipient_email, locale, data, state, job_id)
       SELECT id, $2::uuid, 'system.test', 'pipe.' || n || '@example.cn', 'zh-CN', jsonb_build_object('note', '#' || n), 'queued', $2::text
         FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [ids, batchId],
    );
    await client.query(
      `INSERT INTO outbox (id, topic, payload, available_at, job_id) VALUES ($1::uuid, 'mail', jsonb_build_object('batchId', $1::text), now(), $1::text)`,
      [batchId],
    );
    await client.query(`SELECT pg_notify('ouflow_outbox', '')`);
    await client.query('COMMIT');
  }
  await until(() => count() - start >= MESSAGES, 300_000);
  await client.end();
  return MESSAGES / ((performance.now() - began) / 1000);
}

/** Emails per second through outbox + relay + BullMQ + worker + SMTP vs nodemailer straight to the same catcher. */
export async function benchMail(): Promise<Row[]> {
  const catcher = await countingCatcher();
  const postgres = await startEmbeddedPostgres({
    dataDir: mkdtempSync(join(tmpdir(), 'ouflow-bench-mail-')),
    port: await freePort(),
    database: 'ouflow',
  });
  const rows: Row[] = [];
  try {
    await runMigrations(postgres.url);
    const backends: [string, Record<string, string>][] = [['PostgreSQL', {}]];
    if (process.env.REDIS_URL) backends.push(['Redis', { REDIS_URL: process.env.REDIS_URL, QUEUE_PREFIX: `bench-${Date.now()}` }]);
    for (const [name, env] of backends) {
      const app = await startStandalone({ DATABASE_URL: postgres.url, SMTP_URL: catcher.url, ...env });
      try {
        // Rounds alternate baseline and pipeline; the medians damp the drift of a shared machine.
        const baselines: number[] = [];
        const measured: number[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          baselines.push(await direct(catcher.url, catcher.count));
          measured.push(await pipeline(postgres.url, catcher.count));
        }
        const baseline = median(baselines);
        rows.push({
          benchmark: `emails delivered, BullMQ on ${name} (${MESSAGES} x ${ROUNDS}, medians)`,
          measured: perSecond(median(measured)),
          baseline: `${perSecond(baseline)} nodemailer direct`,
          ratio: median(measured) / baseline,
          goal: '>= 0.5',
        });
      } finally {
        await app.stop();
      }
    }
  } finally {
    await postgres.stop();
    await catcher.stop();
  }
  return rows;
}
