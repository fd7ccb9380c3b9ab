import request from 'supertest';
import { DataSource } from 'typeorm';
import { seedIdentityDemo } from '@app/identity';
import { RegistryService, seedRegistryDemo } from '@app/registry';
import { type TestApp, startTestApp } from '../support/app';
import { signIn } from '../support/registry-fixtures';

describe('registry: demo data', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp();
  });

  afterAll(async () => {
    await test?.close();
  });

  it('seeds recognised platforms once, with a few revoked and one promoted, so the dashboard has numbers', async () => {
    const db = test.app.get(DataSource);
    await seedIdentityDemo(db, test.config);
    const first = await seedRegistryDemo(db, test.app.get(RegistryService), test.config);
    expect(first.created).toBeGreaterThan(150);
    expect((await seedRegistryDemo(db, test.app.get(RegistryService), test.config)).created).toBe(0);
    const [{ total, revoked, promoted, years }] = await db.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'revoked')::int AS revoked,
              count(*) FILTER (WHERE promoted_from_id IS NOT NULL)::int AS promoted,
              count(DISTINCT extract(year FROM recognised_on))::int AS years FROM platform`,
    );
    expect({ total, revoked, promoted, years }).toEqual({ total: first.created, revoked: 4, promoted: 1, years: 4 });
    const progress = await request(test.baseUrl)
      .get('/targets/progress')
      .set('authorization', await signIn(test, 'leader'))
      .expect(200);
    const values = Object.fromEntries(progress.body.targets.map((t: { code: string; value: number }) => [t.code, t.value]));
    expect(values['key_lab.municipal_plus']).toBeGreaterThan(50);
    expect(values['incubation.county_coverage']).toBe(10);
    expect(values['nri.industry_coverage']).toBeGreaterThan(0);
    expect(values['incubation.enterprises']).toBeGreaterThan(1000);
  });
});
