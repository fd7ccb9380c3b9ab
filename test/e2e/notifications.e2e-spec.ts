import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { TransitionEffects } from '../../libs/database/src';
import { DeliveriesService, NotificationsService, TimersService } from '../../libs/notifications/src';
import type { DossierSubject, Effect } from '../../libs/workflow/src';
import { QueueName } from '../../libs/queue/src';
import { QUEUE_BACKENDS, type TestApp, startTestApp } from '../support/app';
import { commitMails, testMail } from '../support/notifications';
import { makeOrganisation, makeUser } from '../../libs/identity/src/testing/identity-fixtures';
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
    const [{ batch_id: batchId }] = await dataSource.query(`SELECT batch_id FROM notification_delivery WHERE id = $1`, [id]);
    await expect(test.app.get(DeliveriesService).deliver(batchId, 1, 5)).resolves.toEqual({ sent: 0, dead: 0 });
    expect(smtp.to('once.only@example.cn')).toHaveLength(1);
  });

  /** The deliveries of one batch, by recipient. */
  async function batchOf(ids: string[]): Promise<Map<string, Record<string, unknown>>> {
    const rows: Record<string, unknown>[] = await dataSource.query(`SELECT * FROM notification_delivery WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((row) => [String(row.recipient_email), row]));
  }

  it('writes one outbox row and one job for the mails of a transition to several audiences', async () => {
    const queue = test.app.get<Queue>(getQueueToken(QueueName.mail));
    const added = jest.spyOn(queue, 'addBulk');
    const org = await makeOrganisation(dataSource, { regionCode: 'yongjia' });
    await makeUser(dataSource, { role: 'applicant', organisationId: org.id });
    await makeUser(dataSource, { role: 'applicant', organisationId: org.id });
    await makeUser(dataSource, { role: 'county_officer', regionCode: 'yongjia' });
    await makeUser(dataSource, { role: 'bureau_officer' });
    const dossier = {
      id: randomUUID(),
      number: 'WZ-2027-0001',
      name: '永嘉科技企业孵化器',
      stage: 'county_review',
      returnedFrom: null,
      version: 2,
      stageDeadline: '2027-06-30',
      organisationId: org.id,
      regionCode: 'yongjia',
    } as DossierSubject;
    const effects: Effect[] = [
      { kind: 'notify', audience: 'applicant', event: 'stage_changed' },
      { kind: 'notify', audience: 'county_officers', event: 'task_assigned' },
      { kind: 'notify', audience: 'bureau_officers', event: 'stage_changed' },
    ];
    // The transition's own path to its effects, in its transaction.
    await dataSource.transaction((manager) => test.app.get(TransitionEffects).apply(manager, effects, { dossier, input: {} }));
    const deliveries: { id: string; batch_id: string }[] = await dataSource.query(
      `SELECT id, batch_id FROM notification_delivery WHERE subject_id = $1`,
      [dossier.id],
    );
    const bureau: { n: number }[] = await dataSource.query(
      `SELECT count(*)::int AS n FROM app_user WHERE role = 'bureau_officer' AND disabled = false`,
    );
    expect(deliveries).toHaveLength(3 + bureau[0].n);
    const batches = new Set(deliveries.map((row) => row.batch_id));
    expect(batches.size).toBe(1);
    const [batchId] = batches;
    const outbox: { id: string; payload: unknown }[] = await dataSource.query(
      `SELECT id, payload FROM outbox WHERE topic = 'mail' AND (id = $1::uuid OR payload->>'batchId' = $1::text)`,
      [batchId],
    );
    expect(outbox).toEqual([{ id: batchId, payload: { batchId } }]);
    await waitFor(
      async () =>
        (
          await dataSource.query(`SELECT count(*)::int AS n FROM notification_delivery WHERE batch_id = $1 AND state = 'sent'`, [batchId])
        )[0].n === deliveries.length,
      { what: 'the batch sent' },
    );
    const jobs = added.mock.calls.flatMap(([bulk]) => bulk).filter((job) => (job.data as { batchId?: string }).batchId === batchId);
    expect(jobs).toHaveLength(1);
    expect(jobs[0].opts?.jobId).toBe(batchId);
    added.mockRestore();
    // The admin goes from the outbox row (id = batch id) to its deliveries.
    const listed = await request(test.baseUrl)
      .get('/notifications/deliveries')
      .auth(adminToken, { type: 'bearer' })
      .query({ batch: batchId, pageSize: 100 })
      .expect(200);
    expect(listed.body.total).toBe(deliveries.length);
    expect(listed.body.items.every((item: { batchId: string }) => item.batchId === batchId)).toBe(true);
  });

  it('retries only the recipient of a batch that failed transiently; the others are not sent again', async () => {
    smtp.failFor('slow.box@example.cn', 451, 1);
    const to = ['first.of3@example.cn', 'slow.box@example.cn', 'third.of3@example.cn'];
    const ids = await commitMails(test.app, [{ event: 'system.test', to: to.map((email) => ({ email })), data: { note: 'batch' } }]);
    await waitFor(async () => [...(await batchOf(ids)).values()].every((row) => row.state === 'sent'), { what: 'all three sent' });
    const rows = await batchOf(ids);
    expect(new Set([...rows.values()].map((row) => row.batch_id)).size).toBe(1);
    expect(rows.get('slow.box@example.cn')).toMatchObject({ state: 'sent', attempts: 2 });
    expect(rows.get('first.of3@example.cn')).toMatchObject({ state: 'sent', attempts: 1 });
    expect(rows.get('third.of3@example.cn')).toMatchObject({ state: 'sent', attempts: 1 });
    for (const email of to) expect(smtp.to(email)).toHaveLength(1);
  });

  it('dead-letters only the recipient of a batch that got a 550; the others are sent once', async () => {
    smtp.failFor('gone.box@example.cn', 550, 1);
    const to = ['first.ok@example.cn', 'gone.box@example.cn', 'third.ok@example.cn'];
    const ids = await commitMails(test.app, [{ event: 'system.test', to: to.map((email) => ({ email })), data: { note: 'batch' } }]);
    await waitFor(async () => [...(await batchOf(ids)).values()].every((row) => row.state === 'sent' || row.state === 'dead'), {
      what: 'the batch settled',
    });
    const rows = await batchOf(ids);
    expect(rows.get('gone.box@example.cn')).toMatchObject({ state: 'dead', smtp_code: 550, attempts: 1 });
    expect(String(rows.get('gone.box@example.cn')?.last_error)).toContain('Mailbox unavailable');
    expect(rows.get('first.ok@example.cn')).toMatchObject({ state: 'sent', attempts: 1 });
    expect(rows.get('third.ok@example.cn')).toMatchObject({ state: 'sent', attempts: 1 });
    expect(smtp.to('gone.box@example.cn')).toHaveLength(0);
    expect(smtp.to('first.ok@example.cn')).toHaveLength(1);
    expect(smtp.to('third.ok@example.cn')).toHaveLength(1);
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
