import request from 'supertest';
import { DataSource } from 'typeorm';
import { makeUser } from '../../libs/identity/src/testing/identity-fixtures';
import { type TestApp, startTestApp } from '../support/app';
import { type Cast, PDF_BYTES, login, makeCast, makeExperts, openCall, reviewByPanel, submittedDossier } from '../support/procedure';

describe('GET /reviews/inspections: the site inspections of the caller’s teams, nobody else’s', () => {
  let test: TestApp;
  let db: DataSource;
  let cast: Cast;
  let callId: string;
  let experts: { id: string; token: string }[];
  let secondBureau: string;

  beforeAll(async () => {
    test = await startTestApp();
    db = test.app.get(DataSource);
    cast = await makeCast(test.baseUrl, db);
    callId = await openCall(test.baseUrl, cast.tokens.bureau);
    experts = [{ id: cast.users.expert.id, token: cast.tokens.expert }, ...(await makeExperts(test.baseUrl, db))];
    secondBureau = await login(test.baseUrl, await makeUser(db, { role: 'bureau_officer' }));
  });

  afterAll(async () => {
    await test?.close();
  });

  const as = (token: string) => ({
    get: (path: string) => request(test.baseUrl).get(path).auth(token, { type: 'bearer' }),
    post: (path: string) => request(test.baseUrl).post(path).auth(token, { type: 'bearer' }),
  });
  const bureau = () => as(cast.tokens.bureau);
  const act = async (id: string, token: string, action: string): Promise<void> => {
    const { version } = (await bureau().get(`/applications/${id}`).expect(200)).body;
    const moved = await as(token).post(`/applications/${id}/actions`).send({ action, expectedVersion: version });
    expect([action, moved.status]).toEqual([action, 200]);
  };
  async function atSiteInspection(name: string): Promise<string> {
    const { id } = await submittedDossier(test.baseUrl, cast, callId, name);
    await act(id, cast.tokens.countyA, 'recommend');
    await act(id, cast.tokens.bureau, 'pass_formal_review');
    await reviewByPanel(test.baseUrl, cast.tokens.bureau, experts, id, 85);
    await act(id, cast.tokens.bureau, 'record_expert_result');
    return id;
  }
  const mine = async (token: string) => (await as(token).get('/reviews/inspections').expect(200)).body;

  it('lists each member’s own inspections with the dossier, checklist, evidence and signatures; signing shows at once', async () => {
    const first = await atSiteInspection('我的考察测试孵化器一期');
    const second = await atSiteInspection('我的考察测试孵化器二期');
    const photo = await bureau()
      .post(`/applications/${first}/attachments`)
      .field('documentCode', 'site_check')
      .attach('file', PDF_BYTES, { filename: '现场照片.pdf', contentType: 'application/pdf' })
      .expect(201);
    const created = await bureau()
      .post(`/applications/${first}/inspection`)
      .send({
        visitDate: '2027-05-20',
        team: [{ userId: cast.users.bureau.id }, { userId: cast.users.countyA.id }, { userId: experts[5].id }],
      })
      .expect(200);
    const items = created.body.checklist.map((i: { code: string }, n: number) => ({
      code: i.code,
      status: n === 1 ? 'not_verified' : 'verified',
      note: n === 1 ? '在孵企业数量不足' : null,
      evidence: n === 0 ? [photo.body.id] : [],
    }));
    await bureau().post(`/applications/${first}/inspection`).send({ items, result: 'passed', resultNote: '总体符合' }).expect(200);
    await bureau()
      .post(`/applications/${second}/inspection`)
      .send({ visitDate: '2027-05-22', team: [{ userId: cast.users.bureau.id }, { userId: experts[6].id }] })
      .expect(200);

    // Not on a team: nothing, whatever the role; not a team role: refused.
    for (const token of [secondBureau, cast.tokens.countyB, experts[0].token])
      expect(await mine(token)).toMatchObject({ items: [], total: 0 });
    await as(cast.tokens.applicantA).get('/reviews/inspections').expect(403);
    await as(cast.tokens.leader).get('/reviews/inspections').expect(403);

    // The bureau officer was on both, newest first.
    expect((await mine(cast.tokens.bureau)).items.map((i: { dossier: { id: string } }) => i.dossier.id)).toEqual([second, first]);
    const expertView = await mine(experts[5].token);
    expect(expertView.total).toBe(1);
    const [seen] = expertView.items;
    expect(seen).toMatchObject({
      id: created.body.id,
      dossier: { id: first, name: '我的考察测试孵化器一期', platformType: 'incubator', regionCode: 'lucheng', round: 1 },
      currentRound: true,
      visitDate: '2027-05-20',
      status: 'draft',
      result: 'passed',
      resultNote: '总体符合',
      summary: { total: 4, verified: 3, notVerified: 1, pending: 0 },
      mine: { signedAt: null, canSign: true },
    });
    expect(seen.dossier.number).toEqual(expect.any(String));
    expect(seen.signDue).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/));
    expect(seen.checklist[0].evidence).toEqual([
      { id: photo.body.id, fileName: '现场照片.pdf', contentType: 'application/pdf', sizeBytes: expect.any(Number) },
    ]);
    expect(seen.checklist[1]).toMatchObject({ status: 'not_verified', note: '在孵企业数量不足', evidence: [] });
    expect(seen.team).toEqual([
      { role: 'bureau_officer', name: cast.users.bureau.name, signedAt: null, me: false },
      { role: 'county_officer', name: cast.users.countyA.name, signedAt: null, me: false },
      { role: 'expert', name: expect.any(String), signedAt: null, me: true },
    ]);
    // Nothing of the other inspection, nor the members' account ids.
    const raw = JSON.stringify(expertView);
    for (const leak of [second, experts[6].id, cast.users.bureau.id, cast.users.countyA.id]) expect(raw).not.toContain(leak);
    expect((await mine(experts[6].token)).items.map((i: { dossier: { id: string } }) => i.dossier.id)).toEqual([second]);
    expect((await mine(cast.tokens.countyA)).items.map((i: { dossier: { id: string } }) => i.dossier.id)).toEqual([first]);

    // One of them by id: the same view for a member, not found for anyone else.
    expect((await as(experts[5].token).get(`/reviews/inspections/${created.body.id}`).expect(200)).body).toEqual(seen);
    for (const token of [experts[6].token, secondBureau, cast.tokens.countyB]) {
      const hidden = await as(token).get(`/reviews/inspections/${created.body.id}`);
      expect([hidden.status, hidden.body.error.code]).toEqual([404, 'inspection.not_found']);
    }
    await as(cast.tokens.applicantA).get(`/reviews/inspections/${created.body.id}`).expect(403);

    // Paginated like the other lists.
    expect(await as(cast.tokens.bureau).get('/reviews/inspections?page=2&pageSize=1').expect(200)).toMatchObject({
      body: { total: 2, page: 2, pageSize: 1, items: [{ dossier: { id: first } }] },
    });

    await as(experts[5].token).post(`/applications/${first}/inspection/sign`).expect(200);
    const after = (await mine(experts[5].token)).items[0];
    expect(after.mine).toEqual({ signedAt: expect.any(String), canSign: false });
    expect(after.team[2].signedAt).toEqual(after.mine.signedAt);
    for (const token of [cast.tokens.bureau, cast.tokens.countyA])
      await as(token).post(`/applications/${first}/inspection/sign`).expect(200);
    const closed = (await mine(cast.tokens.countyA)).items[0];
    expect(closed).toMatchObject({ status: 'signed', signedAt: expect.any(String), mine: { canSign: false } });
  });
});
