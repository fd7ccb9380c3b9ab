import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditService, verifyAuditChains } from '../../libs/audit/src';
import { readAuditHmacKey } from '../../libs/config/src';
import { makeUser } from '../../libs/identity/src/testing/identity-fixtures';
import { type TestApp, startTestApp } from '../support/app';
import { type Cast, INCUBATOR_FORM, PDF_BYTES, login, makeCast, openCall } from '../support/procedure';

interface Seat {
  assignmentId: string;
  expertId: string;
  expertName: string;
  reserveRank: number | null;
  active: boolean;
  declaration: string;
  replacedBy: string | null;
  scored: boolean;
  scores: unknown[] | null;
}

describe('expert panels over HTTP: draw, declaration, sealed scores, aggregate', () => {
  let test: TestApp;
  let db: DataSource;
  let cast: Cast;
  let callId: string;
  let adminToken: string;
  /** Expert user id -> access token, for every expert of the pool. */
  const expertTokens = new Map<string, string>();
  let employedId: string;
  let linkedId: string;
  let cappedId: string;

  beforeAll(async () => {
    test = await startTestApp();
    db = test.app.get(DataSource);
    cast = await makeCast(test.baseUrl, db);
    callId = await openCall(test.baseUrl, cast.tokens.bureau);
    adminToken = await login(test.baseUrl, await makeUser(db, { role: 'admin' }));
    expertTokens.set(cast.users.expert.id, cast.tokens.expert);
    for (let i = 0; i < 8; i++) {
      const expert = await makeUser(db, { role: 'expert', name: `专家${i}`, expertise: ['emerg.digital'], employerName: `温州大学${i}` });
      expertTokens.set(expert.id, await login(test.baseUrl, expert));
    }
    // Employed by the applicant (same credit code, another spelling of the name).
    const employed = await makeUser(db, {
      role: 'expert',
      name: '申报单位员工专家',
      expertise: ['emerg.digital'],
      employerName: '鹿城甲孵化器',
      employerCreditCode: cast.orgA.creditCode,
    });
    employedId = employed.id;
    expertTokens.set(employed.id, await login(test.baseUrl, employed));
    const linked = await makeUser(db, { role: 'expert', name: '曾任职专家', expertise: ['emerg.digital'], employerName: '温州医科大学' });
    linkedId = linked.id;
    expertTokens.set(linked.id, await login(test.baseUrl, linked));
  });

  afterAll(async () => {
    await test?.close();
  });

  const as = (token: string) => ({
    get: (path: string) => request(test.baseUrl).get(path).auth(token, { type: 'bearer' }),
    post: (path: string) => request(test.baseUrl).post(path).auth(token, { type: 'bearer' }),
    put: (path: string) => request(test.baseUrl).put(path).auth(token, { type: 'bearer' }),
    patch: (path: string) => request(test.baseUrl).patch(path).auth(token, { type: 'bearer' }),
  });
  const bureau = () => as(cast.tokens.bureau);
  const expert = (id: string) => as(expertTokens.get(id)!);
  const count = async (table: string): Promise<number> => (await db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;

  /** A dossier of applicant A walked to expert review (or only submitted, at county review). */
  async function dossierAtExpertReview(name: string, onlySubmit = false): Promise<string> {
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
    let version = (
      await as(cast.tokens.applicantA).post(`/applications/${id}/submit`).send({ expectedVersion: signed.body.version }).expect(200)
    ).body.version;
    if (onlySubmit) return id;
    for (const [who, action] of [
      [cast.tokens.countyA, 'recommend'],
      [cast.tokens.bureau, 'pass_formal_review'],
    ] as const) {
      version = (await as(who).post(`/applications/${id}/actions`).send({ action, expectedVersion: version }).expect(200)).body.version;
    }
    return id;
  }

  const members = (seats: Seat[]) => seats.filter((s) => s.reserveRank === null);
  const reserves = (seats: Seat[]) => seats.filter((s) => s.reserveRank !== null);

  let firstId: string;
  let firstPanel: { seed: string; seats: Seat[] };

  it('lets admins keep the pool: a declared link is stored and audited, bad input stores nothing', async () => {
    await as(adminToken)
      .put(`/reviews/experts/${linkedId}`)
      .send({ county: 'ruian', available: true, yearlyCap: -1, declaredLinks: [] })
      .expect(400);
    const refused = await as(adminToken)
      .put(`/reviews/experts/${linkedId}`)
      .send({ available: true, yearlyCap: 10, declaredLinks: [{ until: '2024-06-30' }] })
      .expect(400);
    expect(refused.body.error.code).toBe('review.invalid_link');
    expect(await count('review_expert_profile')).toBe(0);
    await bureau().put(`/reviews/experts/${linkedId}`).send({ available: true, yearlyCap: 10, declaredLinks: [] }).expect(403);
    await as(adminToken)
      .put(`/reviews/experts/${cast.users.applicantA.id}`)
      .send({ available: true, yearlyCap: 10, declaredLinks: [] })
      .expect(404);

    const saved = await as(adminToken)
      .put(`/reviews/experts/${linkedId}`)
      .send({ county: 'ruian', available: true, yearlyCap: 10, declaredLinks: [{ name: cast.orgA.name, until: '2024-06-30' }] })
      .expect(200);
    expect(saved.body).toMatchObject({
      id: linkedId,
      county: 'ruian',
      yearlyCap: 10,
      profiled: true,
      declaredLinks: [{ name: cast.orgA.name }],
    });
    cappedId = [...expertTokens.keys()][1];
    await as(adminToken).put(`/reviews/experts/${cappedId}`).send({ available: true, yearlyCap: 0, declaredLinks: [] }).expect(200);
    const pool = await bureau().get('/reviews/experts?pageSize=100').expect(200);
    expect(pool.body.total).toBe(11);
    const audit = await db.query(`SELECT action FROM audit_event WHERE object_id = $1 AND action = 'review.expert_profile_updated'`, [
      linkedId,
    ]);
    expect(audit).toHaveLength(1);
  });

  it('draws a panel without the expert employed by the applicant, the one who declared a link and the one over their cap, and publishes its seed', async () => {
    firstId = await dossierAtExpertReview('瓯江科创孵化器');
    await as(cast.tokens.applicantA).post(`/applications/${firstId}/panel`).send({}).expect(403);
    const drawn = await bureau().post(`/applications/${firstId}/panel`).send({}).expect(201);
    firstPanel = drawn.body;
    expect(drawn.body).toMatchObject({ applicationId: firstId, status: 'open', sealed: true, result: null, seed: expect.any(String) });
    expect(members(drawn.body.seats)).toHaveLength(5);
    expect(reserves(drawn.body.seats).map((s) => s.reserveRank)).toEqual([1, 2]);
    const drawnIds = drawn.body.seats.map((s: Seat) => s.expertId);
    expect(drawnIds).not.toContain(employedId);
    expect(drawnIds).not.toContain(linkedId);
    expect(drawnIds).not.toContain(cappedId);
    const [audit] = await db.query(`SELECT summary FROM audit_event WHERE action = 'review.panel_drawn' AND object_id = $1`, [
      drawn.body.id,
    ]);
    expect(audit.summary.seed).toBe(drawn.body.seed);
    expect(audit.summary.excluded).toEqual(
      expect.arrayContaining([
        { expertId: employedId, reasons: ['same_employer'] },
        { expertId: linkedId, reasons: ['declared_link'] },
        { expertId: cappedId, reasons: ['over_cap'] },
      ]),
    );
    const again = await bureau().post(`/applications/${firstId}/panel`).send({}).expect(409);
    expect(again.body.error.code).toBe('review.panel_exists');

    const early = await dossierAtExpertReview('尚在初审的孵化器', true);
    const refused = await bureau().post(`/applications/${early}/panel`).send({}).expect(409);
    expect(refused.body.error.code).toBe('review.not_in_expert_review');
    expect(await count(`review_panel WHERE application_id = '${early}'`)).toBe(0);
  });

  it('replays the same draw from the same seed, and seats an overridden expert only with the reason recorded', async () => {
    const secondId = await dossierAtExpertReview('瓯江科创孵化器二期');
    const replay = await bureau().post(`/applications/${secondId}/panel`).send({ seed: firstPanel.seed }).expect(201);
    expect(replay.body.seed).toBe(firstPanel.seed);
    expect(replay.body.seats.map((s: Seat) => [s.expertId, s.reserveRank])).toEqual(
      firstPanel.seats.map((s) => [s.expertId, s.reserveRank]),
    );

    const thirdId = await dossierAtExpertReview('瓯江科创孵化器三期');
    const unknown = await bureau()
      .post(`/applications/${thirdId}/panel`)
      .send({ overrides: [{ expertId: cast.users.bureau.id, reason: '测试' }] })
      .expect(400);
    expect(unknown.body.error.code).toBe('review.override_unknown_expert');
    await bureau()
      .post(`/applications/${thirdId}/panel`)
      .send({ overrides: [{ expertId: employedId }] })
      .expect(400);
    expect(await count(`review_panel WHERE application_id = '${thirdId}'`)).toBe(0);
    // The override makes the employed expert eligible; the draw still decides whether they sit.
    const overridden = await bureau()
      .post(`/applications/${thirdId}/panel`)
      .send({ overrides: [{ expertId: employedId, reason: '该细分领域专家不足，经处务会同意' }] })
      .expect(201);
    const seated = overridden.body.seats.some((s: Seat) => s.expertId === employedId);
    expect(overridden.body.overrides).toEqual([
      { expertId: employedId, reason: '该细分领域专家不足，经处务会同意', waived: seated ? ['same_employer'] : [] },
    ]);
    const [audit] = await db.query(`SELECT summary FROM audit_event WHERE action = 'review.panel_drawn' AND object_id = $1`, [
      overridden.body.id,
    ]);
    expect(audit.summary.overrides).toEqual(overridden.body.overrides);
  });

  it('refuses the dossier to an expert before the no-conflict declaration, and to anyone not on the panel', async () => {
    const [first] = members(firstPanel.seats);
    const listed = await expert(first.expertId).get('/reviews/assignments').expect(200);
    const mine = listed.body.items.find((a: { id: string }) => a.id === first.assignmentId);
    expect(mine).toMatchObject({ applicationId: firstId, declaration: 'none', dossier: { applicantName: cast.orgA.name } });
    expect(JSON.stringify(listed.body)).not.toContain(members(firstPanel.seats)[1].expertId);

    const before = await expert(first.expertId).get(`/reviews/assignments/${first.assignmentId}/dossier`).expect(403);
    expect(before.body.error.code).toBe('review.declaration_required');
    await expert(employedId).get(`/reviews/assignments/${first.assignmentId}/dossier`).expect(404);
    const reserve = reserves(firstPanel.seats)[1];
    await expert(reserve.expertId).get(`/reviews/assignments/${reserve.assignmentId}/dossier`).expect(404);
    await as(cast.tokens.applicantA).get(`/reviews/assignments/${first.assignmentId}/dossier`).expect(403);

    await expert(first.expertId).post(`/reviews/assignments/${first.assignmentId}/declaration`).send({ conflict: false }).expect(200);
    const dossier = await expert(first.expertId).get(`/reviews/assignments/${first.assignmentId}/dossier`).expect(200);
    expect(dossier.body).toMatchObject({ id: firstId, name: '瓯江科创孵化器', attachments: [{ documentCode: 'business_licence' }] });
    const second = await expert(first.expertId)
      .post(`/reviews/assignments/${first.assignmentId}/declaration`)
      .send({ conflict: true, reason: '改主意' });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('review.already_declared');
  });

  it('replaces an expert who declares a conflict with the first reserve', async () => {
    const leaving = members(firstPanel.seats)[1];
    const [firstReserve] = reserves(firstPanel.seats);
    const noReason = await expert(leaving.expertId)
      .post(`/reviews/assignments/${leaving.assignmentId}/declaration`)
      .send({ conflict: true });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.code).toBe('review.conflict_reason_required');

    const declared = await expert(leaving.expertId)
      .post(`/reviews/assignments/${leaving.assignmentId}/declaration`)
      .send({ conflict: true, reason: '本人曾为申报单位提供咨询服务' })
      .expect(200);
    expect(declared.body).toMatchObject({ declaration: 'conflict', active: false, replacedByReserve: true });
    expect(JSON.stringify(declared.body)).not.toContain(firstReserve.expertId);

    const panel = await bureau().get(`/applications/${firstId}/panel`).expect(200);
    const seats: Seat[] = panel.body.seats;
    expect(seats.find((s) => s.assignmentId === leaving.assignmentId)).toMatchObject({
      active: false,
      declaration: 'conflict',
      replacedBy: firstReserve.assignmentId,
    });
    expect(seats.find((s) => s.assignmentId === firstReserve.assignmentId)).toMatchObject({ active: true, declaration: 'none' });
    expect(seats.filter((s) => s.active)).toHaveLength(5);
    const reserveList = await expert(firstReserve.expertId).get('/reviews/assignments').expect(200);
    expect(reserveList.body.items.map((a: { id: string }) => a.id)).toContain(firstReserve.assignmentId);
  });

  it('keeps scores sealed, refuses bad sheets storing nothing, then aggregates with the trimmed mean and the pass mark', async () => {
    const panel = await bureau().get(`/applications/${firstId}/panel`).expect(200);
    const seated: Seat[] = panel.body.seats.filter((s: Seat) => s.active);
    const criteria: { code: string }[] = panel.body.rubric.criteria;
    const sheet = (value: number, comment?: string) => ({ scores: criteria.map((c) => ({ criterion: c.code, value, comment })) });
    const [a, b] = seated;

    await expert(b.expertId).post(`/reviews/assignments/${b.assignmentId}/score`).send(sheet(80)).expect(403);
    await expert(b.expertId).post(`/reviews/assignments/${b.assignmentId}/declaration`).send({ conflict: false }).expect(200);
    const bad: [object, string][] = [
      [sheet(101), 'review.score_out_of_range'],
      [{ scores: [...sheet(80).scores, { criterion: 'nonsense', value: 50 }] }, 'review.unknown_criterion'],
      [{ scores: sheet(80).scores.slice(1) }, 'review.missing_criterion'],
      [sheet(40), 'review.comment_required'],
    ];
    for (const [body, code] of bad) {
      const refused = await expert(b.expertId).post(`/reviews/assignments/${b.assignmentId}/score`).send(body);
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe(code);
    }
    await expert(b.expertId)
      .post(`/reviews/assignments/${b.assignmentId}/score`)
      .send({ scores: [{ criterion: 'x', value: '80' }] })
      .expect(400);
    expect(await count('review_score')).toBe(0);

    // Totals 95, 70, 72, 40, 74: the trimmed mean drops 95 and 40 -> 72, the plain mean is 70.2.
    const values = [95, 70, 72, 40, 74];
    for (const [i, seat] of seated.entries()) {
      if (seat.declaration === 'none' && seat !== b)
        await expert(seat.expertId).post(`/reviews/assignments/${seat.assignmentId}/declaration`).send({ conflict: false }).expect(200);
      const own = await expert(seat.expertId)
        .post(`/reviews/assignments/${seat.assignmentId}/score`)
        .send(sheet(values[i], values[i] < 60 ? '孵化场地与在孵企业数量不足' : undefined))
        .expect(200);
      expect(own.body.ownScores).toHaveLength(criteria.length);
      if (i < seated.length - 1) {
        const midway = await bureau().get(`/applications/${firstId}/panel`).expect(200);
        expect(midway.body).toMatchObject({ sealed: true, result: null });
        expect(midway.body.seats.every((s: Seat) => s.scores === null)).toBe(true);
        // Another expert's seat is not theirs to read: not found, and no scores in their own view.
        await expert(a.expertId)
          .get(`/reviews/assignments/${seat.assignmentId}`)
          .expect(seat === a ? 200 : 404);
      }
    }
    const again = await expert(a.expertId).post(`/reviews/assignments/${a.assignmentId}/score`).send(sheet(90));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('review.already_scored');
    const ownView = await expert(a.expertId).get(`/reviews/assignments/${a.assignmentId}`).expect(200);
    expect(ownView.body.ownScores.every((s: { value: number }) => s.value === 95)).toBe(true);
    expect(JSON.stringify(ownView.body)).not.toMatch(/"value":(70|72|40|74)\b/);
    await expert(a.expertId).get(`/applications/${firstId}/panel`).expect(403);

    const unsealed = await bureau().get(`/applications/${firstId}/panel`).expect(200);
    expect(unsealed.body.sealed).toBe(false);
    expect(unsealed.body.result).toMatchObject({
      method: 'trimmed_mean',
      totals: [40, 70, 72, 74, 95],
      trimmedMean: 72,
      mean: 70.2,
      score: 72,
      passMark: 70,
      passed: true,
      spread: 55,
      disagreement: true,
    });

    const closed = await bureau().post(`/applications/${firstId}/panel/close`).expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', result: { score: 72, passed: true } });
    const late = await expert(b.expertId).post(`/reviews/assignments/${b.assignmentId}/score`).send(sheet(90));
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('review.panel_closed');
    expect((await bureau().post(`/applications/${firstId}/panel/close`)).body.error.code).toBe('review.panel_closed');
    await test.app.get(AuditService).checkpoint();
    expect((await verifyAuditChains(db, readAuditHmacKey(test.config))).broken).toBeNull();
  });

  it('scores by the call rubric when one is set, with the plain mean exactly at the pass mark', async () => {
    const rubric = {
      criteria: [{ code: 'overall', nameZh: '综合评价', nameEn: 'Overall', weight: 1, min: 0, max: 10 }],
      method: 'mean',
      passMark: 71,
      disagreementThreshold: 60,
      commentBelowPercent: 50,
      members: 3,
      reserves: 0,
      avoidSameCounty: false,
      avoidRecentPanelYears: null,
      quota: 1,
      source: 'assumption',
    };
    const refused = await bureau()
      .put(`/calls/${callId}/rubric`)
      .send({ ...rubric, criteria: [{ ...rubric.criteria[0], max: 0 }] })
      .expect(400);
    expect(refused.body.error.code).toBe('review.invalid_rubric');
    expect((await bureau().get(`/calls/${callId}/rubric`).expect(200)).body).toMatchObject({
      custom: false,
      rubric: { source: expect.stringContaining('assumption') },
    });
    await bureau().put(`/calls/${callId}/rubric`).send(rubric).expect(200);

    const id = await dossierAtExpertReview('瓯江科创孵化器四期');
    const drawn = await bureau().post(`/applications/${id}/panel`).send({}).expect(201);
    expect(drawn.body.seats).toHaveLength(3);
    for (const [i, seat] of (drawn.body.seats as Seat[]).entries()) {
      await expert(seat.expertId).post(`/reviews/assignments/${seat.assignmentId}/declaration`).send({ conflict: false }).expect(200);
      await expert(seat.expertId)
        .post(`/reviews/assignments/${seat.assignmentId}/score`)
        .send({ scores: [{ criterion: 'overall', value: [9, 7, 5.3][i] }] })
        .expect(200);
    }
    const result = (await bureau().get(`/applications/${id}/panel`).expect(200)).body.result;
    expect(result).toMatchObject({ method: 'mean', score: 71, passed: true, disagreement: false });

    // Two dossiers passed (72 and 71) against a quota of 1; two panels are still sealed.
    await as(cast.tokens.countyA).get(`/calls/${callId}/ranking`).expect(403);
    const ranking = await bureau().get(`/calls/${callId}/ranking`).expect(200);
    expect(ranking.body.quota).toBe(1);
    expect(
      ranking.body.ranked.map((r: { applicationId: string; rank: number; withinQuota: boolean }) => [
        r.applicationId,
        r.rank,
        r.withinQuota,
      ]),
    ).toEqual([
      [firstId, 1, true],
      [id, 2, false],
    ]);
    expect(ranking.body.pending).toHaveLength(2);
  });
  it('leaves the seat vacant when a conflict comes after the reserves ran out, and lets one of two simultaneous draws through', async () => {
    const id = await dossierAtExpertReview('瓯江科创孵化器五期');
    const draws = await Promise.all([0, 1].map(() => bureau().post(`/applications/${id}/panel`).send({})));
    expect(draws.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await count(`review_panel WHERE application_id = '${id}'`)).toBe(1);
    const [seat] = draws.find((r) => r.status === 201)!.body.seats as Seat[];
    const declared = await expert(seat.expertId)
      .post(`/reviews/assignments/${seat.assignmentId}/declaration`)
      .send({ conflict: true, reason: '近三年与申报单位有合作项目' })
      .expect(200);
    expect(declared.body.replacedByReserve).toBe(false);
    const panel = await bureau().get(`/applications/${id}/panel`).expect(200);
    expect(panel.body).toMatchObject({ vacancies: 1, sealed: true });
  });

  it('moves the dossier on from expert review by the closed panel, never by a typed result', async () => {
    const version = async (id: string): Promise<number> => (await bureau().get(`/applications/${id}`).expect(200)).body.version;
    const record = async (id: string, extra: object = {}) =>
      bureau()
        .post(`/applications/${id}/actions`)
        .send({ action: 'record_expert_result', expectedVersion: await version(id), ...extra });
    const events = async (id: string): Promise<number> => count(`application_event WHERE application_id = '${id}'`);

    const id = await dossierAtExpertReview('瓯江科创孵化器六期');
    const before = await events(id);
    for (const typed of [{ passed: true }, { passed: false, score: 90 }, { score: 90 }]) {
      const refused = await record(id, typed);
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('application.verdict_not_typed');
    }
    const noPanel = await record(id);
    expect([noPanel.status, noPanel.body.error.code]).toEqual([409, 'review.panel_required']);
    const drawn = await bureau().post(`/applications/${id}/panel`).send({}).expect(201);
    const open = await record(id);
    expect([open.status, open.body.error.code]).toEqual([409, 'review.panel_open']);
    expect(await events(id)).toBe(before);

    // The call's rubric (one criterion of 0-10, pass mark 71): 5 from everyone fails.
    for (const seat of drawn.body.seats as Seat[]) {
      await expert(seat.expertId).post(`/reviews/assignments/${seat.assignmentId}/declaration`).send({ conflict: false }).expect(200);
      await expert(seat.expertId)
        .post(`/reviews/assignments/${seat.assignmentId}/score`)
        .send({ scores: [{ criterion: 'overall', value: 5 }] })
        .expect(200);
    }
    const closed = await bureau().post(`/applications/${id}/panel/close`).expect(200);
    expect(closed.body.result).toMatchObject({ score: 50, passed: false });
    const failed = await record(id);
    expect(failed.status).toBe(200);
    expect(failed.body.stage).toBe('rejected');

    // The first dossier's panel passed (72): it goes on to the site inspection.
    const firstClosed = (await bureau().get(`/applications/${firstId}/panel`).expect(200)).body;
    const passed = await record(firstId);
    expect(passed.status).toBe(200);
    expect(passed.body.stage).toBe('site_inspection');
    const timeline = await bureau().get(`/applications/${firstId}/timeline`).expect(200);
    expect(timeline.body.events.at(-1)).toMatchObject({
      action: 'record_expert_result',
      input: { passed: true, score: 72, evidenceId: firstClosed.id },
    });
  });
});
