import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { Controller, Get, Module } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Public } from '@app/identity';
import { makeUser } from '../../libs/identity/src/testing/identity-fixtures';
import { type TestApp, startTestApp } from '../support/app';
import { type TestDatabase, createTestDatabase } from '../support/database';
import { type Cast, INCUBATOR_FORM, login, makeCast, openCall } from '../support/procedure';
import { TcpProxy } from '../support/tcp-proxy';
import { TEST_ENV, requireEnv } from '../support/test-env';
import { waitFor } from '../support/wait';

/** A route whose disk is full, as the upload disk was in the fault campaign (/dev/full answers ENOSPC). */
@Controller('test-disk-full')
class DiskFullController {
  @Get()
  @Public()
  write(): { written: true } {
    writeFileSync('/dev/full', 'x');
    return { written: true };
  }
}

@Module({ controllers: [DiskFullController] })
class DiskFullModule {}

/** Sends bytes as they are (supertest would refuse an over-long URL) and returns the raw answer. */
function rawHttp(baseUrl: string, text: string): Promise<string> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.end(text));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.setTimeout(5_000, () => socket.destroy(new Error('no answer within 5 s')));
  });
}

function nested(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

describe('the HTTP edge', () => {
  let test: TestApp;
  let db: DataSource;
  let cast: Cast;
  let adminToken: string;
  let callId: string;

  beforeAll(async () => {
    test = await startTestApp({ extraModules: [DiskFullModule], env: { TRUST_PROXY: '127.0.0.1' } });
    db = test.app.get(DataSource);
    cast = await makeCast(test.baseUrl, db);
    adminToken = await login(test.baseUrl, await makeUser(db, { role: 'admin' }));
    callId = await openCall(test.baseUrl, cast.tokens.bureau);
  });

  afterAll(() => test?.close());

  const count = async (table: string): Promise<number> => Number((await db.query(`SELECT count(*) AS n FROM ${table}`))[0].n);

  describe('deeply nested JSON (#1)', () => {
    it('answers 400 request.too_deep, not 500, on every route that was seen to overflow', async () => {
      const draft = await request(test.baseUrl)
        .post('/applications')
        .auth(cast.tokens.applicantA, { type: 'bearer' })
        .send({ callId, name: '嵌套测试孵化器', subtype: 'comprehensive', form: INCUBATOR_FORM })
        .expect(201);
      const cases: { method: 'post' | 'patch'; path: string; token?: string; body: string }[] = [
        { method: 'post', path: '/auth/refresh', body: `{"refreshToken":${nested(1500)}}` },
        { method: 'post', path: '/auth/login', body: `{"email":${nested(1500)},"password":"x"}` },
        { method: 'post', path: '/auth/register', body: `{"organisation":${nested(1500)}}` },
        { method: 'post', path: '/auth/password/forgot', body: `{"email":${nested(1500)}}` },
        {
          method: 'patch',
          path: `/applications/${draft.body.id}`,
          token: cast.tokens.applicantA,
          body: `{"expectedVersion":${draft.body.version},"form":{"a":${nested(1500)}},"industries":${nested(1500)}}`,
        },
        { method: 'post', path: '/notifications/preview', token: adminToken, body: `{"event":"x","data":{"a":${nested(1500)}}}` },
        // Objects nest like arrays do.
        { method: 'post', path: '/auth/refresh', body: `${'{"a":'.repeat(1500)}1${'}'.repeat(1500)}` },
      ];
      for (const { method, path, token, body } of cases) {
        const call = request(test.baseUrl)[method](path).set('content-type', 'application/json');
        if (token) void call.auth(token, { type: 'bearer' });
        const answer = await call.send(body);
        expect({ path, status: answer.status, code: answer.body.error?.code }).toEqual({ path, status: 400, code: 'request.too_deep' });
      }
      const after = await request(test.baseUrl).get(`/applications/${draft.body.id}`).auth(cast.tokens.applicantA, { type: 'bearer' });
      expect(after.body.version).toBe(draft.body.version);
    });

    it('still validates bodies within the limit, and ignores brackets inside strings', async () => {
      const within = await request(test.baseUrl)
        .post('/auth/refresh')
        .set('content-type', 'application/json')
        .send(`{"refreshToken":${nested(31)}}`);
      expect([within.status, within.body.error.code]).toEqual([400, 'request.validation_failed']);
      const bracketsInString = await request(test.baseUrl)
        .post('/auth/refresh')
        .set('content-type', 'application/json')
        .send(JSON.stringify({ refreshToken: `\\"${'['.repeat(2000)}` }));
      expect(bracketsInString.body.error.code).not.toBe('request.too_deep');
      expect(bracketsInString.status).toBeLessThan(500);
    });
  });

  describe('validation never answers 500 (found by the OpenAPI fuzzer)', () => {
    it('refuses a number in exponent form where two decimals are allowed, with 400', async () => {
      const answer = await request(test.baseUrl)
        .put('/targets/5f0c3a5e-8a55-4b8e-9d7a-2f6f2f1c2b3a')
        .auth(adminToken, { type: 'bearer' })
        .set('content-type', 'application/json')
        .send('{"value":2e-323,"note":"x"}');
      expect([answer.status, answer.body.error.code]).toEqual([400, 'request.validation_failed']);
    });
  });

  it('refuses a lone surrogate escape with 400 instead of failing in the email validator or PostgreSQL', async () => {
    for (const [path, body] of [
      ['/auth/password/forgot', '{"email":"\\ud800"}'],
      ['/auth/login', '{"email":"\\ud800@x.cn","password":"whatever-password"}'],
    ]) {
      const answer = await request(test.baseUrl).post(path).set('content-type', 'application/json').send(body);
      expect({ path, status: answer.status, code: answer.body.error?.code }).toEqual({ path, status: 400, code: 'request.invalid_text' });
    }
  });

  describe('content types (#11)', () => {
    it('refuses a form-encoded, text or typeless body on a JSON route with 415, storing nothing', async () => {
      const before = await count('application');
      const fields = `callId=${callId}&name=${encodeURIComponent('表单孵化器')}&subtype=comprehensive`;
      const attempts = [
        request(test.baseUrl).post('/applications').type('form').send(fields),
        request(test.baseUrl).post('/applications').set('content-type', 'text/plain').send(JSON.stringify({ callId })),
        request(test.baseUrl).post('/applications').set('content-type', 'application/xml').send('<a/>'),
        request(test.baseUrl).post('/applications').set('content-type', '').send(Buffer.from('{"callId":"x"}')),
        request(test.baseUrl).post('/applications').field('callId', callId).field('name', '多部分孵化器'),
      ];
      for (const attempt of attempts) {
        const answer = await attempt.auth(cast.tokens.applicantA, { type: 'bearer' });
        expect([answer.status, answer.body.error?.code]).toEqual([415, 'request.unsupported_media_type']);
      }
      expect(await count('application')).toBe(before);
    });

    it('still takes JSON with a charset, and multipart where the route documents it', async () => {
      const created = await request(test.baseUrl)
        .post('/applications')
        .auth(cast.tokens.applicantA, { type: 'bearer' })
        .set('content-type', 'application/json; charset=utf-8')
        .send(JSON.stringify({ callId, name: '字符集孵化器', subtype: 'comprehensive', form: INCUBATOR_FORM }))
        .expect(201);
      const upload = await request(test.baseUrl)
        .post(`/applications/${created.body.id}/attachments`)
        .auth(cast.tokens.applicantA, { type: 'bearer' })
        .field('documentCode', 'business_licence')
        .attach('file', Buffer.from('not a document'), { filename: 'x.txt', contentType: 'text/plain' });
      // Reaches the upload handler, which judges the file itself (not a 415 from the edge).
      expect(upload.status).toBeLessThan(500);
      expect(upload.body.error?.code).not.toBe('request.unsupported_media_type');
    });
  });

  describe('outages (#17)', () => {
    let database: TestDatabase;
    let proxy: TcpProxy;
    let outageApp: TestApp;

    beforeAll(async () => {
      database = await createTestDatabase();
      const server = new URL(requireEnv(TEST_ENV.adminUrl));
      proxy = await new TcpProxy(server.hostname, Number(server.port || 5432)).start();
      const viaProxy = new URL(database.url);
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(proxy.port);
      outageApp = await startTestApp({ env: { DATABASE_URL: viaProxy.toString() } });
    });

    afterAll(async () => {
      await outageApp?.close();
      proxy?.stop();
      await database?.drop();
    });

    it('answers 503 service.unavailable with Retry-After while the database is away, and recovers after', async () => {
      const user = await makeUser(outageApp.app.get(DataSource), { role: 'bureau_officer' });
      const token = await login(outageApp.baseUrl, user);
      await request(outageApp.baseUrl).get('/calls').auth(token, { type: 'bearer' }).expect(200);

      // The API's pool loses its connections (as in a PostgreSQL restart: 57P01) and cannot open new ones
      // (ECONNREFUSED). The queue backend's connections are left alone: BullMQ's PostgreSQL backend crashes
      // the process when a connection it holds drops (reported separately).
      proxy.refuseNew();
      const terminated = new Client({ connectionString: requireEnv(TEST_ENV.adminUrl) });
      await terminated.connect();
      await terminated.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'ouflow'`, [
        database.name,
      ]);
      await terminated.end();
      for (const attempt of [
        request(outageApp.baseUrl).get('/calls').auth(token, { type: 'bearer' }),
        request(outageApp.baseUrl).post('/auth/login').send({ email: user.email, password: user.password }),
      ]) {
        const answer = await attempt;
        expect([answer.status, answer.body.error.code]).toEqual([503, 'service.unavailable']);
        expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
      }

      await proxy.start();
      await waitFor(async () => (await request(outageApp.baseUrl).get('/calls').auth(token, { type: 'bearer' })).status === 200, {
        timeoutMs: 10_000,
        what: 'the API to serve again once the database is back',
      });
    });

    it('answers 507 storage.full when the disk is full', async () => {
      const answer = await request(test.baseUrl).get('/test-disk-full');
      expect([answer.status, answer.body.error.code]).toEqual([507, 'storage.full']);
    });
  });

  describe('small ones (#18)', () => {
    it('sends Cache-Control: no-store with the tokens of login and refresh', async () => {
      const user = await makeUser(db, { role: 'leader' });
      const signIn = await request(test.baseUrl).post('/auth/login').send({ email: user.email, password: user.password }).expect(200);
      expect(signIn.headers['cache-control']).toBe('no-store');
      const refreshed = await request(test.baseUrl).post('/auth/refresh').send({ refreshToken: signIn.body.refreshToken }).expect(200);
      expect(refreshed.body.accessToken).toEqual(expect.any(String));
      expect(refreshed.headers['cache-control']).toBe('no-store');
    });

    it('answers an over-long path parameter with 414 and the error body, without echoing the URL', async () => {
      const marker = `secret${'x'.repeat(200)}`;
      const answer = await request(test.baseUrl).get(`/applications/${marker}`).auth(cast.tokens.applicantA, { type: 'bearer' });
      expect([answer.status, answer.body.error.code]).toEqual([414, 'request.uri_too_long']);
      expect(answer.text).not.toContain('secret');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      const badUrl = await request(test.baseUrl).get('/applications/%zzsecret');
      expect([badUrl.status, badUrl.body.error.code]).toEqual([400, 'request.invalid']);
      expect(badUrl.text).not.toContain('secret');
    });

    it('answers an over-long URL with 414 and over-large headers with 431, in the error body', async () => {
      const longUrl = await rawHttp(test.baseUrl, `GET /health?secret=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
      expect(longUrl).toMatch(/^HTTP\/1\.1 414 /);
      expect(JSON.parse(longUrl.slice(longUrl.indexOf('\r\n\r\n') + 4)).error.code).toBe('request.uri_too_long');
      expect(longUrl).not.toContain('secret');
      const bigHeaders = await rawHttp(test.baseUrl, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      expect(bigHeaders).toMatch(/^HTTP\/1\.1 431 /);
      expect(JSON.parse(bigHeaders.slice(bigHeaders.indexOf('\r\n\r\n') + 4)).error.code).toBe('request.headers_too_large');
    });

    it('keeps /metrics to application counts: no Node version, no process details', async () => {
      const metrics = await request(test.baseUrl).get('/metrics').expect(200);
      expect(metrics.text).toContain('ouflow_queue_jobs');
      expect(metrics.text).not.toMatch(/version|process_|nodejs_|v\d+\.\d+\.\d+/);
    });

    it('marks the Bull Board cookie Secure when the browser came over HTTPS, and only then', async () => {
      const overHttps = await request(test.baseUrl)
        .get('/admin/queues')
        .query({ token: adminToken })
        .set('x-forwarded-proto', 'https')
        .expect(302);
      expect(overHttps.headers['set-cookie'][0]).toMatch(/; Secure/);
      const overHttp = await request(test.baseUrl).get('/admin/queues').query({ token: adminToken }).expect(302);
      expect(overHttp.headers['set-cookie'][0]).not.toMatch(/Secure/);
    });
  });
});
