import SwaggerParser from '@apidevtools/swagger-parser';
import request from 'supertest';
import { CalendarService, OFFICIAL_DAYS } from '../../libs/common/src';
import { DataSource } from 'typeorm';
import { makeUser } from '../../libs/identity/src/testing/identity-fixtures';
import { type TestApp, startTestApp } from '../support/app';
import { login } from '../support/procedure';

interface DayBody {
  day: string;
  working: boolean;
  nameZh: string | null;
  source: string;
}

describe('working-day calendar (HTTP)', () => {
  let test: TestApp;
  let adminToken: string;
  let officerToken: string;

  beforeAll(async () => {
    test = await startTestApp();
    const db = test.app.get(DataSource);
    adminToken = await login(test.baseUrl, await makeUser(db, { role: 'admin' }));
    officerToken = await login(test.baseUrl, await makeUser(db, { role: 'bureau_officer' }));
  });

  afterAll(async () => {
    await test?.close();
  });

  const getYear = async (year: number): Promise<DayBody[]> =>
    (await request(test.baseUrl).get(`/calendar/${year}`).auth(officerToken, { type: 'bearer' }).expect(200)).body.days;

  it('serves the seeded official arrangement of 2026: the 调休 Saturday works, National Day is off', async () => {
    const { body } = await request(test.baseUrl).get('/calendar/2026').auth(officerToken, { type: 'bearer' }).expect(200);
    expect(body.year).toBe(2026);
    expect(body.days).toContainEqual({ day: '2026-10-10', working: true, nameZh: '国庆节', source: 'chinese-days' });
    expect(body.days).toContainEqual({ day: '2026-10-01', working: false, nameZh: '国庆节', source: 'chinese-days' });
    expect(body.days.map((d: DayBody) => d.day)).toEqual([...body.days.map((d: DayBody) => d.day)].sort());
  });

  it('holds exactly the rows of the official data for every seeded year', async () => {
    const stored: DayBody[] = [];
    for (const year of [2023, 2024, 2025, 2026]) stored.push(...(await getYear(year)));
    expect(stored.map((d) => [d.day, d.working, d.nameZh])).toEqual(OFFICIAL_DAYS.map((d) => [...d]));
    expect(await getYear(2027)).toEqual([]);
  });

  it('refuses bad years and bad bodies with 400 and stores nothing', async () => {
    const before = await getYear(2026);
    const valid = { day: '2026-12-26', working: true };
    const cases: { path: string; body: unknown; code: string }[] = [
      { path: '/calendar/2026', body: { days: [valid, { day: '2027-01-02', working: true }] }, code: 'calendar.day_outside_year' },
      { path: '/calendar/2026', body: { days: [valid, { day: '2026-02-30', working: false }] }, code: 'request.validation_failed' },
      { path: '/calendar/2026', body: { days: [valid, { day: '2026-12-26', working: false }] }, code: 'calendar.duplicate_day' },
      { path: '/calendar/2026', body: { days: [{ ...valid, admin: true }] }, code: 'request.validation_failed' },
      { path: '/calendar/2026', body: { days: [valid], extra: 1 }, code: 'request.validation_failed' },
      { path: '/calendar/2026', body: { days: [{ day: '2026-12-26', working: 'yes' }] }, code: 'request.validation_failed' },
      { path: '/calendar/2026', body: { days: Array.from({ length: 401 }, () => valid) }, code: 'request.validation_failed' },
      { path: '/calendar/2026', body: {}, code: 'request.validation_failed' },
      { path: '/calendar/1999', body: { days: [] }, code: 'request.validation_failed' },
      { path: '/calendar/abc', body: { days: [] }, code: 'request.validation_failed' },
    ];
    for (const { path, body, code } of cases) {
      const response = await request(test.baseUrl)
        .put(path)
        .auth(adminToken, { type: 'bearer' })
        .send(body as object);
      expect({ body, status: response.status, code: response.body.error?.code }).toEqual({ body, status: 400, code });
      expect(response.body.error.message).toEqual(expect.any(String));
    }
    const outside = await request(test.baseUrl)
      .put('/calendar/2026')
      .auth(adminToken, { type: 'bearer' })
      .send({ days: [{ day: '2027-01-02', working: true }] })
      .expect(400);
    expect(outside.body.error.details).toEqual({ year: 2026, days: ['2027-01-02'] });
    const invalid = await request(test.baseUrl)
      .put('/calendar/2026')
      .auth(adminToken, { type: 'bearer' })
      .send({ days: [{ day: '2026-02-30', working: false }] })
      .expect(400);
    expect(invalid.body.error.details.fields).toEqual([expect.objectContaining({ field: 'days.0.day' })]);
    await request(test.baseUrl).get('/calendar/2101').auth(officerToken, { type: 'bearer' }).expect(400);

    expect(await getYear(2026)).toEqual(before);
  });

  it('replaces a year on PUT: GET and the working-day arithmetic follow', async () => {
    const calendar = test.app.get(CalendarService);
    // Warm the in-memory copy so the test shows the write invalidates it.
    expect((await calendar.load()).addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    const untouched = await getYear(2025);

    const days = [
      { day: '2026-10-01', working: false, nameZh: '国庆节' },
      { day: '2026-10-02', working: false, nameZh: '国庆节' },
      { day: '2026-10-03', working: true, nameZh: '调休' },
    ];
    const { body } = await request(test.baseUrl).put('/calendar/2026').auth(adminToken, { type: 'bearer' }).send({ days }).expect(200);
    expect(body).toEqual({ year: 2026, days: days.map((d) => ({ ...d, source: 'admin' })) });
    expect(await getYear(2026)).toEqual(body.days);
    expect(await getYear(2025)).toEqual(untouched);

    const updated = await calendar.load();
    expect(updated.addWorkingDays('2026-09-30', 1)).toBe('2026-10-03');
    expect(updated.addWorkingDays('2026-09-30', 2)).toBe('2026-10-05');
    expect(updated.isWorkingDay('2026-10-10')).toBe(false);

    await request(test.baseUrl)
      .put('/calendar/2026')
      .auth(adminToken, { type: 'bearer' })
      .send({ days: [] })
      .expect(200, { year: 2026, days: [] });
    expect((await calendar.load()).addWorkingDays('2026-09-30', 1)).toBe('2026-10-01');
  });

  it('serialises two admins replacing the same year at once: both succeed, one list wins whole', async () => {
    const first = [{ day: '2027-10-01', working: false, nameZh: '国庆节' }];
    const second = [
      { day: '2027-10-01', working: false, nameZh: '国庆节' },
      { day: '2027-10-09', working: true, nameZh: '国庆节' },
    ];
    const responses = await Promise.all([
      request(test.baseUrl).put('/calendar/2027').auth(adminToken, { type: 'bearer' }).send({ days: first }),
      request(test.baseUrl).put('/calendar/2027').auth(adminToken, { type: 'bearer' }).send({ days: second }),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    const stored = (await getYear(2027)).map(({ day, working, nameZh }) => ({ day, working, nameZh }));
    expect([first, second]).toContainEqual(stored);
  });

  it('lets only admins change the calendar, and only signed-in users read it', async () => {
    await request(test.baseUrl).get('/calendar/2026').expect(401);
    await request(test.baseUrl).put('/calendar/2026').auth(officerToken, { type: 'bearer' }).send({ days: [] }).expect(403);
  });

  it('documents GET and PUT /calendar/{year} in a valid OpenAPI document', async () => {
    const { body } = await request(test.baseUrl).get('/docs/openapi.json').expect(200);
    await expect(SwaggerParser.validate(structuredClone(body))).resolves.toBeDefined();
    expect(Object.keys(body.paths['/calendar/{year}'])).toEqual(expect.arrayContaining(['get', 'put']));
  });
});
