import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { loadConfig } from '@app/config';
import { DeliveriesService } from './deliveries.service';
import type { Mailer, OutgoingMail, SmtpOutcome } from './mailer';

const ROW = {
  id: '6c1d8a4e-3b8f-4a43-9a57-1f0c2f6d1e01',
  event: 'system.test',
  recipient_email: 'a@example.cn',
  locale: 'zh-CN',
  data: { note: 'x' },
};

const BATCH = '0a7f3e52-9d4c-4f1b-8c2e-5b6a7d8e9f00';

/**
 * A database that goes away right after SMTP accepted a mail: the record of `sent` fails until
 * `back()`; a claim succeeds for any delivery not yet recorded and not left out by the caller (as it
 * would after the lease ran out at another replica's clock). Counts what was sent and what was recorded.
 */
function scene() {
  let away = false;
  let recordAttempts = 0;
  const recorded: string[] = [];
  const sent: OutgoingMail[] = [];
  const dataSource = {
    query: jest.fn(async (sql: string, parameters: unknown[]) => {
      if (sql.includes("SET state = 'sending'")) {
        const except = parameters[1] as string[];
        return recorded.includes(ROW.id) || except.includes(ROW.id) ? [] : [ROW];
      }
      if (sql.includes("SET state = 'sent'")) {
        recordAttempts += 1;
        if (away) throw new Error('terminating connection due to administrator command');
        recorded.push(String(parameters[0]));
        return [];
      }
      if (sql.includes('AS owed')) return [{ owed: recorded.includes(ROW.id) ? 0 : 1 }];
      throw new Error(`unexpected query: ${sql}`);
    }),
  } as unknown as DataSource;
  const mailer = {
    send: jest.fn(async (mail: OutgoingMail): Promise<SmtpOutcome> => {
      sent.push(mail);
      away = true;
      return { messageId: mail.messageId, response: '250 OK' };
    }),
  } as unknown as Mailer;
  const service = new DeliveriesService(dataSource, mailer, loadConfig({ NODE_ENV: 'test' }));
  return { service, sent, recorded, attempts: () => recordAttempts, back: () => (away = false) };
}

describe('DeliveriesService: SMTP accepted, the database away', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('keeps the fact that the mail was sent, retries the record until the database answers, and sends nothing again meanwhile', async () => {
    const { service, sent, recorded, attempts, back } = scene();
    const first = service.deliver(BATCH, 1, 8);
    await waitUntil(() => service.unrecordedCount === 1);
    // A job for the same batch run again meanwhile (a stalled job, a sweep): it waits for the record, it does not send.
    const retried = service.deliver(BATCH, 2, 8);
    await waitUntil(() => attempts() >= 4);
    expect(sent).toHaveLength(1);
    expect(recorded).toEqual([]);
    back();
    await expect(first).resolves.toEqual({ sent: 1, dead: 0 });
    await expect(retried).resolves.toEqual({ sent: 0, dead: 0 });
    expect(sent).toHaveLength(1);
    expect(recorded).toEqual([ROW.id]);
    expect(service.unrecordedCount).toBe(0);
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}
