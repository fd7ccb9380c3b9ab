import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditCheckpoint, AuditEvent, AuditService, type ChainedFields, type StoredRow, canonicalJson } from '../../libs/audit/src';
import { makeUser } from '../../libs/identity/src/testing/identity-fixtures';
import { type TestApp, startTestApp } from '../support/app';
import { databaseUrl } from '../support/test-env';

const CLI_DIR = join(__dirname, '..', '..', 'dist', 'libs', 'audit', 'src');

/** Runs an audit CLI as an operator would (the test's environment carries the test app's AUDIT_HMAC_KEY). */
async function auditCli(cli: 'verify' | 'checkpoint', url: string, args: string[] = []): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [join(CLI_DIR, `audit-${cli}.cli.js`), ...args], {
      env: { ...process.env, DATABASE_URL: url, NODE_ENV: 'test' },
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

const auditVerify = (url: string, args: string[] = []) => auditCli('verify', url, args);

/** Runs `work` as the test server's superuser with triggers off: what an intruder with full database access can do. */
async function asIntruder(databaseName: string, work: (client: Client) => Promise<void>): Promise<void> {
  const admin = new Client({ connectionString: databaseUrl(process.env.OUFLOW_TEST_ADMIN_URL ?? '', databaseName) });
  await admin.connect();
  try {
    await admin.query(`SET session_replication_role = replica`);
    await work(admin);
  } finally {
    await admin.end();
  }
}

/** What the chain hashes (audit-chain.ts): the intruder knows the scheme, not the key. */
function materialOf(row: ChainedFields): string {
  return canonicalJson([
    row.prevHash,
    row.stream,
    row.streamSeq,
    row.actorUserId,
    row.actorRole,
    row.action,
    row.objectType,
    row.objectId,
    row.occurredAt.toISOString(),
    row.ip,
    row.summary,
  ]);
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

  it('passes audit:verify once a checkpoint signed the heads, and checks the MAC anchored outside the database', async () => {
    // Rows but no checkpoint: nothing proves their tails were not cut off.
    expect(await auditVerify(test.database.url)).toMatchObject({ code: 2, stdout: expect.stringContaining('checkpoint_missing') });
    const checkpoint = await auditCli('checkpoint', test.database.url);
    const [, mac] = /^Audit checkpoint 1 ([0-9a-f]{64})$/m.exec(checkpoint.stdout) ?? [];
    expect(mac).toBeDefined();
    const result = await auditVerify(test.database.url, ['--expect', mac]);
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('Audit chain intact') });
    expect(result.stdout).toContain(`Latest checkpoint: 1 ${mac}`);
    expect(await auditVerify(test.database.url, ['--expect', 'ab'.repeat(32)])).toMatchObject({
      code: 2,
      stdout: expect.stringContaining('anchor_not_found'),
    });

    // The same verification for an admin over HTTP (the API holds the key), with and without the anchor.
    const verification = (query: string) => request(test.baseUrl).get(`/audit/verification${query}`).auth(adminToken, { type: 'bearer' });
    const intact = (await verification(`?expect=${mac}`).expect(200)).body;
    expect(intact).toMatchObject({ intact: true, broken: null, latestCheckpoint: { seq: 1, mac } });
    expect(intact.checked).toBeGreaterThan(0);
    expect((await verification(`?expect=${'ab'.repeat(32)}`).expect(200)).body).toMatchObject({
      intact: false,
      broken: { reason: 'anchor_not_found' },
    });
    const bad = (await verification('?expect=xyz').expect(400)).body;
    expect(JSON.stringify(bad.error.details)).toContain('expect 须为 64 位十六进制');
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
    for (const [table, column] of [
      ['audit_event', 'action'],
      ['audit_checkpoint', 'mac'],
    ]) {
      await expect(db.query(`UPDATE ${table} SET ${column} = 'x'`)).rejects.toThrow(/append-only/);
      await expect(db.query(`DELETE FROM ${table}`)).rejects.toThrow(/append-only/);
      await expect(db.query(`TRUNCATE ${table}`)).rejects.toThrow(/append-only/);
    }
  });

  it('fails audit:verify, naming the row, when a row is edited and its plain sha256 recomputed along the chain', async () => {
    const user = await makeUser(db, { role: 'leader' });
    for (let i = 0; i < 3; i++)
      await request(test.baseUrl).post('/auth/login').send({ email: user.email, password: user.password }).expect(200);
    await test.app.get(AuditService).checkpoint();
    const stream = `user:${user.id}`;
    const rows: (StoredRow & { id: string })[] = await db
      .getRepository(AuditEvent)
      .find({ where: { stream }, order: { streamSeq: 'ASC' } });
    expect(rows).toHaveLength(3);
    // The intruder rewrites the first row and re-chains the rest with sha256, the old scheme (as version 1 and as version 2).
    for (const version of [1, 2] as const) {
      const forged: StoredRow[] = [];
      for (const row of rows) {
        const fields = { ...row, summary: row.streamSeq === 1 ? { forged: true } : row.summary, prevHash: forged.at(-1)?.hash ?? null };
        forged.push({ ...fields, hash: createHash('sha256').update(materialOf(fields)).digest('hex'), chainVersion: version });
      }
      await asIntruder(test.database.name, async (client) => {
        for (const row of forged)
          await client.query(`UPDATE audit_event SET summary = $2, prev_hash = $3, hash = $4, chain_version = $5 WHERE id = $1`, [
            row.id,
            row.summary,
            row.prevHash,
            row.hash,
            row.chainVersion,
          ]);
      });
      const result = await auditVerify(test.database.url);
      expect(result.code).toBe(2);
      expect(result.stdout).toContain(`row id ${rows[0].id} (stream ${stream}, seq 1)`);
      expect(result.stdout).toContain(version === 1 ? 'legacy_after_switch' : 'hash_mismatch');
    }
    await restore(rows);
    expect(await auditVerify(test.database.url)).toMatchObject({ code: 0 });
  });

  it("fails audit:verify, naming the stream and seq, when a stream's last row is deleted", async () => {
    const user = await makeUser(db, { role: 'leader' });
    await request(test.baseUrl).post('/auth/login').send({ email: user.email, password: user.password }).expect(200);
    await request(test.baseUrl).post('/auth/login').send({ email: user.email, password: user.password }).expect(200);
    const checkpoint = (await test.app.get(AuditService).checkpoint())!;
    const stream = `user:${user.id}`;
    const rows = await db.getRepository(AuditEvent).find({ where: { stream }, order: { streamSeq: 'ASC' } });
    await asIntruder(test.database.name, (client) =>
      client.query(`DELETE FROM audit_event WHERE id = $1`, [rows[1].id]).then(() => undefined),
    );
    const result = await auditVerify(test.database.url);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(`stream ${stream}, seq 2 (signed by checkpoint ${checkpoint.seq}): checkpoint_head_missing`);
    await restore([rows[1]], true);
    expect(await auditVerify(test.database.url)).toMatchObject({ code: 0 });
  });

  it('fails audit:verify when a checkpoint is edited', async () => {
    const checkpoint = (await db.getRepository(AuditCheckpoint).find({ order: { seq: 'DESC' }, take: 1 }))[0];
    await asIntruder(test.database.name, (client) =>
      client.query(`UPDATE audit_checkpoint SET heads = '[]'::jsonb WHERE seq = $1`, [checkpoint.seq]).then(() => undefined),
    );
    const result = await auditVerify(test.database.url);
    expect(result).toMatchObject({ code: 2, stdout: expect.stringContaining(`checkpoint ${checkpoint.seq}: checkpoint_mac_mismatch`) });
    await asIntruder(test.database.name, (client) =>
      client
        .query(`UPDATE audit_checkpoint SET heads = $2::jsonb WHERE seq = $1`, [checkpoint.seq, JSON.stringify(checkpoint.heads)])
        .then(() => undefined),
    );
    expect(await auditVerify(test.database.url)).toMatchObject({ code: 0 });
  });

  /** Puts rows back as they were (re-inserted when `deleted`), so the next test starts from an intact chain. */
  async function restore(rows: AuditEvent[], deleted = false): Promise<void> {
    await asIntruder(test.database.name, async (client) => {
      for (const row of rows) {
        const values = [row.id, row.summary, row.prevHash, row.hash, row.chainVersion];
        if (deleted)
          await client.query(
            `INSERT INTO audit_event (id, summary, prev_hash, hash, chain_version, stream, stream_seq, actor_user_id, actor_role, action, object_type, object_id, occurred_at, ip)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
            [
              ...values,
              row.stream,
              row.streamSeq,
              row.actorUserId,
              row.actorRole,
              row.action,
              row.objectType,
              row.objectId,
              row.occurredAt,
              row.ip,
            ],
          );
        else await client.query(`UPDATE audit_event SET summary = $2, prev_hash = $3, hash = $4, chain_version = $5 WHERE id = $1`, values);
      }
    });
  }

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
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(`row id ${target.id} `);
    expect(result.stdout).toContain('hash_mismatch');
    const verification = await request(test.baseUrl).get('/audit/verification').auth(adminToken, { type: 'bearer' }).expect(200);
    expect(verification.body).toMatchObject({ intact: false, broken: { reason: 'hash_mismatch', id: target.id } });
  });
});
