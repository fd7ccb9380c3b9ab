import request from 'supertest';
import { DataSource } from 'typeorm';
import { makeUser } from '../../libs/identity/src/testing/identity-fixtures';
import { type TestApp, startTestApp } from '../support/app';
import { login } from '../support/procedure';

describe('Bull Board at /admin/queues', () => {
  let test: TestApp;
  let adminToken: string;
  let officerToken: string;

  beforeAll(async () => {
    test = await startTestApp();
    const db = test.app.get(DataSource);
    adminToken = await login(test.baseUrl, await makeUser(db, { role: 'admin' }));
    officerToken = await login(test.baseUrl, await makeUser(db, { role: 'bureau_officer' }));
  });

  afterAll(() => test?.close());

  it('is closed to anonymous callers and to every role but admin', async () => {
    expect((await request(test.baseUrl).get('/admin/queues').expect(401)).body.error.code).toBe('auth.unauthenticated');
    await request(test.baseUrl).get('/admin/queues/api/queues').auth(officerToken, { type: 'bearer' }).expect(403);
    await request(test.baseUrl).get('/admin/queues').query({ token: 'not-a-token' }).expect(401);
  });

  it('lists the queues to an admin, and signs a browser in through a path-scoped HttpOnly cookie', async () => {
    const api = await request(test.baseUrl).get('/admin/queues/api/queues').auth(adminToken, { type: 'bearer' }).expect(200);
    expect(api.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['mail', 'system', 'timers']);

    const signIn = await request(test.baseUrl).get('/admin/queues').query({ token: adminToken }).expect(302);
    expect(signIn.headers.location).toBe('/admin/queues');
    const cookie = signIn.headers['set-cookie'][0];
    expect(cookie).toMatch(/^ouflow_queue_board=.+; Path=\/admin\/queues; HttpOnly; SameSite=Strict/);
    const page = await request(test.baseUrl).get('/admin/queues').set('cookie', cookie.split(';')[0]).expect(200);
    expect(page.text).toContain('<div id="root">');
  });
});
