import { getQueueToken } from '@nestjs/bullmq';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { DeliveriesService, NotificationsService, TimersService } from '../../libs/notifications/src';
import { QueueName } from '../../libs/queue/src';
import { QUEUE_BACKENDS, type TestApp, startTestApp } from '../support/app';
import { commitMails, testMail } from '../support/notifications';
import { makeUser } from '../../libs/identity/src/testing/identity-fixtures';
import { login } from '../support/procedure';
import { SmtpCatcher } from '../support/smtp-catcher';
import { waitFor } from '../support/wait';

const FAST_RETRIES = { MAIL_RETRY_BASE_MS: '100', MAIL_MAX_ATTEMPTS: '5', RELAY_SWEEP_MS: '500', RELAY_STALE_MS: '3000' };

describe.each(QUEUE_BACKENDS)('notifications through outbox, queue and SMTP (%s)', (backend) => {
  let smtp: SmtpCatcher;
  let test: TestApp;
  let dataSource: DataSource;
  let adminToken: string;

  beforeAll(async () => {
    smtp = await new SmtpCatcher().start();
    test = await startTestApp({ backend, withWorker: true, smtpUrl: smtp.url, env: FAST_RETRIES });
    dataSource = test.app.get<DataSource>(getDataSourceToken());
    const admin = await makeUser(dataSource, { role: 'admin' });
    adminToken = await login(test.baseUrl, admin);
  });

  afterAll(async () => {
    await test?.close();
    await smtp?.stop();
  });

  async function delivery(id: string): Promise<Record<string, unknown>> {
    const rows: Record<string, unknown>[] = await dataSource.query(`SELECT * FROM notification_delivery WHERE id = $1`, [id]);
    return rows[0];
  }

  it('delivers the email of a committed change, in Chinese, and records the SMTP answer', async () => {
    const [id] = await commitMails(test.app, [testMail('zhang.san@example.cn', '瓯海区复核')]);
    const [mail] = await smtp.waitForMail('zhang.san@example.cn');
    expect(mail.subject).toBe('【瓯流】测试邮件：瓯海区复核');
    expect(mail.text).toContain('这是一封来自瓯流系统的测试邮件。');
    expect(mail.text).toContain('温州市科学技术局');
    expect(mail.html).toContain('备注：瓯海区复核');
    expect(mail.messageId).toBe(`<${id}@ouflow>`);
    const row = await waitFor(async () => ((await delivery(id)).state === 'sent' ? delivery(id) : undefined), {
      what: 'delivery marked sent',
    });
    expect(row).toMatchObject({ state: 'sent', smtp_code: 250, attempts: 1, message_id: `<${id}@ouflow>` });
    expect(String(row.smtp_response)).toMatch(/^250/);
  });

  it('sends in English to a recipient who prefers it, with values escaped in HTML', async () => {
    await commitMails(test.app, [
      { event: 'system.test', to: [{ email: 'li.si@example.cn', locale: 'en' }], data: { note: '<script>x</script>' } },
    ]);
    const [mail] = await smtp.waitForMail('li.si@example.cn');
    expect(mail.subject).toBe('[Ouflow] Test message: <script>x</script>');
    expect(mail.html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(mail.html).not.toContain('<script>x</script>');
  });

  it('sends nothing for a rolled-back change', async () => {
    const notifications = test.app.get(NotificationsService);
    await expect(
      dataSource.transaction(async (manager) => {
        await notifications.enqueueMail(manager, testMail('rolled.back@example.cn'));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    // A later committed mail arrives: the pipeline is running, and the rolled-back one never came.
    await commitMails(test.app, [testMail('after.rollback@example.cn')]);
    await smtp.waitForMail('after.rollback@example.cn');
    expect(smtp.to('rolled.back@example.cn')).toHaveLength(0);
    const rows = await dataSource.query(
      `SELECT count(*)::int AS n FROM notification_delivery WHERE recipient_email = 'rolled.back@example.cn'`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('retries a 421 answer with backoff and then delivers once', async () => {
    smtp.failWith(421, 2);
    const [id] = await commitMails(test.app, [testMail('busy.server@example.cn')]);
    await smtp.waitForMail('busy.server@example.cn');
    const row = await waitFor(async () => ((await delivery(id)).state === 'sent' ? delivery(id) : undefined), {
      what: 'sent after retries',
    });
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    expect(smtp.to('busy.server@example.cn')).toHaveLength(1);
  });

  it('dead-letters a 550 answer at once with its reason, and an admin retry delivers it', async () => {
    smtp.failWith(550, 1);
    const [id] = await commitMails(test.app, [testMail('no.such.user@example.cn')]);
    const dead = await waitFor(async () => ((await delivery(id)).state === 'dead' ? delivery(id) : undefined), { what: 'dead letter' });
    expect(dead).toMatchObject({ state: 'dead', smtp_code: 550, attempts: 1 });
    expect(String(dead.last_error)).toContain('Mailbox unavailable');
    expect(smtp.to('no.such.user@example.cn')).toHaveLength(0);

    const listed = await request(test.baseUrl)
      .get('/notifications/deliveries')
      .auth(adminToken, { type: 'bearer' })
      .query({ state: 'dead', recipient: 'no.such.user@example.cn' })
      .expect(200);
    expect(listed.body).toMatchObject({ total: 1, items: [{ id, state: 'dead', smtpCode: 550 }] });

    await request(test.baseUrl).post(`/notifications/${id}/retry`).auth(adminToken, { type: 'bearer' }).expect(202);
    await smtp.waitForMail('no.such.user@example.cn');
    await waitFor(async () => (await delivery(id)).state === 'sent', { what: 'sent after the admin retry' });
    await request(test.baseUrl).post(`/notifications/${id}/retry`).auth(adminToken, { type: 'bearer' }).expect(409);
  });

  it('never sends a delivery already sent, even when its job runs again', async () => {
    const [id] = await commitMails(test.app, [testMail('once.only@example.cn')]);
    await smtp.waitForMail('once.only@example.cn');
    await waitFor(async () => (await delivery(id)).state === 'sent', { what: 'sent' });
    await expect(test.app.get(DeliveriesService).deliver(id, 1, 5)).resolves.toBe('skipped');
    expect(smtp.to('once.only@example.cn')).toHaveLength(1);
  });

  it('hands a timer to the queue only within the horizon, and a timer cancelled before then never', async () => {
    const timers = test.app.get(TimersService);
    const queue = test.app.get<Queue>(getQueueToken(QueueName.timers));
    const subject = `horizon-${backend}-${Date.now()}`;
    const request = (id: string, inMs: number) => ({
      id: `${subject}.${id}`,
      kind: 'test.horizon',
      subjectType: 'test',
      subjectId: subject,
      fireAt: new Date(Date.now() + inMs),
    });
    await dataSource.transaction(async (manager) => {
      await timers.schedule(manager, request('soon', 60_000)); // within the default 10-minute horizon
      await timers.schedule(manager, request('later', 3 * 86_400_000)); // a deadline days away
    });
    const outbox = async (timerId: string): Promise<{ dispatched_at: Date | null }> =>
      (await dataSource.query(`SELECT dispatched_at FROM outbox WHERE topic = 'timer' AND payload->>'timerId' = $1`, [timerId]))[0];
    await waitFor(async () => (await outbox(`${subject}.soon`)).dispatched_at !== null, { what: 'the near timer dispatched' });
    expect(await queue.getJob(`${subject}.soon`)).toBeTruthy();
    // The far one stays a row: no job sits in the queue for days.
    expect((await outbox(`${subject}.later`)).dispatched_at).toBeNull();
    expect(await queue.getJob(`${subject}.later`)).toBeFalsy();

    // A timer cancelled before it comes within the horizon is settled without a job.
    await dataSource.transaction(async (manager) => {
      await timers.schedule(manager, request('cancelled', 30_000));
      await timers.cancelFor(manager, 'test', subject, 'test.horizon');
    });
    await waitFor(async () => (await outbox(`${subject}.cancelled`)).dispatched_at !== null, { what: 'the cancelled timer settled' });
    expect(await queue.getJob(`${subject}.cancelled`)).toBeFalsy();
  });

  it('keeps the admin views to admins', async () => {
    await request(test.baseUrl).get('/notifications/deliveries').expect(401);
    const officer = await makeUser(dataSource, { role: 'bureau_officer' });
    await request(test.baseUrl)
      .get('/notifications/outbox')
      .auth(await login(test.baseUrl, officer), { type: 'bearer' })
      .expect(403);
  });

  it('previews templates for admins and lists the outbox', async () => {
    const preview = await request(test.baseUrl)
      .post('/notifications/preview')
      .auth(adminToken, { type: 'bearer' })
      .send({ event: 'system.test', data: { note: '预览' } })
      .expect(200);
    expect(preview.body.subject).toBe('【瓯流】测试邮件：预览');
    await request(test.baseUrl).post('/notifications/preview').auth(adminToken, { type: 'bearer' }).send({ event: 'no.such' }).expect(404);
    await request(test.baseUrl)
      .post('/notifications/preview')
      .auth(adminToken, { type: 'bearer' })
      .send({ event: 'system.test', locale: 'fr' })
      .expect(400);
    const outbox = await request(test.baseUrl)
      .get('/notifications/outbox')
      .auth(adminToken, { type: 'bearer' })
      .query({ pending: 'false', pageSize: 5 })
      .expect(200);
    expect(outbox.body.items.length).toBeGreaterThan(0);
    expect(outbox.body.pageSize).toBe(5);
    await request(test.baseUrl).get('/notifications/outbox').auth(adminToken, { type: 'bearer' }).query({ pageSize: 1000 }).expect(400);
  });

  it('exposes queue depth and delivery counts as Prometheus metrics', async () => {
    const metrics = await request(test.baseUrl).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/ouflow_mail_deliveries\{state="sent"\} \d+/);
    expect(metrics.text).toMatch(/ouflow_queue_jobs\{queue="mail",state="waiting"\} \d+/);
    expect(metrics.text).toContain('ouflow_outbox_pending 0');
  });
});
