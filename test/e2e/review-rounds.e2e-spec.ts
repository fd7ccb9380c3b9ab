import request from 'supertest';
import { DataSource } from 'typeorm';
import { type TestApp, startTestApp } from '../support/app';
import { type Cast, inspectSite, makeCast, makeExperts, openCall, reviewByPanel, submittedDossier } from '../support/procedure';

/**
 * A dossier returned for revision at expert review (or site inspection) and resubmitted comes back
 * in a new round: the earlier round's panel or inspection judged the dossier before its revision,
 * so the transition waits for the new round's own, and reads that one.
 */
describe('review rounds (HTTP): a resubmitted dossier is reviewed again by a new panel, and inspected again', () => {
  let test: TestApp;
  let db: DataSource;
  let cast: Cast;
  let experts: { id: string; token: string }[];

  /** A call whose rubric seats 3 experts without reserves, scoring 0-10 against a pass mark of 60. */
  async function callWithSmallPanels(): Promise<string> {
    const callId = await openCall(test.baseUrl, cast.tokens.bureau);
    await as('bureau')
      .put(`/calls/${callId}/rubric`)
      .send({
        criteria: [{ code: 'overall', nameZh: '综合评价', nameEn: 'Overall', weight: 1, min: 0, max: 10 }],
        method: 'mean',
        passMark: 60,
        disagreementThreshold: 60,
        commentBelowPercent: 50,
        members: 3,
        reserves: 0,
        avoidSameCounty: false,
        avoidRecentPanelYears: null,
        quota: null,
        source: 'assumption',
      })
      .expect(200);
    return callId;
  }

  beforeAll(async () => {
    test = await startTestApp();
    db = test.app.get(DataSource);
    cast = await makeCast(test.baseUrl, db);
    // Three panels of 3 for one dossier (two rounds and the appeal), none sharing an expert with the appeal's.
    experts = [{ id: cast.users.expert.id, token: cast.tokens.expert }, ...(await makeExperts(test.baseUrl, db, 9))];
  });

  afterAll(async () => {
    await test?.close();
  });

  function as(who: keyof Cast['tokens']) {
    return {
      get: (path: string) => request(test.baseUrl).get(path).auth(cast.tokens[who], { type: 'bearer' }),
      post: (path: string) => request(test.baseUrl).post(path).auth(cast.tokens[who], { type: 'bearer' }),
      put: (path: string) => request(test.baseUrl).put(path).auth(cast.tokens[who], { type: 'bearer' }),
    };
  }
  const dossier = async (id: string) => (await as('bureau').get(`/applications/${id}`).expect(200)).body;
  const act = async (who: keyof Cast['tokens'], id: string, action: string, extra: object = {}) =>
    as(who)
      .post(`/applications/${id}/actions`)
      .send({ action, expectedVersion: (await dossier(id)).version, ...extra });
  const moved = async (who: keyof Cast['tokens'], id: string, action: string, extra: object = {}): Promise<{ stage: string }> => {
    const response = await act(who, id, action, extra);
    if (response.status !== 200) throw new Error(`${action}: ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const refusal = async (id: string, action: string) => {
    const response = await act('bureau', id, action);
    return { status: response.status, code: response.body.error?.code };
  };
  /** The result the transition recorded last for the dossier (its event's input). */
  const recorded = async (id: string, action: string): Promise<{ passed: boolean; score?: number; evidenceId: string }> =>
    (
      await db.query(`SELECT input FROM application_event WHERE application_id = $1 AND action = $2 ORDER BY seq DESC LIMIT 1`, [
        id,
        action,
      ])
    )[0].input;

  /** Returned for revision by the bureau at the dossier's stage, resubmitted by the applicant: back at that stage, one round on. */
  async function returnAndResubmit(id: string, stage: string): Promise<void> {
    await moved('bureau', id, 'return_for_revision', { comment: '请补充近两年在孵企业的财务数据' });
    const resubmitted = await as('applicantA')
      .post(`/applications/${id}/submit`)
      .send({ expectedVersion: (await dossier(id)).version })
      .expect(200);
    expect(resubmitted.body).toMatchObject({ stage, round: 2 });
  }

  async function atExpertReview(callId: string, name: string): Promise<string> {
    const { id } = await submittedDossier(test.baseUrl, cast, callId, name);
    await moved('countyA', id, 'recommend');
    await moved('bureau', id, 'pass_formal_review');
    return id;
  }

  it('refuses the expert result until the new round has its own closed panel, draws it beside the old one, and records its verdict', async () => {
    const callId = await callWithSmallPanels();
    const id = await atExpertReview(callId, '鹿城复评孵化器');
    // Round 1: the panel scores 9 of 10 (passed) and closes; the bureau returns the dossier before recording it.
    const first = await reviewByPanel(test.baseUrl, cast.tokens.bureau, experts, id, 9);
    expect(first.result).toMatchObject({ passed: true, score: 90 });
    const firstPanel = (await as('bureau').get(`/applications/${id}/panel`).expect(200)).body;
    expect(firstPanel).toMatchObject({ id: first.id, round: 1, status: 'closed' });
    await returnAndResubmit(id, 'expert_review');

    // Round 2: the first panel's verdict no longer counts; it stays readable as round 1's history.
    expect(await refusal(id, 'record_expert_result')).toEqual({ status: 409, code: 'review.panel_required' });
    expect((await as('bureau').get(`/applications/${id}/panel`).expect(200)).body).toMatchObject({ id: first.id, round: 1 });
    const firstExpert = experts.find((e) => e.id === firstPanel.seats[0].expertId)!;
    const past = await request(test.baseUrl).get('/reviews/assignments').auth(firstExpert.token, { type: 'bearer' }).expect(200);
    expect(past.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: firstPanel.seats[0].assignmentId, round: 1, panelStatus: 'closed' })]),
    );

    // A new panel is drawn for round 2, though round 1's exists; a second draw in the round is refused.
    const drawn = await as('bureau').post(`/applications/${id}/panel`).send({}).expect(201);
    expect(drawn.body).toMatchObject({ round: 2, status: 'open' });
    expect(drawn.body.id).not.toBe(first.id);
    const twice = await as('bureau').post(`/applications/${id}/panel`).send({});
    expect({ status: twice.status, code: twice.body.error.code }).toEqual({ status: 409, code: 'review.panel_exists' });
    expect(await refusal(id, 'record_expert_result')).toEqual({ status: 409, code: 'review.panel_open' });

    // Round 2's panel scores 3 of 10: the dossier is rejected by it, not passed by round 1's 90.
    for (const seat of drawn.body.seats as { assignmentId: string; expertId: string }[]) {
      const token = experts.find((e) => e.id === seat.expertId)!.token;
      const expert = (r: request.Test) => r.auth(token, { type: 'bearer' });
      await expert(request(test.baseUrl).post(`/reviews/assignments/${seat.assignmentId}/declaration`))
        .send({ conflict: false })
        .expect(200);
      await expert(request(test.baseUrl).post(`/reviews/assignments/${seat.assignmentId}/score`))
        .send({ scores: [{ criterion: 'overall', value: 3, comment: '修改后的材料仍不满足场地条件' }] })
        .expect(200);
    }
    await as('bureau').post(`/applications/${id}/panel/close`).expect(200);
    expect((await moved('bureau', id, 'record_expert_result')).stage).toBe('rejected');
    expect(await recorded(id, 'record_expert_result')).toMatchObject({ passed: false, score: 30, evidenceId: drawn.body.id });
    expect((await as('bureau').get(`/applications/${id}/panel`).expect(200)).body).toMatchObject({ id: drawn.body.id, round: 2 });

    // The appeal's panel excludes the experts of both rounds' panels.
    await as('applicantA')
      .post(`/applications/${id}/appeal`)
      .send({ reasons: '修改后的材料已补充场地租赁合同，第二轮评审未予考虑，请求复核。' })
      .expect(201);
    const sat = [...firstPanel.seats, ...drawn.body.seats].map((s: { expertId: string }) => s.expertId);
    const appeal = await as('bureau').post(`/applications/${id}/appeal/panel`).send({}).expect(201);
    const appealExperts: string[] = appeal.body.seats.map((s: { expertId: string }) => s.expertId);
    expect(appealExperts).toHaveLength(3);
    expect(appealExperts.filter((e) => sat.includes(e))).toEqual([]);
  });

  it("draws the new round's panel, alone or in a batch, while round 1's is still open, and closes round 1's as history", async () => {
    const callId = await callWithSmallPanels();
    const id = await atExpertReview(callId, '瓯海未结评审孵化器');
    const first = await as('bureau').post(`/applications/${id}/panel`).send({}).expect(201);
    await returnAndResubmit(id, 'expert_review');
    expect(await refusal(id, 'record_expert_result')).toEqual({ status: 409, code: 'review.panel_required' });
    // The round-1 panel, still open, does not stand in the way: drawing for every undrawn dossier of the call includes it.
    const batch = await as('bureau').post(`/calls/${callId}/panels`).send({}).expect(201);
    expect(batch.body.panels).toEqual([expect.objectContaining({ applicationId: id, round: 2, status: 'open' })]);
    const rows: { id: string; round: number; status: string }[] = await db.query(
      'SELECT id, round, status FROM review_panel WHERE application_id = $1 ORDER BY round',
      [id],
    );
    expect(rows).toEqual([
      { id: first.body.id, round: 1, status: 'closed' },
      { id: batch.body.panels[0].id, round: 2, status: 'open' },
    ]);
    // Drawing for the call again finds nothing left to draw: the dossier has its round-2 panel.
    const again = await as('bureau').post(`/calls/${callId}/panels`).send({});
    expect({ status: again.status, code: again.body.error.code }).toEqual({ status: 409, code: 'review.nothing_to_draw' });
  });

  it("refuses the inspection result until the new round is inspected and signed, and records the new inspection's result", async () => {
    const callId = await callWithSmallPanels();
    const id = await atExpertReview(callId, '龙湾复查孵化器');
    await reviewByPanel(test.baseUrl, cast.tokens.bureau, experts, id, 9);
    expect((await moved('bureau', id, 'record_expert_result')).stage).toBe('site_inspection');
    const team = {
      bureau: { id: cast.users.bureau.id, token: cast.tokens.bureau },
      county: { id: cast.users.countyA.id, token: cast.tokens.countyA },
      expert: experts[experts.length - 1],
    };
    // Round 1: inspected, passed and signed by all; the bureau returns the dossier before recording it.
    const first = await inspectSite(test.baseUrl, team, id, 'passed');
    expect(first).toMatchObject({ status: 'signed', result: 'passed' });
    await returnAndResubmit(id, 'site_inspection');

    expect(await refusal(id, 'record_inspection')).toEqual({ status: 409, code: 'inspection.required' });
    // Round 1's inspection stays readable, to the bureau and to its team.
    expect((await as('bureau').get(`/applications/${id}/inspection`).expect(200)).body).toMatchObject({ id: first.id, round: 1 });
    expect((await as('countyA').get(`/applications/${id}/inspection`).expect(200)).body).toMatchObject({ id: first.id, round: 1 });
    // Signing now has nothing to sign: round 2 has no inspection yet.
    expect((await as('countyA').post(`/applications/${id}/inspection/sign`)).status).toBe(404);

    // Round 2 is inspected afresh, fails, and its result is the one recorded.
    const second = await inspectSite(test.baseUrl, team, id, 'failed');
    expect(second).toMatchObject({ status: 'signed', result: 'failed', round: 2 });
    expect(second.id).not.toBe(first.id);
    expect((await moved('bureau', id, 'record_inspection')).stage).toBe('rejected');
    expect(await recorded(id, 'record_inspection')).toMatchObject({ passed: false, evidenceId: second.id });
  });

  it("starts the new round's inspection beside an unsigned draft of round 1, and the team signs the new one", async () => {
    const callId = await callWithSmallPanels();
    const id = await atExpertReview(callId, '瑞安草稿考察孵化器');
    await reviewByPanel(test.baseUrl, cast.tokens.bureau, experts, id, 9);
    await moved('bureau', id, 'record_expert_result');
    const draft = await as('bureau')
      .post(`/applications/${id}/inspection`)
      .send({
        visitDate: '2027-05-20',
        team: [{ userId: cast.users.bureau.id }, { userId: cast.users.countyA.id }, { userId: experts[0].id }],
      })
      .expect(200);
    await returnAndResubmit(id, 'site_inspection');

    const second = await inspectSite(
      test.baseUrl,
      {
        bureau: { id: cast.users.bureau.id, token: cast.tokens.bureau },
        county: { id: cast.users.countyA.id, token: cast.tokens.countyA },
        expert: experts[1],
      },
      id,
      'passed',
    );
    expect(second).toMatchObject({ status: 'signed', round: 2 });
    expect(second.id).not.toBe(draft.body.id);
    const rows: { id: string; round: number; status: string }[] = await db.query(
      'SELECT id, round, status FROM review_inspection WHERE application_id = $1 ORDER BY round',
      [id],
    );
    expect(rows).toEqual([
      { id: draft.body.id, round: 1, status: 'draft' },
      { id: second.id, round: 2, status: 'signed' },
    ]);
    expect((await moved('bureau', id, 'record_inspection')).stage).toBe('decision');
    expect(await recorded(id, 'record_inspection')).toMatchObject({ passed: true, evidenceId: second.id });
  });
});
