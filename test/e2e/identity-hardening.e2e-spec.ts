import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createSigner } from 'fast-jwt';
import { LoggerModule } from 'nestjs-pino';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { makeOrganisation, makeUser, randomCreditCode } from '../../libs/identity/src/testing/identity-fixtures';
import { PostgresRateLimitStore, type RateLimitStore, RedisRateLimitStore } from '../../libs/identity/src';
import { ConfigModule, loadConfig } from '../../libs/config/src';
import { CommonModule, loggerParams } from '../../libs/common/src';
import { DatabaseModule } from '../../libs/database/src';
import { QueueModule } from '../../libs/queue/src';
import { ApiModule, createHttpApp } from '../../apps/api/src';
import { QUEUE_BACKENDS, type QueueBackend, type TestApp, startTestApp, testConfigEnv } from '../support/app';
import { SmtpCatcher } from '../support/smtp-catcher';
import { freePort } from '../support/ports';
import { waitFor } from '../support/wait';
import { browserIt, launchBrowser, openPage as openBrowserPage } from '../support/browser';
import type { Browser } from 'playwright-core';

/** Issue 12: client IPs behind proxies (3), links in mails (10; since issue 15 they open the web app's screens), limits across replicas (16), JWT claims (18). */

describe('identity hardening: one API, default TRUST_PROXY, real mail path', () => {
  let test: TestApp;
  let smtp: SmtpCatcher;
  let db: DataSource;

  let browser: Browser | undefined;

  beforeAll(async () => {
    smtp = await new SmtpCatcher().start();
    test = await startTestApp({ withWorker: true, smtpUrl: smtp.url });
    db = test.app.get(DataSource);
    browser = await launchBrowser().catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await test?.close();
    await smtp?.stop();
  });

  const http = (): ReturnType<typeof request> => request(test.baseUrl);
  const login = async (email: string, password: string): Promise<string> =>
    (await http().post('/auth/login').send({ email, password }).expect(200)).body.accessToken as string;

  it('ignores X-Forwarded-For from an untrusted peer: rotating it neither escapes the reset-mail limit nor forges the audit IP', async () => {
    const user = await makeUser(db);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push(
        (
          await http()
            .post('/auth/password/forgot')
            .set('x-forwarded-for', `203.0.113.${i + 1}`)
            .send({ email: user.email })
        ).status,
      );
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429, 429]);
    const [mails] = await db.query(`SELECT count(*)::int AS n FROM notification_delivery WHERE recipient_email = $1`, [user.email]);
    expect(mails.n).toBe(5);
    const ips: { ip: string }[] = await db.query(
      `SELECT DISTINCT ip FROM audit_event WHERE action = 'auth.password_reset_requested' AND object_id = $1`,
      [user.id],
    );
    expect(ips).toEqual([{ ip: '127.0.0.1' }]);
  });

  /** The path and query of every link in a mail, checked to start at PUBLIC_BASE_URL. */
  const linksOf = (text: string): string[] => {
    const links = [...text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((match) => match[0]);
    for (const link of links) expect(link.startsWith(test.config.publicBaseUrl)).toBe(true);
    return links.map((link) => link.slice(test.config.publicBaseUrl.length) || '/');
  };

  /** Sets a password on the screen a link opens (followed from an old path if given one); returns the screen's title. */
  const setPasswordOnScreen = async (url: string, password: string): Promise<string> => {
    const { page, problems, context } = await openBrowserPage(browser!);
    await page.goto(url.startsWith('/') ? `${test.baseUrl}${url}` : url);
    expect(new URL(page.url()).pathname).toBe('/app/account/reset');
    const title = (await page.textContent('[data-test=set-password-title]')) ?? '';
    await page.fill('[data-test=new-password]', password);
    await page.fill('[data-test=confirm-password]', password);
    await page.click('[data-test=set-password-submit]');
    await page.waitForSelector('[data-test=set-password-done]');
    expect(problems).toEqual([]);
    await context.close();
    return title;
  };
  const tokenIn = (path: string): string => new URL(path, test.baseUrl).searchParams.get('token') ?? '';

  browserIt('opens every link of the account mails on the screen it names, and the screen does what the mail says', async () => {
    const email = `links-${Date.now()}@example.cn`;
    const password = 'Wenzhou-Harbour-Lights-2027';
    const organisation = await makeOrganisation(db);
    const owner = await makeUser(db, { role: 'applicant', organisationId: organisation.id, isOrganisationOwner: true });
    const admin = await makeUser(db, { role: 'admin' });

    // Invitation: the screen says so; setting a password accepts it.
    await http()
      .post(`/organisations/${organisation.id}/invitations`)
      .set('authorization', `Bearer ${await login(owner.email, owner.password)}`)
      .send({ email, name: '赵六' })
      .expect(201);
    const [invitation] = await smtp.waitForMail(email);
    const invitationLinks = linksOf(invitation!.text);
    expect(invitationLinks[0]).toMatch(/^\/app\/account\/reset\?token=[A-Za-z0-9_-]{16,128}&purpose=invitation$/);
    expect(await setPasswordOnScreen(invitationLinks[0]!, password)).toBe('接受邀请');
    await login(email, password);

    // Password reset, opened from the path older mails carried: it leads to the same screen.
    await http().post('/auth/password/forgot').send({ email }).expect(202);
    const [, reset] = await smtp.waitForMail(email, 2);
    const resetLink = linksOf(reset!.text)[0]!;
    expect(resetLink).toMatch(/^\/app\/account\/reset\?token=[A-Za-z0-9_-]{16,128}$/);
    expect(await setPasswordOnScreen(`/auth/password/reset?token=${tokenIn(resetLink)}`, `${password}-reset`)).toBe('重置密码');
    await login(email, `${password}-reset`);

    // A staff account's first password.
    const staff = `staff-${Date.now()}@example.cn`;
    await http()
      .post('/users')
      .set('authorization', `Bearer ${await login(admin.email, admin.password)}`)
      .send({ email: staff, name: '钱七', role: 'bureau_officer' })
      .expect(201);
    const [setPassword] = await smtp.waitForMail(staff);
    const setLink = linksOf(setPassword!.text)[0]!;
    expect(setLink).toMatch(/&purpose=account$/);
    expect(await setPasswordOnScreen(setLink, password)).toBe('设置密码，开通账号');
    await login(staff, password);

    // The HTML part links where the text part does, and each link answers the web app's page; so does the site root
    // (where reminder mails point).
    for (const mail of [invitation!, reset!, setPassword!]) {
      const links = linksOf(mail.html).map((path) => path.replace(/&amp;/g, '&'));
      expect(links).toContain(linksOf(mail.text)[0]);
      for (const path of links) {
        const page = await http().get(path).expect(200);
        expect(page.headers['content-type']).toMatch(/^text\/html/);
      }
    }
    await http().get('/').expect(302).expect('location', '/app/');
    const home = await http().get('/app/').expect(200);
    expect(home.headers['content-type']).toMatch(/^text\/html/);
  });

  browserIt('opens the verification link of a registration (also from its old path); only the button verifies the address', async () => {
    const email = `verify-${Date.now()}@example.cn`;
    const password = 'Oujiang-River-Ferry-2027';
    await http()
      .post('/auth/register')
      .send({
        organisation: {
          creditCode: randomCreditCode('330382'),
          name: '乐清链接测试有限公司',
          legalForm: 'enterprise',
          regionCode: 'yueqing',
          industryCodes: ['trad.electrical'],
          address: '浙江省乐清市测试路9号',
          contactName: '孙八',
          contactPhone: '0577-61234568',
        },
        user: { email, name: '孙八', password },
      })
      .expect(201);
    const [mail] = await smtp.waitForMail(email);
    const link = linksOf(mail!.text)[0]!;
    expect(link).toMatch(/^\/app\/account\/verify-email\?token=[A-Za-z0-9_-]{16,128}$/);
    const { page, problems, context } = await openBrowserPage(browser!);
    await page.goto(`${test.baseUrl}/auth/verify-email?token=${tokenIn(link)}`);
    expect(`${new URL(page.url()).pathname}${new URL(page.url()).search}`).toBe(link);
    await page.waitForSelector('[data-test=verify-submit]');
    await http().post('/auth/login').send({ email, password }).expect(403);
    await page.click('[data-test=verify-submit]');
    await page.waitForSelector('[data-test=verify-done]');
    await login(email, password);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('redirects the links of older mails to the screens, keeping only a token that looks like one (never echoing another)', async () => {
    const token = 'AbCdEfGhIjKlMnOp_-1234';
    const reset = await http().get(`/auth/password/reset?token=${token}`).expect(302);
    expect(reset.headers.location).toBe(`/app/account/reset?token=${token}`);
    expect(reset.headers['cache-control']).toBe('no-store');
    await http().get(`/auth/verify-email?token=${token}`).expect(302).expect('location', `/app/account/verify-email?token=${token}`);
    const bad = await http().get('/auth/password/reset?token=%3Cscript%3Ealert(1)%3C%2Fscript%3E').expect(302);
    expect(bad.headers.location).toBe('/app/account/reset');
    expect(bad.text).not.toContain('alert(1)');
    await http().get('/auth/verify-email').expect(302).expect('location', '/app/account/verify-email');
    await http().get('/auth/verify-email?token=a&token=b').expect(302).expect('location', '/app/account/verify-email');
    await http().get('/auth/pages/account.js').expect(404);
  });

  it('signs access tokens with iss and aud and refuses a token of the right key without them', async () => {
    const user = await makeUser(db);
    const token = await login(user.email, user.password);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: 'ouflow', aud: 'ouflow-api' });
    const body = { sub: user.id, sid: claims.sid, role: user.role };
    const sign = (extra: Record<string, string>): string =>
      createSigner({ key: test.config.jwtSecret, algorithm: 'HS256', expiresIn: 60_000, ...extra })(body);
    await http()
      .get('/me')
      .set('authorization', `Bearer ${sign({ iss: 'ouflow', aud: 'ouflow-api' })}`)
      .expect(200);
    await http()
      .get('/me')
      .set('authorization', `Bearer ${sign({ iss: 'ouflow' })}`)
      .expect(401);
    await http()
      .get('/me')
      .set('authorization', `Bearer ${sign({ iss: 'ouflow', aud: 'other-service' })}`)
      .expect(401);
    await http()
      .get('/me')
      .set('authorization', `Bearer ${sign({ iss: 'someone-else', aud: 'ouflow-api' })}`)
      .expect(401);
  });
});

