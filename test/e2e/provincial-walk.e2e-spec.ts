import request from 'supertest';
import { DataSource } from 'typeorm';
import { type TestApp, startTestApp } from '../support/app';
import { type Cast, PDF_BYTES, makeCast, makeExperts, openCall, reviewByPanel, submittedDossier } from '../support/procedure';

/**
 * Provincial and national calls end with the city's recommendation to the province (DOMAIN.md §5):
 * county review with its letter, formal review, the expert panel, the decision to recommend, and
 * the province's result recorded when it comes back, which enters the platform at the call's level.
 */
describe('a provincial and a national call walked end to end (HTTP)', () => {
  let test: TestApp;
  let db: DataSource;
  let cast: Cast;
  let experts: { id: string; token: string }[];
  const statuses: number[] = [];

  beforeAll(async () => {
    test = await startTestApp();
    db = test.app.get(DataSource);
    cast = await makeCast(test.baseUrl, db);
    experts = [{ id: cast.users.expert.id, token: cast.tokens.expert }, ...(await makeExperts(test.baseUrl, db, 6))];
  });

  afterAll(async () => {
    await test?.close();
  });

  afterEach(() => {
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
  });

  const as = (who: keyof Cast['tokens']) => ({
    get: async (path: string): Promise<request.Response> => {
      const res = await request(test.baseUrl).get(path).auth(cast.tokens[who], { type: 'bearer' });
      statuses.push(res.status);
      return res;
    },
    post: async (path: string, body: object = {}): Promise<request.Response> => {
      const res = await request(test.baseUrl).post(path).auth(cast.tokens[who], { type: 'bearer' }).send(body);
      statuses.push(res.status);
      return res;
    },
  });

  const act = async (who: keyof Cast['tokens'], id: string, action: string, extra: object = {}): Promise<request.Response> => {
    const { version } = (await as(who).get(`/applications/${id}`)).body;
    return as(who).post(`/applications/${id}/actions`, { action, expectedVersion: version, ...extra });
  };

  const expectStage = async (id: string, stage: string): Promise<void> => {
    expect((await as('bureau').get(`/applications/${id}`)).body.stage).toBe(stage);
  };

  /** From county review to the city's recommendation, as the provincial workflow runs it. */
  async function walkToProvince(id: string): Promise<void> {
    await request(test.baseUrl)
      .post(`/applications/${id}/attachments`)
      .auth(cast.tokens.countyA, { type: 'bearer' })
      .field('documentCode', 'recommendation_letter')
      .attach('file', PDF_BYTES, { filename: '推荐函.pdf', contentType: 'application/pdf' })
      .expect(201);
    expect((await act('countyA', id, 'recommend')).body.stage).toBe('formal_review');
    expect((await act('bureau', id, 'pass_formal_review')).body.stage).toBe('expert_review');
    const panel = await reviewByPanel(test.baseUrl, cast.tokens.bureau, experts, id, 88);
    expect(panel.result).toMatchObject({ passed: true });
    // No site inspection in a provincial workflow: straight to the decision to recommend.
    expect((await act('bureau', id, 'record_expert_result')).body.stage).toBe('decision');
    const shown = await as('bureau').get(`/applications/${id}`);
    expect(shown.body.availableActions).toEqual(['recommend_to_province']);
    expect((await act('bureau', id, 'recommend_to_province')).body.stage).toBe('recommended_to_province');
    // The applicant may no longer withdraw once the city has recommended.
    expect((await act('applicantA', id, 'withdraw', { comment: '撤回' })).status).toBe(409);
  }

  async function platformOf(
    applicationId: string,
  ): Promise<{ level: string; type: string; document_number: string; status: string } | undefined> {
    const rows = await db.query('SELECT level, type, document_number, status FROM platform WHERE application_id = $1', [applicationId]);
    return rows[0];
  }

  it('walks a provincial incubator call through recommend_to_province and record_provincial_result to a provincial platform', async () => {
    const callId = await openCall(test.baseUrl, cast.tokens.bureau, {
      level: 'provincial',
      title: '2027年度浙江省科技企业孵化器推荐',
      requiredDocuments: [
        { code: 'business_licence', nameZh: '营业执照', nameEn: 'Business licence', required: true },
        { code: 'recommendation_letter', nameZh: '县（市、区）推荐函', nameEn: 'Recommendation letter', required: true },
      ],
    });
    const call = await as('bureau').get(`/calls/${callId}`);
    expect(call.body.workflowId).toBe('incubator.provincial@1');
    const { id } = await submittedDossier(test.baseUrl, cast, callId, '瓯江省级孵化器');
    await walkToProvince(id);

    // The province's answer: a typed verdict is what the province sent; a pass needs its document.
    const incomplete = await act('bureau', id, 'record_provincial_result', { passed: true });
    expect({ status: incomplete.status, code: incomplete.body.error.code }).toEqual({ status: 400, code: 'application.missing_input' });
    await expectStage(id, 'recommended_to_province');
    expect(await platformOf(id)).toBeUndefined();

    const recognised = await act('bureau', id, 'record_provincial_result', {
      passed: true,
      documentNumber: '浙科发〔2026〕31号',
      recognisedOn: '2026-09-01',
    });
    expect(recognised.status).toBe(200);
    expect(recognised.body.stage).toBe('recognised');
    expect(await platformOf(id)).toEqual({
      level: 'provincial',
      type: 'incubator',
      document_number: '浙科发〔2026〕31号',
      status: 'active',
    });
    const listed = await as('bureau').get(`/platforms?level=provincial&q=${encodeURIComponent('瓯江省级孵化器')}`);
    expect(listed.body.items).toEqual([expect.objectContaining({ level: 'provincial', recognisedOn: '2026-09-01', applicationId: id })]);
    const decided: { event: string }[] = await db.query(
      `SELECT event FROM notification_delivery WHERE subject_id = $1 AND event = 'application.decided'`,
      [id],
    );
    expect(decided).toHaveLength(1);
  });

  it('walks a national incubator call to a national platform, and a negative provincial answer rejects the dossier', async () => {
    const callId = await openCall(test.baseUrl, cast.tokens.bureau, {
      level: 'national',
      title: '2027年度国家级科技企业孵化器推荐',
      requiredDocuments: [
        { code: 'business_licence', nameZh: '营业执照', nameEn: 'Business licence', required: true },
        { code: 'recommendation_letter', nameZh: '县（市、区）推荐函', nameEn: 'Recommendation letter', required: true },
      ],
    });
    expect((await as('bureau').get(`/calls/${callId}`)).body.workflowId).toBe('incubator.provincial@1');
    // National thresholds (国科发区〔2018〕300号): operating 3 years, 10,000 m2, 75 % for incubated firms, 50 firms.
    const form = { operatingSince: '2020-01-01', areaM2: 12000, incubatedAreaM2: 10000, incubatedFirms: 60 };
    const national = await submittedDossier(test.baseUrl, cast, callId, '瓯江国家级孵化器', form);
    const refusedByProvince = await submittedDossier(test.baseUrl, cast, callId, '瓯江国家级孵化器二', form);

    await walkToProvince(national.id);
    const recognised = await act('bureau', national.id, 'record_provincial_result', {
      passed: true,
      documentNumber: '国科火字〔2026〕88号',
      recognisedOn: '2026-11-20',
    });
    expect(recognised.body.stage).toBe('recognised');
    expect(await platformOf(national.id)).toEqual({
      level: 'national',
      type: 'incubator',
      document_number: '国科火字〔2026〕88号',
      status: 'active',
    });

    await walkToProvince(refusedByProvince.id);
    const refused = await act('bureau', refusedByProvince.id, 'record_provincial_result', { passed: false, comment: '未列入国家级名单' });
    expect(refused.body.stage).toBe('rejected');
    expect(await platformOf(refusedByProvince.id)).toBeUndefined();
  });
});
