import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditService, verifyAuditChains } from '../../libs/audit/src';
import { readAuditHmacKey } from '../../libs/config/src';
import { makeUser } from '../../libs/identity/src/testing/identity-fixtures';
import { type TestApp, startTestApp } from '../support/app';
import { type Cast, INCUBATOR_FORM, PDF_BYTES, login, makeCast, makeExperts, openCall, reviewByPanel } from '../support/procedure';

describe('site inspections over HTTP: team with avoidance, checklist with evidence, sign-off, the transition reads the result', () => {
  let test: TestApp;
  let db: DataSource;
  let cast: Cast;
  let callId: string;
  let experts: { id: string; token: string }[];
  let employed: { id: string; token: string };
  let secondBureau: { id: string; token: string };

  beforeAll(async () => {
    test = await startTestApp();
    db = test.app.get(DataSource);
    cast = await makeCast(test.baseUrl, db);
    callId = await openCall(test.baseUrl, cast.tokens.bureau);
    experts = [{ id: cast.users.expert.id, token: cast.tokens.expert }, ...(await makeExperts(test.baseUrl, db))];
    // Employed by the applicant: the panel draw skips them, and so must the inspection team (unless overridden).
    const employedUser = await makeUser(db, {
      role: 'expert',
      name: '申报单位员工专家',
      expertise: ['emerg.digital'],
      employerName: '鹿城甲孵化器',
      employerCreditCode: cast.orgA.creditCode,
    });
    employed = { id: employedUser.id, token: await login(test.baseUrl, employedUser) };
    const bureau2 = await makeUser(db, { role: 'bureau_officer' });
    secondBureau = { id: bureau2.id, token: await login(test.baseUrl, bureau2) };
  });

  afterAll(async () => {
    await test?.close();
  });

  const as = (token: string) => ({
    get: (path: string) => request(test.baseUrl).get(path).auth(token, { type: 'bearer' }),
    post: (path: string) => request(test.baseUrl).post(path).auth(token, { type: 'bearer' }),
    patch: (path: string) => request(test.baseUrl).patch(path).auth(token, { type: 'bearer' }),
  });
  const bureau = () => as(cast.tokens.bureau);
  const count = async (sql: string): Promise<number> => (await db.query(`SELECT count(*)::int AS n FROM ${sql}`))[0].n;
  const version = async (id: string): Promise<number> => (await bureau().get(`/applications/${id}`).expect(200)).body.version;
  const act = async (token: string, id: string, action: string, extra: object = {}) =>
    as(token)
      .post(`/applications/${id}/actions`)
      .send({ action, expectedVersion: await version(id), ...extra });

  /** A dossier of applicant A walked to site inspection, its expert review by a real panel. */
  async function dossierAtSiteInspection(name: string, score = 80): Promise<string> {
    const created = await as(cast.tokens.applicantA)
      .post('/applications')
      .send({ callId, name, subtype: 'comprehensive', industries: ['emerg.digital'], form: INCUBATOR_FORM })
      .expect(201);
    const id: string = created.body.id;
    const signed = await as(cast.tokens.applicantA)
      .patch(`/applications/${id}`)
      .send({ expectedVersion: created.body.version, pledgeSigned: true })
      .expect(200);
    await as(cast.tokens.applicantA)
      .post(`/applications/${id}/attachments`)
      .field('documentCode', 'business_licence')
      .attach('file', PDF_BYTES, { filename: '营业执照.pdf', contentType: 'application/pdf' })
      .expect(201);
    await as(cast.tokens.applicantA).post(`/applications/${id}/submit`).send({ expectedVersion: signed.body.version }).expect(200);
    expect((await act(cast.tokens.countyA, id, 'recommend')).status).toBe(200);
    expect((await act(cast.tokens.bureau, id, 'pass_formal_review')).status).toBe(200);
    await reviewByPanel(test.baseUrl, cast.tokens.bureau, experts, id, score);
    const moved = await act(cast.tokens.bureau, id, 'record_expert_result');
    expect(moved.body.stage).toBe('site_inspection');
    return id;
  }

  const team = () => [{ userId: cast.users.bureau.id }, { userId: cast.users.countyA.id }, { userId: experts[1].id }];

  it('refuses a bad inspection with a clear 4xx and stores nothing; the transition waits for the signed result', async () => {
    const id = await dossierAtSiteInspection('考察测试孵化器一期');
    const early = await act(cast.tokens.bureau, id, 'record_inspection');
    expect([early.status, early.body.error.code]).toEqual([409, 'inspection.required']);
    const typed = await act(cast.tokens.bureau, id, 'record_inspection', { passed: true });
    expect([typed.status, typed.body.error.code]).toEqual([400, 'application.verdict_not_typed']);

    await as(cast.tokens.countyA).post(`/applications/${id}/inspection`).send({ visitDate: '2027-05-20', team: team() }).expect(403);
    await as(cast.tokens.leader).post(`/applications/${id}/inspection`).send({ visitDate: '2027-05-20', team: team() }).expect(403);
    const bad: [object, number, string][] = [
      [{ team: team() }, 400, 'inspection.visit_date_required'],
      [
        { visitDate: '2027-05-20', team: [{ userId: cast.users.bureau.id }, { userId: cast.users.countyA.id }] },
        400,
        'inspection.invalid_team',
      ],
      [{ visitDate: '2027-05-20', team: [{ userId: experts[1].id }] }, 400, 'inspection.invalid_team'],
      [{ visitDate: '2027-05-20', team: [...team(), { userId: cast.users.countyB.id }] }, 400, 'inspection.invalid_team'],
      [{ visitDate: '2027-05-20', team: [...team(), { userId: cast.users.applicantA.id }] }, 400, 'inspection.invalid_team'],
      [{ visitDate: '2027-05-20', team: [...team(), { userId: employed.id }] }, 422, 'inspection.avoidance'],
      [{ visitDate: '2027-05-20', team: team(), items: [{ code: 'nonsense', status: 'verified' }] }, 400, 'inspection.unknown_item'],
      [
        { visitDate: '2027-05-20', team: team(), items: [{ code: 'site_and_facilities', status: 'verified', evidence: [cast.orgA.id] }] },
        400,
        'inspection.unknown_evidence',
      ],
    ];
    for (const [body, status, code] of bad) {
      const refused = await bureau().post(`/applications/${id}/inspection`).send(body);
      expect([status, refused.body.error?.code]).toEqual([refused.status, code]);
    }
    await bureau().post(`/applications/${id}/inspection`).send({ visitDate: '2027-02-30', team: team() }).expect(400);
    await bureau()
      .post(`/applications/${id}/inspection`)
      .send({ visitDate: '2027-05-20', team: team(), items: [{ code: 'site_and_facilities', status: 'maybe' }] })
      .expect(400);
    expect(await count('review_inspection')).toBe(0);
    // Not at site inspection: refused.
    const other = await dossierAtSiteInspection('考察测试孵化器二期');
    expect((await act(cast.tokens.bureau, other, 'return_for_revision', { comment: '请补充' })).status).toBe(200);
    const wrongStage = await bureau().post(`/applications/${other}/inspection`).send({ visitDate: '2027-05-20', team: team() });
    expect([wrongStage.status, wrongStage.body.error.code]).toEqual([409, 'inspection.not_in_site_inspection']);
  });

  it('checks the site item by item with evidence, collects every signature, and moves the dossier by the result', async () => {
    const id = await dossierAtSiteInspection('考察测试孵化器三期');
    const photo = await bureau()
      .post(`/applications/${id}/attachments`)
      .field('documentCode', 'site_check')
      .attach('file', PDF_BYTES, { filename: '现场照片.pdf', contentType: 'application/pdf' })
      .expect(201);
    const created = await bureau()
      .post(`/applications/${id}/inspection`)
      .send({
        visitDate: '2027-05-20',
        team: [...team(), { userId: employed.id, overrideReason: '唯一熟悉该领域设备的专家，已书面承诺公正' }],
      })
      .expect(200);
    expect(created.body).toMatchObject({ status: 'draft', result: null, visitDate: '2027-05-20' });
    expect(created.body.checklist.map((i: { code: string; status: string }) => [i.code, i.status])).toEqual([
      ['site_and_facilities', 'pending'],
      ['incubated_firms', 'pending'],
      ['services_and_mentors', 'pending'],
      ['operator_and_finance', 'pending'],
    ]);
    expect(created.body.team.find((m: { userId: string }) => m.userId === employed.id)).toMatchObject({ waived: ['same_employer'] });
    const incomplete = await as(experts[1].token).post(`/applications/${id}/inspection/sign`);
    expect([incomplete.status, incomplete.body.error.code]).toEqual([409, 'inspection.incomplete']);

    const items = created.body.checklist.map((i: { code: string }, n: number) => ({
      code: i.code,
      status: n === 3 ? 'not_verified' : 'verified',
      note: n === 3 ? '投融资服务记录不全' : null,
      evidence: n === 0 ? [photo.body.id] : [],
    }));
    const filled = await bureau()
      .post(`/applications/${id}/inspection`)
      .send({ items, result: 'passed', resultNote: '总体符合' })
      .expect(200);
    expect(filled.body.checklist[0].evidence).toEqual([photo.body.id]);

    // Outsiders neither read nor sign it; members sign once each.
    await as(secondBureau.token).post(`/applications/${id}/inspection/sign`).expect(404);
    await as(cast.tokens.countyB).post(`/applications/${id}/inspection/sign`).expect(404);
    await as(experts[2].token).get(`/applications/${id}/inspection`).expect(404);
    await as(cast.tokens.applicantA).get(`/applications/${id}/inspection`).expect(403);
    await as(cast.tokens.countyA).post(`/applications/${id}/inspection/sign`).expect(200);
    const twice = await as(cast.tokens.countyA).post(`/applications/${id}/inspection/sign`);
    expect([twice.status, twice.body.error.code]).toEqual([409, 'inspection.already_signed']);
    // A change takes the signatures back: everyone signs what the inspection says.
    const changed = await bureau().post(`/applications/${id}/inspection`).send({ resultNote: '总体符合，建议加强投融资服务' }).expect(200);
    expect(changed.body.team.every((m: { signedAt: string | null }) => m.signedAt === null)).toBe(true);
    for (const token of [cast.tokens.countyA, cast.tokens.bureau, experts[1].token]) {
      await as(token).post(`/applications/${id}/inspection/sign`).expect(200);
    }
    const unsigned = await act(cast.tokens.bureau, id, 'record_inspection');
    expect([unsigned.status, unsigned.body.error.code]).toEqual([409, 'inspection.not_signed']);
    expect(unsigned.body.error.details.unsigned).toEqual([employed.id]);
    const last = await as(employed.token).post(`/applications/${id}/inspection/sign`).expect(200);
    expect(last.body).toMatchObject({ status: 'signed', result: 'passed' });
    const closed = await bureau().post(`/applications/${id}/inspection`).send({ result: 'failed' });
    // The signed one is closed; a new one can only start while the dossier is at site inspection.
    expect(closed.status).toBe(400);

    const moved = await act(cast.tokens.bureau, id, 'record_inspection');
    expect(moved.status).toBe(200);
    expect(moved.body.stage).toBe('decision');
    const timeline = await bureau().get(`/applications/${id}/timeline`).expect(200);
    expect(timeline.body.events.at(-1)).toMatchObject({ action: 'record_inspection', input: { passed: true, evidenceId: last.body.id } });
    await test.app.get(AuditService).checkpoint();
    expect((await verifyAuditChains(db, readAuditHmacKey(test.config))).broken).toBeNull();
  });

  it('rejects the dossier when the signed inspection failed', async () => {
    const id = await dossierAtSiteInspection('考察测试孵化器四期');
    const created = await bureau().post(`/applications/${id}/inspection`).send({ visitDate: '2027-05-21', team: team() }).expect(200);
    const items = created.body.checklist.map((i: { code: string }) => ({ code: i.code, status: 'not_verified', note: '与申报不符' }));
    await bureau().post(`/applications/${id}/inspection`).send({ items, result: 'failed' }).expect(200);
    for (const token of [cast.tokens.bureau, cast.tokens.countyA, experts[1].token])
      await as(token).post(`/applications/${id}/inspection/sign`).expect(200);
    const moved = await act(cast.tokens.bureau, id, 'record_inspection');
    expect([moved.status, moved.body.stage]).toEqual([200, 'rejected']);
  });
});