describe('identity hardening: the shared rate-limit stores', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp();
  });

  afterAll(async () => {
    await test?.close();
  });

  const stores = (): [string, RateLimitStore, () => Promise<void>][] => {
    const list: [string, RateLimitStore, () => Promise<void>][] = [
      ['postgres', new PostgresRateLimitStore(test.app.get(DataSource), 0), async () => undefined],
    ];
    if (process.env.REDIS_URL) {
      const redis = new Redis(process.env.REDIS_URL);
      list.push(['redis', new RedisRateLimitStore(redis, `ouflow-test-${randomUUID()}`), async () => void (await redis.quit())]);
    }
    return list;
  };

  it('counts concurrent hits atomically, blocks for the longer of two blocks, and resets', async () => {
    for (const [name, store, close] of stores()) {
      const key = `concurrent-${randomUUID()}`;
      const hits = await Promise.all(Array.from({ length: 40 }, () => store.hit(key, 60_000)));
      expect({ name, hits: hits.map((hit) => hit.hits).sort((a, b) => a - b) }).toEqual({
        name,
        hits: Array.from({ length: 40 }, (_, i) => i + 1),
      });
      expect(hits.every((hit) => hit.resetsInMs > 0 && hit.resetsInMs <= 60_000)).toBe(true);
      await store.block(key, 30_000);
      await store.block(key, 1_000);
      expect(await store.blockedFor(key)).toBeGreaterThan(20_000);
      await store.reset(key);
      expect(await store.blockedFor(key)).toBe(0);
      expect((await store.hit(key, 60_000)).hits).toBe(1);
      await close();
    }
  });

  it('answers 503 service.unavailable, not 500, while Redis is away', async () => {
    const redis = new Redis(`redis://127.0.0.1:${await freePort()}`, { maxRetriesPerRequest: 1, connectTimeout: 500, lazyConnect: true });
    redis.on('error', () => undefined);
    const store = new RedisRateLimitStore(redis, 'ouflow-test-away');
    await expect(store.hit('key', 60_000)).rejects.toMatchObject({ kind: 'unavailable', code: 'service.unavailable' });
    await expect(store.blockedFor('key')).rejects.toMatchObject({ kind: 'unavailable' });
    redis.disconnect();
  });

  it('deletes PostgreSQL rows whose window and block are over, and keeps live ones', async () => {
    const db = test.app.get(DataSource);
    await db.query(
      `INSERT INTO rate_limit (key, hits, window_ends_at, blocked_until) VALUES
         ('expired', 3, now() - interval '1 minute', NULL),
         ('expired-block', 3, now() - interval '1 minute', now() - interval '1 second'),
         ('still-blocked', 3, now() - interval '1 minute', now() + interval '1 hour')`,
    );
    const store = new PostgresRateLimitStore(db, 0);
    await store.hit(`sweeper-${randomUUID()}`, 60_000);
    await waitFor(
      async () => {
        const rows: { key: string }[] = await db.query(
          `SELECT key FROM rate_limit WHERE key IN ('expired', 'expired-block', 'still-blocked')`,
        );
        return rows.length === 1 && rows[0]!.key === 'still-blocked';
      },
      { timeoutMs: 5_000, what: 'the expired rows to be swept' },
    );
  });
});

