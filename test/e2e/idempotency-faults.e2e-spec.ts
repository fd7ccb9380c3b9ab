import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { type TestApp, startTestApp, testConfigEnv } from '../support/app';
import { freePort } from '../support/ports';
import { type Cast, login, makeCast, openCall } from '../support/procedure';
import { type RunningProcess, runBuilt } from '../support/processes';
import { TEST_ENV, requireEnv } from '../support/test-env';
import { waitFor } from '../support/wait';

/** The API's sessions carry this name, so a test can tell them from its own. */
const API_SESSIONS = 'ouflow-idempotency-api';

/**
 * Issue 12 #14 on real processes: the API runs as its own process; a keyed request waits on the
 * dossier's row lock (held by the test) when the API is killed, or when its database goes away.
 * Either way the retry with the same key runs the change exactly once and answers normally.
 */
describe('Idempotency-Key when the API or its database dies mid-request', () => {
  let test: TestApp;
  let db: DataSource;
  let cast: Cast;
  let callId: string;
  let dataDir: string;
  let api: RunningProcess | undefined;
  let base = '';
  let token = '';
  const statuses: number[] = [];

  async function startApi(): Promise<void> {
    const port = await freePort();
    const url = new URL(test.database.url);
    url.searchParams.set('application_name', API_SESSIONS);
    api = runBuilt(
      'apps/api/src/main.js',
      testConfigEnv({ ...test.database, url: url.toString() }, 'postgres', test.config.queuePrefix, {
        PORT: String(port),
        DATA_DIR: dataDir,
      }),
    );
    base = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await request(base).get('/health')).status === 200, {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: () => `the API process to answer /health (output: ${api?.output()})`,
    });
  }

  const rename = (id: string, key: string) =>
    request(base)
      .patch(`/applications/${id}`)
      .auth(token, { type: 'bearer' })
      .set('idempotency-key', key)
      .send({ expectedVersion: 1, name: '瓯江科创孵化器（重试后）' })
      .then((response) => response);

  /** Retries until the key is no longer held by the failed request; any answer but 409 in_progress is final. */
  const retryUntilSettled = (send: () => Promise<request.Response>, key: string) =>
    waitFor(
      async () => {
        const response = await send();
        statuses.push(response.status);
        return response.status === 409 && response.body.error?.code === 'request.idempotency_in_progress' ? undefined : response;
      },
      { timeoutMs: 15_000, intervalMs: 100, what: `a retry of ${key} that is not refused as in progress` },
    );

  const updates = async (id: string): Promise<number> =>
    (await db.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'application.update' AND object_id = $1`, [id]))[0].n;

  async function makeDossier(name: string): Promise<string> {
    const created = await request(base).post('/applications').auth(token, { type: 'bearer' }).send({ callId, name }).expect(201);
    return created.body.id;
  }

  /** A test session holding the dossier's row lock until `release`. */
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

  const waitingOnLock = () =>
    waitFor(
      async () =>
        (
          await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`, [
            API_SESSIONS,
          ])
        )[0].n === 1,
      { timeoutMs: 10_000, what: "the keyed request waiting on the dossier's lock" },
    );

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ouflow-idempotency-faults-'));
    test = await startTestApp({ env: { DATA_DIR: dataDir } });
    db = test.app.get(DataSource);
    cast = await makeCast(test.baseUrl, db);
    callId = await openCall(test.baseUrl, cast.tokens.bureau);
    await startApi();
    token = await login(base, cast.users.applicantA);
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await test?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(() => {
    // QUALITY.md: a 5xx is a failure, except the answer of the request the fault was aimed at.
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
  });

  const OPERATIONS = [
    {
      name: 'PATCH /applications/:id',
      send: (id: string, key: string) => rename(id, key),
      ranOnce: async (id: string) => expect(await updates(id)).toBe(1),
    },
    {
      name: 'POST /applications/:id/actions',
      send: (id: string, key: string) =>
        request(base)
          .post(`/applications/${id}/actions`)
          .auth(token, { type: 'bearer' })
          .set('idempotency-key', key)
          .send({ action: 'withdraw', expectedVersion: 1, comment: '本年度暂不申报' })
          .then((response) => response),
      ranOnce: async (id: string) => {
        const events = await db.query(`SELECT action FROM application_event WHERE application_id = $1`, [id]);
        expect(events.map((event: { action: string }) => event.action)).toEqual(['withdraw']);
      },
    },
  ];

  it.each(OPERATIONS)(
    'runs $name once when the API is killed (SIGKILL) while the request waits on a row lock',
    async (operation) => {
      const id = await makeDossier(`瓯江科创孵化器（进程被杀 ${operation.name}）`);
      const key = `after-kill-${id}`;
      const lock = await holdDossierLock(id);
      try {
        const doomed = operation.send(id, key).then(
          () => 'answered',
          () => 'connection lost',
        );
        await waitingOnLock();
        api!.child.kill('SIGKILL');
        await api!.exited;
        expect(await doomed).toBe('connection lost');
        await startApi();
      } finally {
        await lock.release();
      }
      const started = Date.now();
      const retry = await retryUntilSettled(() => operation.send(id, key), key);
      process.stdout.write(
        `[idempotency faults] SIGKILL, ${operation.name}: the retried key ran ${Date.now() - started} ms after the lock was released\n`,
      );
      expect(retry.status).toBe(200);
      expect(retry.headers['idempotent-replayed']).toBeUndefined();
      expect(retry.body.version).toBe(2);
      await operation.ranOnce(id);
      const replay = await operation.send(id, key);
      expect(replay.status).toBe(200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(retry.body);
    },
    120_000,
  );

  it('runs the change once when the database drops the API mid-request and refuses it meanwhile', async () => {
    const id = await makeDossier('瓯江科创孵化器（数据库中断）');
    const lock = await holdDossierLock(id);
    // What a stopped database does to this API, without stopping the server the other test files share.
    const admin = new Client({ connectionString: requireEnv(TEST_ENV.adminUrl) });
    await admin.connect();
    try {
      const failed = rename(id, 'rename-after-outage-0001');
      await waitingOnLock();
      await admin.query(`ALTER DATABASE ${test.database.name} ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = $2`, [
        API_SESSIONS,
        test.database.name,
      ]);
      // The request the outage hit fails; the API cannot even reach the database to clean up after it.
      expect((await failed).status).toBeGreaterThanOrEqual(500);
    } finally {
      await admin.query(`ALTER DATABASE ${test.database.name} ALLOW_CONNECTIONS true`);
      await admin.end();
      await lock.release();
    }
    const retry = await retryUntilSettled(() => rename(id, 'rename-after-outage-0001'), 'rename-after-outage-0001');
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.body.version).toBe(2);
    expect(await updates(id)).toBe(1);
    expect(api!.child.exitCode).toBeNull();
  }, 120_000);
});
