import request from 'supertest';
import { DataSource } from 'typeorm';
import { Clock } from '../../libs/common/src';
import { makeUser } from '../../libs/identity/src/testing/identity-fixtures';
import { TimersService } from '../../libs/notifications/src';
import { type TestApp, startTestApp } from '../support/app';
import { type Cast, inspectSite, login, makeCast, makeExperts, openCall, reviewByPanel, submittedDossier } from '../support/procedure';
import { type CaughtMail, SmtpCatcher } from '../support/smtp-catcher';
import { waitFor } from '../support/wait';

interface Seat {
  assignmentId: string;
  expertId: string;
  expertName: string;
  reserveRank: number | null;
  active: boolean;
  declarationDue: string | null;
  scoringDue: string | null;
}

interface Panel {
  id: string;
  applicationId: string;
  seed: string;
  vacancies: number;
  seats: Seat[];
  redraws: { seed: string; members: string[]; reserves: string[] }[];
  rubric: { criteria: { code: string }[] };
}

describe('expert review over HTTP: reminders, conflicts told to the bureau, redraws, batch draws', () => {
  let smtp: SmtpCatcher;
  let test: TestApp;
  let db: DataSource;
  let cast: Cast;
  let callId: string;
  let experts: { id: string; token: string }[];
  let clock: jest.SpyInstance | undefined;

  beforeAll(async () => {
    smtp = await new SmtpCatcher().start();
    test = await startTestApp({ withWorker: true, smtpUrl: smtp.url, env: { MAIL_RETRY_BASE_MS: '100' } });
    db = test.app.get(DataSource);
    cast = await makeCast(test.baseUrl, db);
    callId = await openCall(test.baseUrl, cast.tokens.bureau);
    experts = [{ id: cast.users.expert.id, token: cast.tokens.expert }, ...(await makeExperts(test.baseUrl, db, 9))];
  });

  afterAll(async () => {
    clock?.mockRestore();
    await test?.close();
    await smtp?.stop();
  });

  const as = (token: string) => ({
    get: (path: string) => request(test.baseUrl).get(path).auth(token, { type: 'bearer' }),
    post: (path: string) => request(test.baseUrl).post(path).auth(token, { type: 'bearer' }),
    put: (path: string) => request(test.baseUrl).put(path).auth(token, { type: 'bearer' }),
  });
  const bureau = () => as(cast.tokens.bureau);
  const tokenOf = (expertId: string) => experts.find((e) => e.id === expertId)!.token;
  /** Runs `work` with the app's clock at `iso` (the due dates count from it); the real clock afterwards. */
  const at = async <T>(iso: string, work: () => Promise<T>): Promise<T> => {
    clock = jest.spyOn(test.app.get(Clock), 'now').mockReturnValue(new Date(iso));
    try {
      return await work();
    } finally {
      clock.mockRestore();
      clock = undefined;
    }
  };
  const emailOf = async (userId: string): Promise<string> =>
    (await db.query(`SELECT email FROM app_user WHERE id = $1`, [userId]))[0].email;
  /** Mails queued for `email` since `since` (the experts are shared by the tests, and an earlier test's panel may have seated them). */
  const deliveriesTo = async (email: string, since: Date): Promise<number> =>
    (
      await db.query(`SELECT count(*)::int AS n FROM notification_delivery WHERE recipient_email = $1 AND created_at >= $2`, [email, since])
    )[0].n;
  /** The `n` mails to `email` whose subject starts with `prefix` (the procedure sends officers its own mails too). */
  const mailsTo = (email: string, prefix: string, n = 1): Promise<CaughtMail[]> =>
    waitFor(
      () => {
        const found = smtp.to(email).filter((m) => m.subject.startsWith(prefix));
        return found.length >= n ? found : undefined;
      },
      { what: `${n} mail(s) "${prefix}" to ${email}` },
    );
  const fire = (id: string) => test.app.get(TimersService).fire(id);
  const count = async (table: string): Promise<number> => (await db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;

  /** applicantA's dossier of `call` walked to expert review; returns its id and its label as mails show it. */
  async function atExpertReview(name: string, call = callId): Promise<{ id: string; label: string }> {
    const { id } = await submittedDossier(test.baseUrl, cast, call, name);
    for (const [token, action] of [
      [cast.tokens.countyA, 'recommend'],
      [cast.tokens.bureau, 'pass_formal_review'],
    ] as const) {
      const { version } = (await as(token).get(`/applications/${id}`).expect(200)).body;
      await as(token).post(`/applications/${id}/actions`).send({ action, expectedVersion: version }).expect(200);
    }
    const { number } = (await bureau().get(`/applications/${id}`).expect(200)).body;
    return { id, label: `${number} ${name}` };
  }

  const draw = async (applicationId: string): Promise<Panel> =>
    (await bureau().post(`/applications/${applicationId}/panel`).send({}).expect(201)).body;

  it('reminds a seated expert before and after the declaration due date, then escalates to the bureau officers', async () => {
    const dossier = await atExpertReview('瓯江提醒孵化器');
    // Monday 1 March 2027: three working days to declare, ten to score.
    const panel = await at('2027-03-01T02:00:00Z', () => draw(dossier.id));
    const [seat] = panel.seats.filter((s) => s.active);
    expect(seat).toMatchObject({ declarationDue: '2027-03-04', scoringDue: '2027-03-15' });
    expect(panel.seats.filter((s) => s.reserveRank !== null).every((s) => s.declarationDue === null)).toBe(true);
    const timers = await db.query(`SELECT id, fire_at FROM notification_timer WHERE subject_id = $1 ORDER BY fire_at`, [seat.assignmentId]);
    expect(timers.map((t: { id: string; fire_at: Date }) => [t.id, t.fire_at.toISOString()])).toEqual([
      [`deadline.review_assignment.${seat.assignmentId}.declaration.1`, '2027-03-03T01:00:00.000Z'],
      [`deadline.review_assignment.${seat.assignmentId}.scoring.1`, '2027-03-12T01:00:00.000Z'],
    ]);

    const expertEmail = await emailOf(seat.expertId);
    await expect(fire(`deadline.review_assignment.${seat.assignmentId}.declaration.1`)).resolves.toBe('reminded 1');
    const [reminder] = await smtp.waitForMail(expertEmail);
    expect(reminder.subject).toBe(`【瓯流】评审提醒：回避声明（${dossier.label}）截止日期 2027-03-04`);
    expect(reminder.text).toContain('这是第 1 次提醒');

    await expect(fire(`deadline.review_assignment.${seat.assignmentId}.declaration.2`)).resolves.toBe('reminded 1');
    await smtp.waitForMail(expertEmail, 2);
    await expect(fire(`deadline.review_assignment.${seat.assignmentId}.declaration.3`)).resolves.toBe('escalated to 1');
    const [escalation] = await mailsTo(cast.users.bureau.email, '【瓯流】评审逾期督办');
    expect(escalation.subject).toBe(`【瓯流】评审逾期督办：回避声明（${dossier.label}）`);
    expect(escalation.text).toContain(`${seat.expertName} 经 2 次提醒仍未办理`);
  });

  it('sends an expert nothing once they have declared and scored', async () => {
    const [{ started }] = await db.query(`SELECT now() AS started`);
    const dossier = await atExpertReview('瓯江已评孵化器');
    const panel = await at('2027-03-01T02:00:00Z', () => draw(dossier.id));
    const seat = panel.seats.filter((s) => s.active)[1];
    const token = tokenOf(seat.expertId);
    await as(token).post(`/reviews/assignments/${seat.assignmentId}/declaration`).send({ conflict: false }).expect(200);
    await as(token)
      .post(`/reviews/assignments/${seat.assignmentId}/score`)
      .send({ scores: panel.rubric.criteria.map((c) => ({ criterion: c.code, value: 80 })) })
      .expect(200);
    await expect(fire(`deadline.review_assignment.${seat.assignmentId}.declaration.1`)).resolves.toBe('moved on: nothing to remind');
    await expect(fire(`deadline.review_assignment.${seat.assignmentId}.scoring.1`)).resolves.toBe('moved on: nothing to remind');
    const timers = await db.query(`SELECT state FROM notification_timer WHERE subject_id = $1`, [seat.assignmentId]);
    expect(timers).toEqual([{ state: 'skipped' }, { state: 'skipped' }]);
    expect(await deliveriesTo(await emailOf(seat.expertId), started)).toBe(0);
  });

  it('reminds the inspection team members who have not signed, and stops once all signed', async () => {
    const dossier = await atExpertReview('瓯江考察孵化器');
    await reviewByPanel(test.baseUrl, cast.tokens.bureau, experts, dossier.id, 86);
    const { version } = (await bureau().get(`/applications/${dossier.id}`).expect(200)).body;
    await bureau()
      .post(`/applications/${dossier.id}/actions`)
      .send({ action: 'record_expert_result', expectedVersion: version })
      .expect(200);
    const created = await bureau()
      .post(`/applications/${dossier.id}/inspection`)
      .send({
        visitDate: '2027-05-20',
        team: [{ userId: cast.users.bureau.id }, { userId: cast.users.countyA.id }, { userId: experts[9].id }],
      })
      .expect(200);
    // Thursday 20 May 2027: the team signs within three working days.
    expect(created.body.signDue).toBe('2027-05-25');
    const first = `deadline.review_inspection.${created.body.id}.sign.2027-05-25.1`;
    await expect(fire(first)).resolves.toBe('reminded 3');
    const [countyMail] = await mailsTo(cast.users.countyA.email, '【瓯流】评审提醒');
    expect(countyMail.subject).toBe(`【瓯流】评审提醒：现场考察签字（${dossier.label}）截止日期 2027-05-25`);

    await inspectSite(
      test.baseUrl,
      {
        bureau: { id: cast.users.bureau.id, token: cast.tokens.bureau },
        county: { id: cast.users.countyA.id, token: cast.tokens.countyA },
        expert: experts[9],
      },
      dossier.id,
    );
    // The checklist's changes set the same visit date: the chain goes on, and finds the inspection signed.
    await expect(fire(`deadline.review_inspection.${created.body.id}.sign.2027-05-25.2`)).resolves.toBe('moved on: nothing to remind');
    const reminders = await db.query(
      `SELECT count(*)::int AS n FROM notification_delivery WHERE recipient_email = $1 AND event = 'review.reminder'`,
      [cast.users.countyA.email],
    );
    expect(reminders).toEqual([{ n: 1 }]);
  });

  it('tells the bureau of each conflict; with no reserve left the seat is vacant until a recorded redraw fills it', async () => {
    const dossier = await atExpertReview('瓯江回避孵化器');
    const panel = await draw(dossier.id);
    const bureauEmail = cast.users.bureau.email;
    const members = panel.seats.filter((s) => s.active);
    const reserves = panel.seats.filter((s) => s.reserveRank !== null);
    await bureau().post(`/applications/${dossier.id}/panel/redraw`).send({}).expect(409);

    const declareConflict = (seat: Seat) =>
      as(tokenOf(seat.expertId))
        .post(`/reviews/assignments/${seat.assignmentId}/declaration`)
        .send({ conflict: true, reason: '本人曾在申报单位任职' })
        .expect(200);
    expect((await declareConflict(members[0])).body.replacedByReserve).toBe(true);
    const [replaced] = await mailsTo(bureauEmail, '【瓯流】专家申请回避');
    expect(replaced.subject).toBe(`【瓯流】专家申请回避：${dossier.label}`);
    expect(replaced.text).toContain(`评审专家 ${members[0].expertName} 就申报书“${dossier.label}”申请回避，理由：本人曾在申报单位任职`);
    expect(replaced.text).toContain(`已由备选专家 ${reserves[0].expertName} 递补`);
    // The reserve called in gets due dates and reminders of its own.
    const called = (await bureau().get(`/applications/${dossier.id}/panel`).expect(200)).body.seats.find(
      (s: Seat) => s.assignmentId === reserves[0].assignmentId,
    );
    expect(called.declarationDue).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/));
    expect(await db.query(`SELECT count(*)::int AS n FROM notification_timer WHERE subject_id = $1`, [called.assignmentId])).toEqual([
      { n: 2 },
    ]);

    await declareConflict(members[1]);
    expect((await declareConflict(members[2])).body.replacedByReserve).toBe(false);
    const vacant = (await mailsTo(bureauEmail, '【瓯流】专家申请回避', 3)).slice(2);
    expect(vacant[0].subject).toBe(`【瓯流】专家申请回避：${dossier.label}（专家组出现空缺）`);
    expect(vacant[0].text).toContain('专家组现有 1 个空缺席位，请补抽专家');

    const seatsBefore = await count('review_assignment');
    // A redraw from someone else, or with a malformed seed, changes nothing.
    await as(cast.tokens.countyA).post(`/applications/${dossier.id}/panel/redraw`).send({}).expect(403);
    await bureau().post(`/applications/${dossier.id}/panel/redraw`).send({ seed: 'with space' }).expect(400);
    expect(await count('review_assignment')).toBe(seatsBefore);

    const redrawn = (await bureau().post(`/applications/${dossier.id}/panel/redraw`).send({ seed: 'R1-2027' }).expect(200)).body as Panel;
    expect(redrawn.vacancies).toBe(0);
    expect(redrawn.redraws).toHaveLength(1);
    expect(redrawn.redraws[0]).toMatchObject({ seed: 'R1-2027', members: [expect.any(String)] });
    const [newcomer] = redrawn.redraws[0].members;
    expect(panel.seats.some((s) => s.expertId === newcomer)).toBe(false);
    const seat = redrawn.seats.find((s) => s.expertId === newcomer)!;
    expect(seat).toMatchObject({ active: true, reserveRank: null, declarationDue: expect.any(String) });
    const audit = await db.query(`SELECT summary FROM audit_event WHERE action = 'review.panel_redrawn' AND object_id = $1`, [panel.id]);
    expect(audit).toHaveLength(1);
    expect(audit[0].summary).toMatchObject({ seed: 'R1-2027', vacancies: 1, members: [newcomer] });
    await bureau().post(`/applications/${dossier.id}/panel/redraw`).send({}).expect(409);
  });

  it('draws the panels of many dossiers of a call at once, each with its seed, an expert cap holding across the batch', async () => {
    const admin = await login(test.baseUrl, await makeUser(db, { role: 'admin' }));
    const batchCall = await openCall(test.baseUrl, cast.tokens.bureau, { title: '2027年度温州市科技企业孵化器认定（第二批）' });
    const rubric = (await bureau().get(`/calls/${batchCall}/rubric`).expect(200)).body.rubric;
    await bureau()
      .put(`/calls/${batchCall}/rubric`)
      .send({ ...rubric, members: 2, reserves: 0 })
      .expect(200);
    // Ten experts, one review each this year: five panels of two use them all, once each.
    for (const e of experts)
      await as(admin).put(`/reviews/experts/${e.id}`).send({ available: true, yearlyCap: 1, declaredLinks: [] }).expect(200);
    const dossiers: string[] = [];
    for (let i = 0; i < 5; i++) dossiers.push((await atExpertReview(`瓯江批量孵化器${i}`, batchCall)).id);
    const other = await atExpertReview('瓯江他批孵化器');
    const panels = await count('review_panel');

    const wrongCall = await bureau()
      .post(`/calls/${batchCall}/panels`)
      .send({ applicationIds: [dossiers[0], other.id] })
      .expect(400);
    expect(wrongCall.body.error.code).toBe('review.not_in_call');
    await bureau()
      .post(`/calls/${batchCall}/panels`)
      .send({ applicationIds: [dossiers[0], dossiers[0]] })
      .expect(400);
    await as(cast.tokens.leader).post(`/calls/${batchCall}/panels`).send({}).expect(403);
    expect(await count('review_panel')).toBe(panels);

    const batch = await at(
      '2028-03-01T02:00:00Z',
      async () => (await bureau().post(`/calls/${batchCall}/panels`).send({ seed: 'B1' }).expect(201)).body,
    );
    expect(batch.panels).toHaveLength(5);
    expect(batch.panels.map((p: Panel) => p.applicationId).sort()).toEqual([...dossiers].sort());
    for (const p of batch.panels as Panel[]) expect(p.seed).toBe(`B1:${p.applicationId}`);
    const seated = (batch.panels as Panel[]).flatMap((p) => p.seats.map((s) => s.expertId));
    expect(seated).toHaveLength(10);
    expect(new Set(seated).size).toBe(10);
    const audit = await db.query(`SELECT summary FROM audit_event WHERE action = 'review.panels_drawn' AND object_id = $1`, [batchCall]);
    expect(audit[0].summary.panels).toHaveLength(5);

    // A sixth dossier: everyone is at their cap, so the batch stops and stores nothing.
    const sixth = await atExpertReview('瓯江批量孵化器5', batchCall);
    const after = await count('review_panel');
    const refused = await at(
      '2028-03-02T02:00:00Z',
      async () => (await bureau().post(`/calls/${batchCall}/panels`).send({}).expect(422)).body,
    );
    expect(refused.error).toMatchObject({ code: 'review.pool_too_small', details: { applicationId: sixth.id } });
    expect(await count('review_panel')).toBe(after);
  });
});
