import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditService } from '../../libs/audit/src';
import { AppRoleGrants1796000004100 } from '../../migrations/1796000004100-AppRoleGrants';
import { INCUBATOR_FORM, PDF_BYTES, makeCast, openCall } from '../support/procedure';
import { type TestApp, startTestApp } from '../support/app';
import { TEST_ENV, databaseUrl, requireEnv } from '../support/test-env';

/**
 * The production set-up of the README: the app connects as a login role that is not a superuser and
 * holds only `ouflow_app`, the role the migrations grant. Such a role cannot rewrite the audit
 * tables, and the app's paths work with it.
 */
describe('database grants (ouflow_app)', () => {
  const login = `ouflow_t_login_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  let test: TestApp;
  let db: DataSource;

  async function asServerAdmin(work: (client: Client) => Promise<unknown>, database?: string): Promise<void> {
    const serverUrl = requireEnv(TEST_ENV.adminUrl);
    const client = new Client({ connectionString: database ? databaseUrl(serverUrl, database) : serverUrl });
    await client.connect();
    try {
      await work(client);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    test = await startTestApp({
      connectAs: async (database) => {
        await asServerAdmin(async (client) => {
          await client.query(`CREATE ROLE ${login} LOGIN PASSWORD '${password}' NOSUPERUSER NOCREATEDB NOCREATEROLE`);
          await client.query(`GRANT ouflow_app TO ${login}`);
          // The PostgreSQL queue backend creates its own schema (README: only without REDIS_URL).
          await client.query(`GRANT CREATE ON DATABASE ${database.name} TO ${login}`);
        });
        const url = new URL(database.url);
        url.username = login;
        url.password = password;
        return url.toString();
      },
    });
    db = test.app.get(DataSource);
  });

  afterAll(async () => {
    await test?.close();
    await asServerAdmin((client) => client.query(`DROP ROLE IF EXISTS ${login}`));
  });

  it('connects the app as a role that is not a superuser', async () => {
    const [session] = await db.query(`SELECT current_user AS "user", current_setting('is_superuser') AS superuser`);
    expect(session).toEqual({ user: login, superuser: 'off' });
  });

  it('logs in and takes a transition through HTTP, its audit rows appended', async () => {
    const cast = await makeCast(test.baseUrl, db);
    const callId = await openCall(test.baseUrl, cast.tokens.bureau);
    const as = (who: 'applicantA' | 'countyA') => ({
      post: (path: string) => request(test.baseUrl).post(path).auth(cast.tokens[who], { type: 'bearer' }),
      patch: (path: string) => request(test.baseUrl).patch(path).auth(cast.tokens[who], { type: 'bearer' }),
    });
    const created = await as('applicantA')
      .post('/applications')
      .send({ callId, name: '权限测试孵化器', subtype: 'comprehensive', industries: ['emerg.digital'], form: INCUBATOR_FORM })
      .expect(201);
    const signed = await as('applicantA')
      .patch(`/applications/${created.body.id}`)
      .send({ expectedVersion: created.body.version, pledgeSigned: true })
      .expect(200);
    await as('applicantA')
      .post(`/applications/${created.body.id}/attachments`)
      .field('documentCode', 'business_licence')
      .attach('file', PDF_BYTES, { filename: '营业执照.pdf', contentType: 'application/pdf' })
      .expect(201);
    const submitted = await as('applicantA')
      .post(`/applications/${created.body.id}/submit`)
      .send({ expectedVersion: signed.body.version })
      .expect(200);
    await as('countyA')
      .post(`/applications/${created.body.id}/actions`)
      .send({ action: 'recommend', expectedVersion: submitted.body.version, comment: '同意推荐' })
      .expect(200);
    const audit: { action: string }[] = await db.query(`SELECT action FROM audit_event WHERE stream = $1 ORDER BY stream_seq`, [
      `application:${created.body.id}`,
    ]);
    expect(audit.map((row) => row.action)).toEqual(
      expect.arrayContaining(['application.create', 'application.submit', 'application.recommend']),
    );
    // The worker's checkpoints are appended with the same role.
    await expect(test.app.get(AuditService).checkpoint()).resolves.toMatchObject({ seq: 1 });
  });

  it('grants again harmlessly when the migration runs twice', async () => {
    const admin = new DataSource({ type: 'postgres', url: test.database.url });
    await admin.initialize();
    try {
      const runner = admin.createQueryRunner();
      await new AppRoleGrants1796000004100().up(runner);
      await new AppRoleGrants1796000004100().up(runner);
      await runner.release();
      const [privileges] = await admin.query(
        `SELECT has_table_privilege('ouflow_app', 'audit_event', 'INSERT') AS "insert", has_table_privilege('ouflow_app', 'audit_event', 'UPDATE') AS "update",
                has_table_privilege('ouflow_app', 'application', 'UPDATE') AS "business"`,
      );
      expect(privileges).toEqual({ insert: true, update: false, business: true });
    } finally {
      await admin.destroy();
    }
  });

  it('cannot UPDATE, DELETE or TRUNCATE audit rows or checkpoints, even with the triggers off', async () => {
    const client = new Client({ connectionString: test.config.databaseUrl });
    await client.connect();
    try {
      for (const [table, column] of [
        ['audit_event', 'action'],
        ['audit_checkpoint', 'mac'],
      ]) {
        await expect(client.query(`UPDATE ${table} SET ${column} = 'x'`)).rejects.toThrow(`permission denied for table ${table}`);
        await expect(client.query(`DELETE FROM ${table}`)).rejects.toThrow(`permission denied for table ${table}`);
        await expect(client.query(`TRUNCATE ${table}`)).rejects.toThrow(`permission denied for table ${table}`);
        await expect(client.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`)).rejects.toThrow(`must be owner of table ${table}`);
      }
      // Turning triggers off for the session is a superuser's privilege.
      await expect(client.query(`SET session_replication_role = replica`)).rejects.toThrow(/permission denied/);
    } finally {
      await client.end();
    }
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM audit_event`);
    expect(n).toBeGreaterThan(0);
  });
});
