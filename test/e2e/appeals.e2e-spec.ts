import request from 'supertest';
import { DataSource } from 'typeorm';
import { CalendarService, Clock, shanghaiDay } from '../../libs/common/src';
import { type TestApp, startTestApp } from '../support/app';
import { type Cast, makeCast, makeExperts, openCall, reviewByPanel, submittedDossier } from '../support/procedure';

describe('appeals against a rejection (HTTP)', () => {
  let test: TestApp;
  let db: DataSource;
  let cast: Cast;
  let callId: string;
  let experts: { id: string; token: string }[];

  beforeAll(async () => {
    test = await startTestApp();
    db = test.app.get(DataSource);
    cast = await makeCast(test.baseUrl, db);
    callId = await openCall(test.baseUrl, cast.tokens.bureau);
    experts = [{ id: cast.users.expert.id, token: cast.tokens.expert }, ...(await makeExperts(test.baseUrl, db, 6))];
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
        quota: 5,
        source: 'assumption',
      })
      .expect(200);
  });

  afterAll(async () => {
    jest.restoreAllMocks();
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
  const act = async (who: keyof Cast['tokens'], id: string, action: string, extra: object = {}) => {
    const moved = await as(who)
      .post(`/applications/${id}/actions`)
      .send({ action, expectedVersion: (await dossier(id)).version, ...extra });
    if (moved.status !== 200) throw new Error(`${action}: ${JSON.stringify(moved.body)}`);
  };
  const appealCount = async (): Promise<number> => (await db.query(`SELECT count(*)::int AS n FROM appeal`))[0].n;
  const reasons = '专家评审未考虑我单位新增的在孵企业数据，评分依据与申报材料不符，请求复核。';

  const submitted = async (name: string): Promise<string> => (await submittedDossier(test.baseUrl, cast, callId, name)).id;

  it('takes one appeal within the window, reviews it with a fresh panel, and returns the upheld dossier to the stage the call names', async () => {
    const id = await submitted('瓯海复核孵化器');
    await act('countyA', id, 'recommend');
    await act('bureau', id, 'pass_formal_review');
    // The first panel scores 3 of 10 (30 against a pass mark of 60): the dossier is rejected by its result.
    const first = await reviewByPanel(test.baseUrl, cast.tokens.bureau, experts, id, 3);
    expect(first.result).toMatchObject({ passed: false });
    const firstExperts: string[] = (await as('bureau').get(`/applications/${id}/panel`).expect(200)).body.seats.map(
      (s: { expertId: string }) => s.expertId,
    );
    expect(firstExperts).toHaveLength(3);
    await act('bureau', id, 'record_expert_result');
    expect((await dossier(id)).stage).toBe('rejected');
    const closedAt = async (): Promise<Date | null> =>
      (await db.query('SELECT closed_at FROM application WHERE id = $1', [id]))[0].closed_at;
    expect(await closedAt()).toBeInstanceOf(Date);

    // Bad appeals first: too short, someone else's dossier, the bureau instead of the applicant. Nothing stored.
    const short = await as('applicantA').post(`/applications/${id}/appeal`).send({ reasons: '不服' });
    expect({ status: short.status, code: short.body.error.code }).toEqual({ status: 400, code: 'appeal.reasons_length' });
    expect((await as('applicantB').post(`/applications/${id}/appeal`).send({ reasons })).status).toBe(404);
    expect((await as('bureau').post(`/applications/${id}/appeal`).send({ reasons })).status).toBe(403);
    const reopenedEarly = await as('bureau')
      .post(`/applications/${id}/actions`)
      .send({ action: 'reopen_on_appeal', expectedVersion: (await dossier(id)).version });
    expect({ status: reopenedEarly.status, code: reopenedEarly.body.error.code }).toEqual({ status: 409, code: 'appeal.not_upheld' });
    expect(await appealCount()).toBe(0);

    const lodged = await as('applicantA')
      .post(`/applications/${id}/appeal`)
      .send({ reasons, evidence: '2026年在孵企业名单及租赁合同（附件已提交）' })
      .expect(201);
    const timeline = await as('applicantA').get(`/applications/${id}/timeline`).expect(200);
    const rejection = timeline.body.events.at(-1);
    expect(rejection).toMatchObject({ action: 'record_expert_result', toStage: 'rejected' });
    expect(lodged.body).toMatchObject({ status: 'lodged', decisionEventSeq: rejection.seq, returnTo: 'expert_review' });
    const second = await as('applicantA').post(`/applications/${id}/appeal`).send({ reasons });
    expect({ status: second.status, code: second.body.error.code }).toEqual({ status: 409, code: 'appeal.already_lodged' });
    expect(await appealCount()).toBe(1);

    // The appeal's panel: none of the first panel's experts.
    const fresh = await as('bureau').post(`/applications/${id}/appeal/panel`).send({}).expect(201);
    const freshExperts: string[] = fresh.body.seats.map((s: { expertId: string }) => s.expertId);
    expect(freshExperts).toHaveLength(3);
    expect(freshExperts.filter((e) => firstExperts.includes(e))).toEqual([]);
    await as('bureau').post(`/applications/${id}/panel/close`).expect(200);

    const upheld = await as('bureau')
      .post(`/applications/${id}/appeal/decision`)
      .send({ decision: 'upheld', resolution: '复核专家组认为原评审未考虑新增数据，复核成立。' })
      .expect(200);
    expect(upheld.body).toMatchObject({ status: 'upheld', decisionEventId: lodged.body.decisionEventId, decisionEventSeq: rejection.seq });
    expect((await dossier(id)).stage).toBe('expert_review');
    // Reopened, the dossier is no longer closed: it counts among the open ones again.
    expect(await closedAt()).toBeNull();
    const again = await as('bureau').post(`/applications/${id}/appeal/decision`).send({ decision: 'dismissed', resolution: '重复' });
    expect({ status: again.status, code: again.body.error.code }).toEqual({ status: 409, code: 'appeal.resolved' });
    expect((await as('applicantA').get(`/applications/${id}/appeal`).expect(200)).body.status).toBe('upheld');
  });

  it('refuses an appeal after its window of working days, and when the call offers none; nothing is stored', async () => {
    const id = await submitted('瑞安逾期孵化器');
    await act('countyA', id, 'reject', { comment: '场地面积不足' });
    const rejectedAt: string = (await as('applicantA').get(`/applications/${id}/timeline`).expect(200)).body.events.at(-1).at;
    const calendar = await test.app.get(CalendarService).load();
    const lastDay = calendar.addWorkingDays(shanghaiDay(new Date(rejectedAt)), 10);
    const before = await appealCount();

    // 24:00 Beijing time of the tenth working day after the rejection: too late.
    const clock = jest.spyOn(test.app.get(Clock), 'now').mockReturnValue(new Date(`${lastDay}T16:00:00Z`));
    const late = await as('applicantA').post(`/applications/${id}/appeal`).send({ reasons });
    expect({ status: late.status, code: late.body.error.code }).toEqual({ status: 409, code: 'appeal.window_closed' });
    clock.mockRestore();

    await as('bureau').put(`/calls/${callId}/appeal-terms`).send({ enabled: false, windowDays: 10, returnTo: 'decision' }).expect(200);
    const off = await as('applicantA').post(`/applications/${id}/appeal`).send({ reasons });
    expect({ status: off.status, code: off.body.error.code }).toEqual({ status: 409, code: 'appeal.not_offered' });
    expect(await appealCount()).toBe(before);
    const badTerms = await as('bureau').put(`/calls/${callId}/appeal-terms`).send({ enabled: true, windowDays: 0, returnTo: 'recognised' });
    expect(badTerms.status).toBe(400);
  });
});
