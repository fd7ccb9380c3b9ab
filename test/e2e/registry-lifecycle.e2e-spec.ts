import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Platform } from '@app/registry';
import { type TestApp, startTestApp } from '../support/app';
import { recognise, signIn } from '../support/registry-fixtures';

describe('registry: access, reports, evaluations, revocation', () => {
  let test: TestApp;
  let db: DataSource;
  let bureau: string;
  let admin: string;
  let leader: string;
  let lucheng: string;
  let longwan: string;
  let expert: string;
  let luchengLab: Platform;
  let zoneIncubator: Platform;
  let ruianSpace: Platform;

  const snapshot = async (): Promise<unknown> =>
    db.query(`SELECT
      (SELECT count(*) FROM annual_report)::int AS reports, (SELECT count(*) FROM evaluation)::int AS evaluations,
      (SELECT count(*) FROM rectification)::int AS rectifications, (SELECT count(*) FROM platform_change)::int AS changes,
      (SELECT count(*) FROM platform WHERE status = 'revoked')::int AS revoked, (SELECT coalesce(sum(delta), 0)::text FROM registry_tally) AS tally,
      (SELECT count(*) FROM audit_event)::int AS audit`);

  beforeAll(async () => {
    test = await startTestApp();
    db = test.app.get(DataSource);
    [bureau, admin, leader, lucheng, longwan, expert] = await Promise.all([
      signIn(test, 'bureau_officer'),
      signIn(test, 'admin'),
      signIn(test, 'leader'),
      signIn(test, 'county_officer', { regionCode: 'lucheng' }),
      signIn(test, 'county_officer', { regionCode: 'longwan' }),
      signIn(test, 'expert'),
    ]);
    luchengLab = await recognise(test, { type: 'key_lab', level: 'municipal', regionCode: 'lucheng', recognisedOn: '2023-05-01' });
    zoneIncubator = await recognise(test, {
      type: 'incubator',
      level: 'provincial',
      regionCode: 'wenzhou_bay',
      recognisedOn: '2022-05-01',
    });
    ruianSpace = await recognise(test, {
      type: 'maker_space',
      level: 'municipal',
      regionCode: 'ruian',
      recognisedOn: '2022-03-01',
      industries: ['emerg.digital'],
    });
  });

  afterAll(async () => {
    await test?.close();
  });

  it('lets staff read the registry with filters, and county officers only their county and its zones', async () => {
    const all = await request(test.baseUrl).get('/platforms').set('authorization', leader).expect(200);
    expect(all.body.total).toBe(3);
    const filtered = await request(test.baseUrl)
      .get('/platforms?type=maker_space&industry=emerg.digital&year=2022&status=active')
      .set('authorization', bureau)
      .expect(200);
    expect(filtered.body.items.map((p: Platform) => p.id)).toEqual([ruianSpace.id]);
    expect((await request(test.baseUrl).get('/platforms?county=longwan').set('authorization', admin).expect(200)).body.items[0].id).toBe(
      zoneIncubator.id,
    );

    const mine = await request(test.baseUrl).get('/platforms').set('authorization', lucheng).expect(200);
    expect(mine.body.items.map((p: Platform) => p.id)).toEqual([luchengLab.id]);
    await request(test.baseUrl).get(`/platforms/${luchengLab.id}`).set('authorization', lucheng).expect(200);
    const other = await request(test.baseUrl).get(`/platforms/${ruianSpace.id}`).set('authorization', lucheng).expect(404);
    expect(other.body.error.code).toBe('platform.not_found');
    // A county sees its zones' platforms: they count toward it.
    expect(
      (await request(test.baseUrl).get('/platforms').set('authorization', longwan).expect(200)).body.items.map((p: Platform) => p.id),
    ).toEqual([zoneIncubator.id]);
    await request(test.baseUrl).get('/platforms').set('authorization', expert).expect(403);
    // An applicant sees its own organisation's platforms only (none here): to file their annual reports.
    const stranger = await request(test.baseUrl)
      .get('/platforms')
      .set('authorization', await signIn(test, 'applicant'))
      .expect(200);
    expect(stranger.body.items).toEqual([]);
    await request(test.baseUrl).get('/platforms').expect(401);
  });

  it('files an annual report, once per year, and lets an applicant file only for its own platform', async () => {
    const report = await request(test.baseUrl)
      .post(`/platforms/${zoneIncubator.id}/reports`)
      .set('authorization', bureau)
      .send({
        year: 2024,
        incubatedEnterprises: 61,
        graduatedEnterprises: 4,
        areaM2: 15000,
        staff: 12,
        rdSpendYuan: 1200000,
        financingYuan: 3000000,
        torch: { 在孵企业总收入_千元: 88000 },
      })
      .expect(201);
    expect(report.body).toMatchObject({ year: 2024, incubatedEnterprises: 61, areaM2: 15000, torch: { 在孵企业总收入_千元: 88000 } });
    const again = await request(test.baseUrl)
      .post(`/platforms/${zoneIncubator.id}/reports`)
      .set('authorization', bureau)
      .send({ year: 2024 })
      .expect(409);
    expect(again.body.error.code).toBe('platform.report_exists');

    const applicant = await signIn(test, 'applicant');
    const { organisationId } = (await request(test.baseUrl).get('/me').set('authorization', applicant).expect(200)).body as {
      organisationId: string;
    };
    const own = await recognise(test, { type: 'incubator', level: 'municipal', organisationId, recognisedOn: '2023-01-05' });
    const listed = await request(test.baseUrl).get('/platforms').set('authorization', applicant).expect(200);
    expect(listed.body.items.map((p: Platform) => p.id)).toEqual([own.id]);
    await request(test.baseUrl).get(`/platforms/${ruianSpace.id}`).set('authorization', applicant).expect(404);
    await request(test.baseUrl)
      .post(`/platforms/${own.id}/reports`)
      .set('authorization', applicant)
      .send({ year: 2025, incubatedEnterprises: 30 })
      .expect(201);
    await request(test.baseUrl)
      .post(`/platforms/${ruianSpace.id}/reports`)
      .set('authorization', applicant)
      .send({ year: 2025, incubatedEnterprises: 30 })
      .expect(404);
    await request(test.baseUrl).post(`/platforms/${ruianSpace.id}/reports`).set('authorization', leader).send({ year: 2025 }).expect(403);
  });

  it('grades by the type thresholds, marks a missing report absent, and opens a rectification for D', async () => {
    // Reports filed on time in earlier years (the API dates a report on the day it is filed).
    for (const [year, filedOn] of [
      [2022, '2023-03-20'],
      [2023, '2024-03-15'],
    ] as const) {
      await db.query(
        `INSERT INTO annual_report (id, platform_id, year, filed_on, incubated_enterprises) VALUES (gen_random_uuid(), $1, $2, $3, 50)`,
        [zoneIncubator.id, year, filedOn],
      );
    }
    const graded = await request(test.baseUrl)
      .post(`/platforms/${zoneIncubator.id}/evaluations`)
      .set('authorization', bureau)
      .send({ year: 2022, score: 91.5 })
      .expect(201);
    expect(graded.body).toMatchObject({
      evaluation: { year: 2022, score: 91.5, grade: 'A' },
      rectification: null,
      suggestedRevocation: null,
    });
    const failing = await request(test.baseUrl)
      .post(`/platforms/${zoneIncubator.id}/evaluations`)
      .set('authorization', bureau)
      .send({ year: 2023, score: 59.99, evaluatedOn: '2024-05-31' })
      .expect(201);
    expect(failing.body).toMatchObject({
      evaluation: { grade: 'D' },
      rectification: { openedOn: '2024-05-31', deadline: '2024-11-30', status: 'open' },
      suggestedRevocation: null,
    });
    const missingScore = await request(test.baseUrl)
      .post(`/platforms/${zoneIncubator.id}/evaluations`)
      .set('authorization', bureau)
      .send({ year: 2024 })
      .expect(201);
    // Its 2024 report was filed after 31 March 2025: absent, the second failing year in a row.
    expect(missingScore.body).toMatchObject({ evaluation: { grade: 'absent' }, suggestedRevocation: 'failed_twice' });

    const absent = await request(test.baseUrl)
      .post(`/platforms/${ruianSpace.id}/evaluations`)
      .set('authorization', bureau)
      .send({ year: 2023, evaluatedOn: '2024-06-30' })
      .expect(201);
    expect(absent.body.evaluation.grade).toBe('absent');
    expect(absent.body.rectification).toMatchObject({ openedOn: '2024-06-30', deadline: '2024-12-30', status: 'open' });

    await request(test.baseUrl)
      .post(`/platforms/${ruianSpace.id}/reports`)
      .set('authorization', bureau)
      .send({ year: 2024, incubatedEnterprises: 3 })
      .expect(201);
    // Filed now, long after the 2025-03-31 deadline: still absent; a second failing year in a row suggests revocation.
    const late = await request(test.baseUrl)
      .post(`/platforms/${ruianSpace.id}/evaluations`)
      .set('authorization', bureau)
      .send({ year: 2024, score: 50 })
      .expect(201);
    expect(late.body.evaluation.grade).toBe('absent');
    expect(late.body.suggestedRevocation).toBe('failed_twice');

    // A key lab in its three-year build period is not graded.
    const building = await request(test.baseUrl)
      .post(`/platforms/${luchengLab.id}/evaluations`)
      .set('authorization', bureau)
      .send({ year: 2024, score: 40 })
      .expect(201);
    expect(building.body.evaluation.grade).toBe('not_evaluated');

    const detail = await request(test.baseUrl).get(`/platforms/${ruianSpace.id}`).set('authorization', bureau).expect(200);
    expect(detail.body.evaluations.map((e: { grade: string }) => e.grade)).toEqual(['absent', 'absent']);
    expect(detail.body.rectifications).toHaveLength(2);
  });

  it('records a change of name with its date and keeps the old name', async () => {
    const change = await request(test.baseUrl)
      .post(`/platforms/${luchengLab.id}/changes`)
      .set('authorization', bureau)
      .send({ field: 'name', newValue: '温州鹿城新名称重点实验室', changedOn: '2025-04-01' })
      .expect(201);
    expect(change.body).toMatchObject({ field: 'name', oldValue: luchengLab.name, newValue: '温州鹿城新名称重点实验室' });
    const detail = await request(test.baseUrl).get(`/platforms/${luchengLab.id}`).set('authorization', bureau).expect(200);
    expect(detail.body.name).toBe('温州鹿城新名称重点实验室');
    expect(detail.body.changes).toHaveLength(1);
  });

  it('revokes with a reason from a date, bans fraud for 3 years, and refuses a second revocation', async () => {
    const revoked = await request(test.baseUrl)
      .post(`/platforms/${ruianSpace.id}/revocation`)
      .set('authorization', bureau)
      .send({ reason: 'fraud', revokedOn: '2025-09-01', documentNumber: '温科发〔2025〕66号' })
      .expect(200);
    expect(revoked.body).toMatchObject({
      status: 'revoked',
      revokedOn: '2025-09-01',
      revocationReason: 'fraud',
      reapplicationBannedUntil: '2028-09-01',
    });
    await request(test.baseUrl)
      .post(`/platforms/${ruianSpace.id}/revocation`)
      .set('authorization', bureau)
      .send({ reason: 'ceased', revokedOn: '2025-10-01' })
      .expect(409);
    const audit = await db.query(`SELECT actor_role, summary FROM audit_event WHERE action = 'platform.revoked' AND object_id = $1`, [
      ruianSpace.id,
    ]);
    expect(audit).toEqual([
      { actor_role: 'bureau_officer', summary: expect.objectContaining({ reason: 'fraud', revokedOn: '2025-09-01' }) },
    ]);
  });

  it('answers 400 with the error body to bad input on every write route, and stores nothing', async () => {
    const before = await snapshot();
    const id = zoneIncubator.id;
    const cases: [string, object, string][] = [
      [`/platforms/${id}/reports`, { year: 2025, incubatedEnterprises: -1 }, 'request.validation_failed'],
      [`/platforms/${id}/reports`, { year: 2025, areaM2: 'big' }, 'request.validation_failed'],
      [`/platforms/${id}/reports`, { year: 2025, hacker: true }, 'request.validation_failed'],
      [`/platforms/${id}/reports`, { year: 2025, torch: { x: -5 } }, 'request.validation_failed'],
      [`/platforms/${id}/reports`, { year: 2035 }, 'platform.report_year_out_of_range'],
      [`/platforms/${id}/reports`, { year: 2101 }, 'request.validation_failed'],
      [`/platforms/${id}/reports`, { year: 2019 }, 'platform.report_year_out_of_range'],
      [`/platforms/${luchengLab.id}/reports`, { year: 2025, torch: { a: 1 } }, 'platform.torch_not_applicable'],
      [`/platforms/${id}/evaluations`, { year: 2025, score: 101 }, 'request.validation_failed'],
      [`/platforms/${id}/evaluations`, { year: 'last' }, 'request.validation_failed'],
      [`/platforms/${id}/evaluations`, { year: 2025, evaluatedOn: '2025-13-45' }, 'request.validation_failed'],
      [`/platforms/${id}/revocation`, { reason: 'ceased', revokedOn: '2025-02-30' }, 'request.validation_failed'],
      [`/platforms/${id}/evaluations`, { year: 2023, evaluatedOn: '2099-01-01' }, 'platform.date_out_of_range'],
      [`/platforms/${id}/revocation`, { reason: 'bored', revokedOn: '2025-01-01' }, 'request.validation_failed'],
      [`/platforms/${id}/revocation`, { reason: 'ceased', revokedOn: '01/01/2025' }, 'request.validation_failed'],
      [`/platforms/${id}/revocation`, { reason: 'ceased', revokedOn: '2021-01-01' }, 'platform.date_out_of_range'],
      [`/platforms/${id}/revocation`, { reason: 'ceased', revokedOn: '2025-01-01', banYears: 3 }, 'platform.ban_only_for_fraud'],
      [`/platforms/${id}/changes`, { field: 'colour', newValue: 'x', changedOn: '2025-01-01' }, 'request.validation_failed'],
      [`/platforms/${id}/changes`, { field: 'area', newValue: '', changedOn: '2025-01-01' }, 'request.validation_failed'],
      [`/platforms/${id}/changes`, { field: 'area', newValue: '9000', changedOn: '2020-01-01' }, 'platform.date_out_of_range'],
      [`/platforms/not-a-uuid/revocation`, { reason: 'ceased', revokedOn: '2025-01-01' }, 'request.validation_failed'],
    ];
    for (const [path, body, code] of cases) {
      const response = await request(test.baseUrl).post(path).set('authorization', bureau).send(body);
      expect({ path, body, status: response.status, code: response.body.error?.code }).toEqual({ path, body, status: 400, code });
      expect(typeof response.body.error.message).toBe('string');
    }
    const malformed = await request(test.baseUrl)
      .post(`/platforms/${id}/reports`)
      .set('authorization', bureau)
      .set('content-type', 'application/json')
      .send('{"year": 20');
    expect(malformed.status).toBe(400);
    const unknown = await request(test.baseUrl)
      .post('/platforms/00000000-0000-4000-8000-000000000000/revocation')
      .set('authorization', bureau)
      .send({ reason: 'ceased', revokedOn: '2025-01-01' });
    expect(unknown.status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a recognition that breaks the dictionaries, and a second one of the same application', async () => {
    await expect(recognise(test, { regionCode: 'hangzhou' })).rejects.toMatchObject({ code: 'platform.unknown_region' });
    await expect(recognise(test, { type: 'new_rd_institution', level: 'national' })).rejects.toMatchObject({
      code: 'platform.level_not_allowed',
    });
    await expect(recognise(test, { promotedFromId: ruianSpace.id, type: 'key_lab', level: 'provincial' })).rejects.toMatchObject({
      code: 'platform.invalid_promotion',
    });
    const applicationId = '11111111-2222-4333-8444-555555555555';
    await recognise(test, { applicationId });
    await expect(recognise(test, { applicationId })).rejects.toMatchObject({ code: 'platform.application_already_recognised' });
  });
});
