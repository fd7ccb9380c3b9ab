import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { makeUser } from '../../libs/identity/src/testing/identity-fixtures';
import { type TestApp, startTestApp } from '../support/app';
import { databaseUrl } from '../support/test-env';

const CLI = join(__dirname, '..', '..', 'dist', 'libs', 'audit', 'src', 'audit-verify.cli.js');

async function auditVerify(url: string): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI], { env: { ...process.env, DATABASE_URL: url, NODE_ENV: 'test' } });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

describe('audit log', () => {
  let test: TestApp;
  let db: DataSource;
  let adminToken: string;

  beforeAll(async () => {
    test = await startTestApp();
    db = test.app.get(DataSource);
    const admin = await makeUser(db, { role: 'admin' });
    adminToken = (await request(test.baseUrl).post('/auth/login').send({ email: admin.email, password: admin.password }).expect(200)).body
      .accessToken;
  });

  afterAll(async () => {
    await test?.close();
  });

  it('passes audit:verify on a fresh database', async () => {
    const result = await auditVerify(test.database.url);
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('Audit chain intact') });
  });

  it('records logins, failed logins, admin actions and denials, chained per object, with filters for admins', async () => {
    const user = await makeUser(db, { role: 'leader' });
    await request(test.baseUrl).post('/auth/login').send({ email: user.email, password: 'Wrong-Password-2027' }).expect(401);
    const leaderToken = (await request(test.baseUrl).post('/auth/login').send({ email: user.email, password: user.password }).expect(200))
      .body.accessToken;
    await request(test.baseUrl).get('/audit').set('authorization', `Bearer ${leaderToken}`).expect(403);
    await request(test.baseUrl)
      .patch(`/users/${user.id}`)
      .set('authorization', `Bearer ${adminToken}`)
      .send({ name: '新名字' })
      .expect(200);

    const { body } = await request(test.baseUrl)
      .get(`/audit?objectType=user&objectId=${user.id}`)
      .set('authorization', `Bearer ${adminToken}`)
      .expect(200);
    expect(body.items.map((e: { action: string }) => e.action)).toEqual(['user.updated', 'auth.login', 'auth.login_failed']);
    expect(body.items[0]).toMatchObject({ actorRole: 'admin', summary: { before: { name: '测试用户' }, after: { name: '新名字' } } });
    expect(body.items[2].ip).toMatch(/127\.0\.0\.1/);
    const denied = await request(test.baseUrl)
      .get(`/audit?actorUserId=${user.id}&action=access.denied`)
      .set('authorization', `Bearer ${adminToken}`)
      .expect(200);
    expect(denied.body.items).toEqual([
      expect.objectContaining({ objectType: 'route', summary: { method: 'GET', route: '/audit', allowed: ['admin'] } }),
    ]);

    // The user's stream holds all four, each row carrying its predecessor's hash.
    const chain: { action: string; stream_seq: number; prev_hash: string | null; hash: string }[] = await db.query(
      `SELECT action, stream_seq, prev_hash, hash FROM audit_event WHERE stream = $1 ORDER BY stream_seq`,
      [`user:${user.id}`],
    );
    expect(chain.map((e) => e.action)).toEqual(['auth.login_failed', 'auth.login', 'access.denied', 'user.updated']);
    chain.forEach((event, i) => {
      expect(event.stream_seq).toBe(i + 1);
      expect(event.prev_hash).toBe(i === 0 ? null : chain[i - 1].hash);
    });

    const failed = await request(test.baseUrl)
      .get('/audit?action=auth.login_failed&pageSize=5')
      .set('authorization', `Bearer ${adminToken}`)
      .expect(200);
    expect(failed.body.items.every((e: { action: string }) => e.action === 'auth.login_failed')).toBe(true);
    await request(test.baseUrl).get('/audit?from=not-a-date').set('authorization', `Bearer ${adminToken}`).expect(400);
  });

  it("refuses UPDATE and DELETE from the application's connection", async () => {
    await expect(db.query(`UPDATE audit_event SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
  });

  it('fails audit:verify, naming the row, after a superuser edits a row behind the trigger', async () => {
    const [target] = await db.query(`SELECT id FROM audit_event WHERE action = 'auth.login' ORDER BY id LIMIT 1`);
    const admin = new Client({ connectionString: databaseUrl(process.env.OUFLOW_TEST_ADMIN_URL ?? '', test.database.name) });
    await admin.connect();
    try {
      await admin.query(`SET session_replication_role = replica`);
      await admin.query(`UPDATE audit_event SET summary = '{"sessionId": "forged"}' WHERE id = $1`, [target.id]);
    } finally {
      await admin.end();
    }
    const result = await auditVerify(test.database.url);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toContain(`row id ${target.id} `);
    expect(result.stdout).toContain('hash_mismatch');
  });
});
