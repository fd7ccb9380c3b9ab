import request from 'supertest';
import { DataSource } from 'typeorm';
import { type TestApp, startTestApp } from '../support/app';
import { type Cast, INCUBATOR_FORM, PDF_BYTES, makeCast, openCall } from '../support/procedure';

describe('county review over HTTP: the per-county quota and the fixed cut-off of a call', () => {
  let test: TestApp;
  let db: DataSource;
  let cast: Cast;

  beforeAll(async () => {
    test = await startTestApp();
    db = test.app.get(DataSource);
    cast = await makeCast(test.baseUrl, db);
  });

  afterAll(async () => {
    await test?.close();
  });

  const as = (who: keyof Cast['tokens']) => ({
    get: (path: string) => request(test.baseUrl).get(path).auth(cast.tokens[who], { type: 'bearer' }),
    post: (path: string) => request(test.baseUrl).post(path).auth(cast.tokens[who], { type: 'bearer' }),
    patch: (path: string) => request(test.baseUrl).patch(path).auth(cast.tokens[who], { type: 'bearer' }),
  });
  const version = async (id: string) => (await as('bureau').get(`/applications/${id}`).expect(200)).body.version;
  const act = async (who: keyof Cast['tokens'], id: string, action: string, extra: object = {}) =>
    as(who)
      .post(`/applications/${id}/actions`)
      .send({ action, expectedVersion: await version(id), ...extra });

  async function submitted(callId: string, name: string): Promise<{ id: string; stageDeadline: string }> {
    const created = await as('applicantA')
      .post('/applications')
      .send({ callId, name, subtype: 'comprehensive', industries: ['emerg.digital'], form: INCUBATOR_FORM })
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
    const done = await as('applicantA')
      .post(`/applications/${created.body.id}/submit`)
      .send({ expectedVersion: signed.body.version })
      .expect(200);
    return { id: created.body.id, stageDeadline: done.body.stageDeadline };
  }

  it("refuses a recommendation over the county's quota and frees the seat of a withdrawn dossier", async () => {
    const callId = await openCall(test.baseUrl, cast.tokens.bureau, { quotaPerCounty: { lucheng: 1 } });
    const first = await submitted(callId, '名额测试孵化器一期');
    const second = await submitted(callId, '名额测试孵化器二期');
    expect((await act('countyA', first.id, 'recommend')).status).toBe(200);
    const over = await act('countyA', second.id, 'recommend');
    expect([over.status, over.body.error.code, over.body.error.details]).toEqual([
      409,
      'application.quota_reached',
      { regionCode: 'lucheng', quota: 1 },
    ]);
    const events = await db.query(`SELECT count(*)::int AS n FROM application_event WHERE application_id = $1`, [second.id]);
    expect(events).toEqual([{ n: 1 }]);
    expect((await as('bureau').get(`/applications/${second.id}`).expect(200)).body.stage).toBe('county_review');
    // The recommended dossier is withdrawn: its seat is free again.
    expect((await act('applicantA', first.id, 'withdraw', { comment: '本年度暂不申报' })).status).toBe(200);
    expect((await act('countyA', second.id, 'recommend')).status).toBe(200);
  });

  it("gives the county review the call's fixed cut-off instead of working days, on submission and on resubmission to it", async () => {
    const callId = await openCall(test.baseUrl, cast.tokens.bureau, { countyReviewDeadline: '2026-12-18' });
    const dossier = await submitted(callId, '截止日测试孵化器');
    expect(dossier.stageDeadline).toBe('2026-12-18');
    const timers = await db.query(
      `SELECT count(*)::int AS n FROM notification_timer WHERE subject_type = 'application' AND subject_id = $1 AND state = 'scheduled'`,
      [dossier.id],
    );
    expect(timers[0].n).toBeGreaterThan(0);
    expect((await act('countyA', dossier.id, 'return_for_revision', { comment: '请补充推荐材料' })).status).toBe(200);
    const resubmitted = await as('applicantA')
      .post(`/applications/${dossier.id}/submit`)
      .send({ expectedVersion: await version(dossier.id) })
      .expect(200);
    expect(resubmitted.body).toMatchObject({ stage: 'county_review', stageDeadline: '2026-12-18' });
    // Without a fixed cut-off, the county gets its working days from the call's durations.
    const otherCall = await openCall(test.baseUrl, cast.tokens.bureau);
    const other = await submitted(otherCall, '截止日对照孵化器');
    expect(other.stageDeadline).not.toBe('2026-12-18');
    expect(other.stageDeadline > new Date().toISOString().slice(0, 10)).toBe(true);
  });

  it("recommends only with the county's recommendation letter uploaded, when the call requires it (as its defaults do)", async () => {
    const callId = await openCall(test.baseUrl, cast.tokens.bureau, {
      requiredDocuments: [
        { code: 'business_licence', nameZh: '营业执照', nameEn: 'Business licence', required: true },
        { code: 'recommendation_letter', nameZh: '县（市、区）推荐函', nameEn: 'Recommendation letter', required: true },
      ],
    });
    // The applicant submits without it (it is not theirs to upload) ...
    const dossier = await submitted(callId, '推荐函测试孵化器');
    const refused = await as('applicantA')
      .post(`/applications/${dossier.id}/attachments`)
      .field('documentCode', 'recommendation_letter')
      .attach('file', PDF_BYTES, { filename: '推荐函.pdf', contentType: 'application/pdf' });
    expect(refused.status).toBe(400);
    // ... and the county cannot recommend before uploading it.
    const early = await act('countyA', dossier.id, 'recommend');
    expect([early.status, early.body.error.code]).toEqual([422, 'application.recommendation_letter_required']);
    expect((await as('bureau').get(`/applications/${dossier.id}`).expect(200)).body.stage).toBe('county_review');
    // The wrong role still hears about its role first.
    expect((await act('bureau', dossier.id, 'recommend')).status).toBe(403);
    await as('countyA')
      .post(`/applications/${dossier.id}/attachments`)
      .field('documentCode', 'recommendation_letter')
      .attach('file', PDF_BYTES, { filename: '推荐函.pdf', contentType: 'application/pdf' })
      .expect(201);
    const recommended = await act('countyA', dossier.id, 'recommend');
    expect([recommended.status, recommended.body.stage]).toEqual([200, 'formal_review']);
  });
});
