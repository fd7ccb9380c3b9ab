import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { RequestTransaction, inTransaction } from '../../libs/database/src';
import { samplePdf } from '../../libs/applications/src/attachments/testing/sample-files';
import { makeUser } from '../../libs/identity/src/testing/identity-fixtures';
import { type TestApp, startTestApp } from '../support/app';
import { type Cast, login, makeCast, openCall } from '../support/procedure';
import { waitFor } from '../support/wait';

describe('Idempotency-Key on mutating requests', () => {
  let test: TestApp;
  let db: DataSource;
  let bureau: string;
  let otherBureau: string;
  let cast: Cast;
  let callId: string;
  let dataDir: string;
  const statuses: number[] = [];

  const call = (title: string) => ({
    platformType: 'key_lab',
    level: 'municipal',
    year: 2027,
    title,
    opensAt: '2027-03-01T00:00:00+08:00',
    closesAt: '2027-04-30T17:00:00+08:00',
  });
  const calls = async (title: string): Promise<number> =>
    (await db.query(`SELECT count(*)::int AS n FROM call WHERE title = $1`, [title]))[0].n;

  /** A dossier of applicant A, in draft (version 1). */
  const makeDossier = async (name: string): Promise<string> =>
    (await request(test.baseUrl).post('/applications').auth(cast.tokens.applicantA, { type: 'bearer' }).send({ callId, name }).expect(201))
      .body.id;
  const auditRows = async (action: string, objectId: string): Promise<number> =>
    (await db.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = $1 AND object_id = $2`, [action, objectId]))[0].n;
  const keyRows = async (): Promise<number> => (await db.query(`SELECT count(*)::int AS n FROM idempotency_key`))[0].n;
  const record = (response: request.Response): request.Response => {
    statuses.push(response.status);
    return response;
  };

  /** A test connection holding the dossier's row lock until `release`. */
  async function holdDossierLock(id: string): Promise<{ pid: number; release: () => Promise<void> }> {
    const holder = new Client({ connectionString: test.database.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM application WHERE id = $1 FOR UPDATE', [id]);
    const pid: number = (await holder.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    return {
      pid,
      release: async () => {
        await holder.query('ROLLBACK');
        await holder.end();
      },
    };
  }

  /** Waits until `count` backends of the API wait on a lock. */
  const lockWaiters = (count: number) =>
    waitFor(
      async () =>
        (
          await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)
        )[0].n === count,
      { timeoutMs: 10_000, what: `${count} request(s) waiting on the dossier's lock` },
    );

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ouflow-idempotency-e2e-'));
    test = await startTestApp({ env: { DATA_DIR: dataDir } });
    db = test.app.get(DataSource);
    bureau = await login(test.baseUrl, await makeUser(db, { role: 'bureau_officer' }));
    otherBureau = await login(test.baseUrl, await makeUser(db, { role: 'bureau_officer' }));
    cast = await makeCast(test.baseUrl, db);
    callId = await openCall(test.baseUrl, cast.tokens.bureau);
  });

  afterAll(async () => {
    await test?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(() => {
    // QUALITY.md: a 5xx anywhere is a failure.
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
  });

  it('answers a retry with the first answer and creates nothing twice', async () => {
    const send = () =>
      request(test.baseUrl)
        .post('/calls')
        .auth(bureau, { type: 'bearer' })
        .set('idempotency-key', 'call-2027-key-lab-001')
        .send(call('重点实验室认定（幂等）'));
    const first = await send().expect(201);
    const retry = await send().expect(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await calls('重点实验室认定（幂等）')).toBe(1);
  });

  it('refuses the same key with another request, and keeps keys per caller', async () => {
    await request(test.baseUrl)
      .post('/calls')
      .auth(bureau, { type: 'bearer' })
      .set('idempotency-key', 'call-2027-key-lab-002')
      .send(call('幂等测试甲'))
      .expect(201);
    const reused = await request(test.baseUrl)
      .post('/calls')
      .auth(bureau, { type: 'bearer' })
      .set('idempotency-key', 'call-2027-key-lab-002')
      .send(call('幂等测试乙'))
      .expect(422);
    expect(reused.body.error.code).toBe('request.idempotency_key_reused');
    expect(await calls('幂等测试乙')).toBe(0);
    await request(test.baseUrl)
      .post('/calls')
      .auth(otherBureau, { type: 'bearer' })
      .set('idempotency-key', 'call-2027-key-lab-002')
      .send(call('幂等测试乙'))
      .expect(201);
    expect(await calls('幂等测试乙')).toBe(1);
  });

  it('stores nothing for a failed request, so the corrected one can use the key', async () => {
    const bad = await request(test.baseUrl)
      .post('/calls')
      .auth(bureau, { type: 'bearer' })
      .set('idempotency-key', 'call-2027-key-lab-003')
      .send({ ...call('幂等测试丙'), year: 1900 })
      .expect(400);
    expect(bad.body.error.code).toBe('request.validation_failed');
    await request(test.baseUrl)
      .post('/calls')
      .auth(bureau, { type: 'bearer' })
      .set('idempotency-key', 'call-2027-key-lab-003')
      .send(call('幂等测试丙'))
      .expect(201);
    expect(await calls('幂等测试丙')).toBe(1);
  });

  it('refuses a malformed key', async () => {
    const response = await request(test.baseUrl)
      .post('/calls')
      .auth(bureau, { type: 'bearer' })
      .set('idempotency-key', 'short')
      .send(call('幂等测试丁'))
      .expect(400);
    expect(response.body.error.code).toBe('request.invalid_idempotency_key');
    expect(await calls('幂等测试丁')).toBe(0);
  });

  it('never stores or replays a sign-in answer: the same key and body sign in afresh, and no key row is written', async () => {
    const user = await makeUser(db, { role: 'bureau_officer' });
    const before = await keyRows();
    const signIn = () =>
      request(test.baseUrl)
        .post('/auth/login')
        .set('idempotency-key', 'login-replay-0001')
        .send({ email: user.email, password: user.password })
        .then(record);
    const first = await signIn();
    const second = await signIn();
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
    const refreshed = await request(test.baseUrl)
      .post('/auth/refresh')
      .set('idempotency-key', 'refresh-replay-0001')
      .send({ refreshToken: second.body.refreshToken })
      .then(record);
    expect(refreshed.status).toBe(200);
    // Signed in, on an auth route: the key is ignored too (the body holds passwords).
    const changed = await request(test.baseUrl)
      .post('/auth/password/change')
      .auth(refreshed.body.accessToken, { type: 'bearer' })
      .set('idempotency-key', 'password-change-0001')
      .send({ currentPassword: user.password, newPassword: 'Ou-flow river 2027 anew!' })
      .then(record);
    expect(changed.status).toBe(204);
    expect(await keyRows()).toBe(before);
    const secrets: unknown[] = await db.query(
      `SELECT owner FROM idempotency_key WHERE owner = 'anonymous' OR response::text LIKE '%Token%'`,
    );
    expect(secrets).toEqual([]);
  });

  it('fingerprints an upload by its content: another file of the same size with the same key is refused, the same file replayed', async () => {
    const id = await makeDossier('瓯江科创孵化器（上传幂等）');
    const first = samplePdf('Ouflow licence AAAA');
    const other = samplePdf('Ouflow licence BBBB');
    expect(other.length).toBe(first.length);
    const upload = (bytes: Buffer) =>
      request(test.baseUrl)
        .post(`/applications/${id}/attachments`)
        .auth(cast.tokens.applicantA, { type: 'bearer' })
        .set('idempotency-key', 'upload-licence-0001')
        .field('documentCode', 'business_licence')
        .attach('file', bytes, { filename: 'licence.pdf', contentType: 'application/pdf' })
        .then(record);
    const stored = await upload(first);
    expect(stored.status).toBe(201);
    const refused = await upload(other);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('request.idempotency_key_reused');
    const replayed = await upload(first);
    expect(replayed.status).toBe(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body).toEqual(stored.body);
    const rows: { sha256: string }[] = await db.query(`SELECT sha256 FROM attachment WHERE application_id = $1`, [id]);
    expect(rows.map((row) => row.sha256)).toEqual([createHash('sha256').update(first).digest('hex')]);
    // Neither the refused nor the replayed upload left its file behind.
    expect(readdirSync(join(dataDir, 'attachments'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile())).toHaveLength(1);
  });

  it('fingerprints a platform import by its content', async () => {
    const csv = (name: string) =>
      Buffer.from(
        `平台名称,类型,级别,依托单位,所在地区,产业领域,认定日期,认定文号,专业运营机构,撤销日期,撤销原因\r\n${name},科技企业孵化器,市级,瓯海某公司,瓯海区,智能装备,2021/5/8,温科发〔2021〕7号,是,,\r\n`,
        'utf8',
      );
    const dryRun = (file: Buffer) =>
      request(test.baseUrl)
        .post('/platforms/import?dryRun=true')
        .auth(cast.tokens.bureau, { type: 'bearer' })
        .set('idempotency-key', 'import-dry-run-0001')
        .attach('file', file, 'baseline.csv')
        .then(record);
    const first = await dryRun(csv('瓯海甲孵化器'));
    expect(first.status).toBe(200);
    const other = await dryRun(csv('瓯海乙孵化器'));
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('request.idempotency_key_reused');
    const again = await dryRun(csv('瓯海甲孵化器'));
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('answers 409 to a duplicate while the first request runs, then replays the first answer; the change is made once', async () => {
    const id = await makeDossier('瓯江科创孵化器（并发幂等）');
    const lock = await holdDossierLock(id);
    const rename = () =>
      request(test.baseUrl)
        .patch(`/applications/${id}`)
        .auth(cast.tokens.applicantA, { type: 'bearer' })
        .set('idempotency-key', 'rename-dossier-0001')
        .send({ expectedVersion: 1, name: '瓯江科创孵化器（已改名）' })
        .then(record);
    const first = rename();
    await lockWaiters(1);
    const duplicate = await rename();
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('request.idempotency_in_progress');
    await lock.release();
    expect((await first).status).toBe(200);
    const retry = await rename();
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.version).toBe(2);
    expect(await auditRows('application.update', id)).toBe(1);
  });

  it('rolls the key back with the request when its database session dies, so the retry runs the change once', async () => {
    const id = await makeDossier('瓯江科创孵化器（会话中断）');
    const lock = await holdDossierLock(id);
    const rename = () =>
      request(test.baseUrl)
        .patch(`/applications/${id}`)
        .auth(cast.tokens.applicantA, { type: 'bearer' })
        .set('idempotency-key', 'rename-dossier-0002')
        .send({ expectedVersion: 1, name: '瓯江科创孵化器（中断后）' })
        .then((response) => response);
    const first = rename();
    await lockWaiters(1);
    await db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> $1`,
      [lock.pid],
    );
    // The request whose session was killed fails (the fault under test); nothing of it is kept.
    expect((await first).status).toBeGreaterThanOrEqual(500);
    await lock.release();
    const retry = await rename().then(record);
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.body.version).toBe(2);
    expect(await auditRows('application.update', id)).toBe(1);
    const replay = await rename().then(record);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(retry.body);
  });

  it('runs a transition once for a retried key (POST /applications/:id/actions)', async () => {
    const id = await makeDossier('瓯江科创孵化器（撤回幂等）');
    const withdraw = () =>
      request(test.baseUrl)
        .post(`/applications/${id}/actions`)
        .auth(cast.tokens.applicantA, { type: 'bearer' })
        .set('idempotency-key', 'withdraw-dossier-0001')
        .send({ action: 'withdraw', expectedVersion: 1, comment: '本年度暂不申报' })
        .then(record);
    const first = await withdraw();
    expect(first.status).toBe(200);
    expect(first.body.stage).toBe('withdrawn');
    const retry = await withdraw();
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await auditRows('application.withdraw', id)).toBe(1);
  });

  it('joins every inTransaction of a request into one transaction, a failed piece rolling back alone (RequestTransaction)', async () => {
    await db.query(`CREATE TABLE request_transaction_probe (label text PRIMARY KEY)`);
    const labels = async (): Promise<string[]> =>
      (await db.query(`SELECT label FROM request_transaction_probe ORDER BY label`)).map((row: { label: string }) => row.label);
    const write = (label: string) =>
      inTransaction(db, (manager) => manager.query(`INSERT INTO request_transaction_probe (label) VALUES ($1)`, [label]));
    const begun: string[] = [];
    const committed = new RequestTransaction(db, async () => {
      begun.push('claim');
    });
    await committed.run(async () => {
      await write('a');
      await expect(
        inTransaction(db, async (manager) => {
          await manager.query(`INSERT INTO request_transaction_probe (label) VALUES ('b')`);
          await manager.query(`INSERT INTO request_transaction_probe (label) VALUES ('a')`);
        }),
      ).rejects.toThrow();
      await write('c');
      // Nothing is visible to others before the request's transaction ends.
      expect(await labels()).toEqual([]);
    });
    expect(begun).toEqual(['claim']);
    await committed.end(true);
    expect(await labels()).toEqual(['a', 'c']);

    const rolledBack = new RequestTransaction(db, async () => undefined);
    await rolledBack.run(() => write('d'));
    await rolledBack.end(false);
    expect(await labels()).toEqual(['a', 'c']);
    // Work left running past the end gets a transaction of its own.
    await rolledBack.run(() => write('e'));
    expect(await labels()).toEqual(['a', 'c', 'e']);
  });
});
