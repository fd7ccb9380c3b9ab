import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Role } from '@app/identity';
import { type TestApp, startTestApp } from '../support/app';
import { signIn } from '../support/registry-fixtures';

const ROLES: Role[] = ['admin', 'bureau_officer', 'leader', 'county_officer', 'expert', 'applicant'];

describe('targets and indicators: access and bad input', () => {
  let test: TestApp;
  let db: DataSource;
  const tokens = {} as Record<Role, string>;
  const revision = { value: 160, dueOn: '2027-12-31', sourceDocumentNumber: '温科发〔2026〕1号', sourceDocumentDate: '2026-01-10' };
  const counts = async (): Promise<unknown> =>
    db.query(
      `SELECT (SELECT count(*) FROM target_revision)::int AS revisions, (SELECT count(*) FROM city_indicator_value)::int AS values, (SELECT count(*) FROM audit_event)::int AS audit`,
    );

  beforeAll(async () => {
    test = await startTestApp();
    db = test.app.get(DataSource);
    for (const role of ROLES) tokens[role] = await signIn(test, role);
  });

  afterAll(async () => {
    await test?.close();
  });

  it('lets leaders, bureau officers and admins read targets, progress and indicators; others get 403', async () => {
    for (const role of ROLES) {
      const expected = ['admin', 'bureau_officer', 'leader'].includes(role) ? 200 : 403;
      for (const path of ['/targets', '/targets/progress', '/targets/progress?by=county', '/indicators']) {
        const response = await request(test.baseUrl).get(path).set('authorization', tokens[role]);
        expect({ role, path, status: response.status }).toEqual({ role, path, status: expected });
      }
    }
    await request(test.baseUrl).get('/targets/progress').expect(401);
  });

  it('shows the nine seeded targets with their source document', async () => {
    const response = await request(test.baseUrl).get('/targets').set('authorization', tokens.leader).expect(200);
    expect(response.body.map((t: { code: string }) => t.code)).toEqual([
      'nri.total',
      'nri.provincial',
      'nri.industry_coverage',
      'incubation.provincial_plus',
      'incubation.county_coverage',
      'incubation.operators',
      'incubation.enterprises',
      'incubation.area_m2',
      'key_lab.municipal_plus',
    ]);
    const values = Object.fromEntries(response.body.map((t: { code: string; current: { value: number } }) => [t.code, t.current.value]));
    expect(values).toMatchObject({
      'nri.total': 70,
      'nri.provincial': 18,
      'incubation.provincial_plus': 80,
      'incubation.area_m2': 10000000,
      'key_lab.municipal_plus': 150,
    });
    expect(response.body[0].current).toMatchObject({ sourceDocumentNumber: '温政发〔2023〕17号', sourceDocumentDate: '2023-04-14' });
  });

  it('lets only admins revise targets', async () => {
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      await request(test.baseUrl).put('/targets/nri.total').set('authorization', tokens[role]).send(revision).expect(403);
    }
    await request(test.baseUrl).put('/targets/nri.total').set('authorization', tokens.admin).send(revision).expect(200);
    const audit = await db.query(`SELECT actor_role, summary FROM audit_event WHERE action = 'target.revised'`);
    expect(audit).toEqual([
      { actor_role: 'admin', summary: expect.objectContaining({ value: 160, sourceDocumentNumber: '温科发〔2026〕1号' }) },
    ]);
  });

  it('answers 400 to bad target revisions and progress queries, and stores nothing', async () => {
    const before = await counts();
    const cases: [object, string][] = [
      [{ ...revision, value: -1 }, 'request.validation_failed'],
      [{ ...revision, value: 'many' }, 'request.validation_failed'],
      [{ ...revision, dueOn: '2027-02-30' }, 'request.validation_failed'],
      [{ ...revision, sourceDocumentNumber: '' }, 'request.validation_failed'],
      [{ ...revision, effectiveFrom: '2024-01-01' }, 'target.effective_in_past'],
      [{ ...revision, sourceDocumentDate: '2099-01-01' }, 'target.document_in_future'],
      [{ ...revision, dueOn: '2020-12-31' }, 'target.due_before_effective'],
      [{ ...revision, id: 'x' }, 'request.validation_failed'],
    ];
    for (const [body, code] of cases) {
      const response = await request(test.baseUrl).put('/targets/nri.total').set('authorization', tokens.admin).send(body);
      expect({ body, status: response.status, code: response.body.error?.code }).toEqual({ body, status: 400, code });
    }
    expect(
      (await request(test.baseUrl).put('/targets/no.such').set('authorization', tokens.admin).send(revision).expect(404)).body.error.code,
    ).toBe('target.not_found');
    await request(test.baseUrl).put('/targets/DROP TABLE').set('authorization', tokens.admin).send(revision).expect(400);
    for (const query of ['?asOf=2025-02-30', '?asOf=yesterday', '?by=colour', '?asOf=1899-01-01', '?page=1']) {
      await request(test.baseUrl).get(`/targets/progress${query}`).set('authorization', tokens.leader).expect(400);
    }
    expect(await counts()).toEqual(before);
  });

  it('records city indicators per year against their milestones (bureau officers and admins)', async () => {
    const listed = await request(test.baseUrl).get('/indicators').set('authorization', tokens.leader).expect(200);
    expect(listed.body).toHaveLength(9);
    expect(listed.body[0]).toMatchObject({
      code: 'rd_gdp_ratio',
      nameZh: 'R&D经费占地区生产总值的比重',
      unit: '%',
      milestones: { 2022: 2.6, 2023: 2.7, 2025: 3, 2027: 3.4 },
    });
    expect(listed.body[3].milestones).toEqual({ 2022: 3700, 2023: 4300, 2025: 5500, 2027: 6500 });

    const saved = await request(test.baseUrl)
      .put('/indicators')
      .set('authorization', tokens.bureau_officer)
      .send({
        year: 2024,
        values: [
          { code: 'rd_gdp_ratio', value: 2.9 },
          { code: 'high_tech_enterprises', value: 4700 },
        ],
      })
      .expect(200);
    const rd = saved.body.find((i: { code: string }) => i.code === 'rd_gdp_ratio');
    // 2024 lies between the 2023 and 2025 milestones: 2.85 on the line; 2.9 meets it.
    expect(rd.years.find((y: { year: number }) => y.year === 2024)).toEqual({
      year: 2024,
      milestone: 2.85,
      interpolated: true,
      value: 2.9,
      met: true,
    });
    const hte = saved.body.find((i: { code: string }) => i.code === 'high_tech_enterprises');
    expect(hte.years.find((y: { year: number }) => y.year === 2024)).toMatchObject({ milestone: 4900, value: 4700, met: false });
    await request(test.baseUrl)
      .put('/indicators')
      .set('authorization', tokens.admin)
      .send({ year: 2024, values: [{ code: 'rd_gdp_ratio', value: 3.0 }] })
      .expect(200);
    for (const role of ['leader', 'county_officer', 'expert', 'applicant'] as const) {
      await request(test.baseUrl)
        .put('/indicators')
        .set('authorization', tokens[role])
        .send({ year: 2024, values: [{ code: 'rd_gdp_ratio', value: 1 }] })
        .expect(403);
    }
  });

  it('answers 400 to bad indicator entries and stores nothing', async () => {
    const before = await counts();
    const bodies: [object, string][] = [
      [{ year: 2024, values: [{ code: 'no_such', value: 1 }] }, 'indicator.unknown'],
      [{ year: 2024, values: [] }, 'request.validation_failed'],
      [{ year: '2024', values: [{ code: 'rd_gdp_ratio', value: 1 }] }, 'request.validation_failed'],
      [{ year: 2024, values: [{ code: 'rd_gdp_ratio', value: 'high' }] }, 'request.validation_failed'],
      [
        {
          year: 2024,
          values: [
            { code: 'rd_gdp_ratio', value: 1 },
            { code: 'rd_gdp_ratio', value: 2 },
          ],
        },
        'target.duplicate_indicator',
      ],
      [{ year: 2029, values: [{ code: 'rd_gdp_ratio', value: 1 }] }, 'target.year_in_future'],
      [{ year: 2019, values: [{ code: 'rd_gdp_ratio', value: 1 }] }, 'request.validation_failed'],
      [{ year: 2024, values: [{ code: 'rd_gdp_ratio', value: 1, note: 'x' }] }, 'request.validation_failed'],
    ];
    for (const [body, code] of bodies) {
      const response = await request(test.baseUrl).put('/indicators').set('authorization', tokens.admin).send(body);
      expect({ body, status: response.status, code: response.body.error?.code }).toEqual({ body, status: 400, code });
    }
    expect(await counts()).toEqual(before);
  });
});