describe.each(QUEUE_BACKENDS)('identity hardening: limits across two API replicas (%s)', (backend: QueueBackend) => {
  let first: TestApp;
  let second: { app: NestFastifyApplication; baseUrl: string };
  let db: DataSource;
  const env = { TRUST_PROXY: '127.0.0.1' };

  /** A second API process's worth of app on the same database (and Redis, when that is the backend). */
  async function startReplica(): Promise<{ app: NestFastifyApplication; baseUrl: string }> {
    const config = loadConfig({ ...testConfigEnv(first.database, backend, first.config.queuePrefix, env), PORT: '3000' });
    @Module({
      imports: [
        ConfigModule.forRoot(config),
        CommonModule,
        LoggerModule.forRoot(loggerParams(config.logLevel, 'test-replica')),
        DatabaseModule.forRoot(config),
        QueueModule.forRoot(config),
        ApiModule,
      ],
    })
    class ReplicaRoot {}
    const app = await createHttpApp({ module: ReplicaRoot }, config);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address();
    return { app, baseUrl: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
  }

  beforeAll(async () => {
    first = await startTestApp({ backend, env });
    second = await startReplica();
    db = first.app.get(DataSource);
  });

  afterAll(async () => {
    await second?.app.close();
    await first?.close();
  });

  /** Alternates between the replicas, as a load balancer would. */
  let turn = 0;
  const next = (): ReturnType<typeof request> => request((turn++ % 2 === 0 ? first : second).baseUrl);

  it('sends at most 5 reset mails per client and address, whichever replica answers', async () => {
    const user = await makeUser(db);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push(
        (await next().post('/auth/password/forgot').set('x-forwarded-for', '198.51.100.10').send({ email: user.email })).status,
      );
    }
    expect(statuses).toEqual([...Array(5).fill(202), ...Array(7).fill(429)]);
    const [mails] = await db.query(`SELECT count(*)::int AS n FROM notification_delivery WHERE recipient_email = $1`, [user.email]);
    expect(mails.n).toBe(5);
    // Behind a configured proxy the forwarded client IP is the one audited.
    const [row] = await db.query(`SELECT DISTINCT ip FROM audit_event WHERE action = 'auth.password_reset_requested' AND object_id = $1`, [
      user.id,
    ]);
    expect(row.ip).toBe('198.51.100.10');
  });

  it('holds the sign-in request limit, the per-address wait and the per-IP failure limit across replicas', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await next().post('/auth/login').set('x-forwarded-for', '198.51.100.20').send({ email: 'limit@example.cn' })).status);
    }
    expect(statuses).toEqual([...Array(10).fill(400), 429, 429]);

    const user = await makeUser(db);
    for (let i = 0; i < 5; i++) {
      await next()
        .post('/auth/login')
        .set('x-forwarded-for', '198.51.100.21')
        .send({ email: user.email, password: `Wrong-${i}-Password-2027` })
        .expect(401);
    }
    const waited = await next()
      .post('/auth/login')
      .set('x-forwarded-for', '198.51.100.21')
      .send({ email: user.email, password: user.password })
      .expect(429);
    expect(waited.body.error.code).toBe('auth.too_many_attempts');

    const spray: number[] = [];
    for (let i = 0; i < 12; i++) {
      spray.push(
        (
          await next()
            .post('/auth/login')
            .set('x-forwarded-for', '198.51.100.22')
            .send({ email: `spray-${i}@example.cn`, password: 'Autumn-Leaves-2027!' })
        ).status,
      );
    }
    expect(spray).toEqual([...Array(10).fill(401), 429, 429]);
  });
});
