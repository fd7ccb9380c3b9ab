import request from 'supertest';
import { DataSource } from 'typeorm';
import { makeUser } from '../../libs/identity/src/testing/identity-fixtures';
import { type TestApp, startTestApp } from '../support/app';
import { login } from '../support/procedure';

describe('Idempotency-Key on mutating requests', () => {
  let test: TestApp;
  let db: DataSource;
  let bureau: string;
  let otherBureau: string;

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

  beforeAll(async () => {
    test = await startTestApp();
    db = test.app.get(DataSource);
    bureau = await login(test.baseUrl, await makeUser(db, { role: 'bureau_officer' }));
    otherBureau = await login(test.baseUrl, await makeUser(db, { role: 'bureau_officer' }));
  });

  afterAll(() => test?.close());

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
});
