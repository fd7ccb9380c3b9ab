import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditService, verifyAuditChains } from '../../libs/audit/src';
import { readAuditHmacKey } from '../../libs/config/src';
import { Clock } from '../../libs/common/src';
import { TimersService } from '../../libs/notifications/src';
import { type TestApp, startTestApp } from '../support/app';
import { makeOrganisation, makeUser } from '../../libs/identity/src/testing/identity-fixtures';
import {
  type Cast,
  INCUBATOR_FORM,
  PDF_BYTES,
  inspectSite,
  login,
  makeCast,
  makeExperts,
  openCall,
  reviewByPanel,
} from '../support/procedure';
import { recognise } from '../support/registry-fixtures';
import { SmtpCatcher } from '../support/smtp-catcher';
import { waitFor } from '../support/wait';

describe('a dossier from draft to recognition (HTTP)', () => {
  let smtp: SmtpCatcher;
  let test: TestApp;
  let db: DataSource;
  let cast: Cast;
  let callId: string;
  let experts: { id: string; token: string }[];

  beforeAll(async () => {
    smtp = await new SmtpCatcher().start();
    test = await startTestApp({ withWorker: true, smtpUrl: smtp.url, env: { MAIL_RETRY_BASE_MS: '100' } });
    db = test.app.get(DataSource);
    cast = await makeCast(test.baseUrl, db);
    callId = await openCall(test.baseUrl, cast.tokens.bureau);
    experts = [{ id: cast.users.expert.id, token: cast.tokens.expert }, ...(await makeExperts(test.baseUrl, db))];
  });

  afterAll(async () => {
    await test?.close();
    await smtp?.stop();
  });

  const as = (who: keyof Cast['tokens']) => ({
    get: (path: string) => request(test.baseUrl).get(path).auth(cast.tokens[who], { type: 'bearer' }),
    post: (path: string) => request(test.baseUrl).post(path).auth(cast.tokens[who], { type: 'bearer' }),
    patch: (path: string) => request(test.baseUrl).patch(path).auth(cast.tokens[who], { type: 'bearer' }),
  });

  async function draftWithDocuments(name = '瓯江科创孵化器'): Promise<{ id: string; version: number }> {
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
    return { id: created.body.id, version: signed.body.version };
  }

  function act(who: keyof Cast['tokens'], id: string, version: number, action: string, extra: object = {}): request.Test {
    return as(who)
      .post(`/applications/${id}/actions`)
      .send({ action, expectedVersion: version, ...extra });
  }

  it('walks an incubator dossier through every stage, with one return and resubmission, mailing each step, into the registry', async () => {
    const { id, version } = await draftWithDocuments();
    const submitted = await as('applicantA').post(`/applications/${id}/submit`).send({ expectedVersion: version }).expect(200);
    expect(submitted.body).toMatchObject({ stage: 'county_review', round: 1, number: expect.stringMatching(/^WZ-INC-2027-\d{4}$/) });
    const number: string = submitted.body.number;
    const [taskMail] = await smtp.waitForMail(cast.users.countyA.email);
    expect(taskMail.subject).toBe(`【瓯流】待办：申报书 ${number}（属地初审推荐）`);

    let v = submitted.body.version;
    const recommended = await act('countyA', id, v, 'recommend').expect(200);
    expect(recommended.body.stage).toBe('formal_review');
    v = recommended.body.version;

    const returned = await act('bureau', id, v, 'return_for_revision', { comment: '请补充场地租赁合同' }).expect(200);
    expect(returned.body).toMatchObject({ stage: 'revision', returnedFrom: 'formal_review' });
    const returnMail = await waitFor(() => smtp.to(cast.users.applicantA.email).find((m) => m.subject.includes('被退回补正')), {
      what: 'the return mail',
    });
    expect(returnMail?.text).toContain('意见：请补充场地租赁合同');

    const revised = await as('applicantA')
      .patch(`/applications/${id}`)
      .send({ expectedVersion: returned.body.version, form: { ...INCUBATOR_FORM, leaseYears: 10 } })
      .expect(200);
    const resubmitted = await as('applicantA')
      .post(`/applications/${id}/submit`)
      .send({ expectedVersion: revised.body.version })
      .expect(200);
    expect(resubmitted.body).toMatchObject({ stage: 'formal_review', round: 2 });
    v = resubmitted.body.version;

    const formal = await act('bureau', id, v, 'pass_formal_review').expect(200);
    expect(formal.body.stage).toBe('expert_review');
    v = formal.body.version;
    // The expert review's result is the closed panel's aggregate, not a boolean typed by the officer.
    const panel = await reviewByPanel(test.baseUrl, cast.tokens.bureau, experts, id, 86);
    expect(panel.result).toMatchObject({ score: 86, passed: true });

    const reviewed = await act('bureau', id, v, 'record_expert_result').expect(200);
    expect(reviewed.body.stage).toBe('site_inspection');
    v = reviewed.body.version;
    // So is the inspection's: the team's signed result.
    const inspection = await inspectSite(
      test.baseUrl,
      {
        bureau: { id: cast.users.bureau.id, token: cast.tokens.bureau },
        county: { id: cast.users.countyA.id, token: cast.tokens.countyA },
        expert: experts[1],
      },
      id,
    );
    expect(inspection).toMatchObject({ status: 'signed', result: 'passed' });

    const inspected = await act('bureau', id, v, 'record_inspection').expect(200);
    expect(inspected.body.stage).toBe('decision');
    // The meeting's decision, signed off by the leader, goes out with the call's release.
    await as('bureau')
      .post(`/applications/${id}/decision`)
      .send({
        outcome: 'approve',
        meeting: { kind: 'director_office_meeting', date: '2027-06-10', reference: '局长办公会纪要〔2027〕5号' },
      })
      .expect(201);
    await as('leader').post(`/applications/${id}/decision/sign-off`).expect(200);
    await as('bureau').post(`/calls/${callId}/releases`).expect(201);
    expect((await as('bureau').get(`/applications/${id}`).expect(200)).body.stage).toBe('approved');

    // The public notice: published as a list, closed by its timer at its end (test/e2e/notices.e2e-spec.ts has the details).
    const notice = await as('bureau')
      .post('/notices')
      .send({ callId, applicationIds: [id] })
      .expect(201);
    const clock = jest.spyOn(test.app.get(Clock), 'now').mockReturnValue(new Date(notice.body.closesAt));
    try {
      await expect(test.app.get(TimersService).fire(`notice.close.${notice.body.id}`)).resolves.toBe('closed 1');
    } finally {
      clock.mockRestore();
    }
    v = (await as('bureau').get(`/applications/${id}`).expect(200)).body.version;
    const recognised = await act('bureau', id, v, 'recognise', { documentNumber: '温科发〔2027〕31号', recognisedOn: '2026-11-20' }).expect(
      200,
    );
    expect(recognised.body.stage).toBe('recognised');

    // Eleven mails to the applicant in all (one per step); wait for the last one, the decision.
    const decided = await waitFor(() => smtp.to(cast.users.applicantA.email).find((m) => m.subject.includes('已认定')), {
      what: 'the decision mail',
    });
    expect(decided?.subject).toBe(`【瓯流】申报书 ${number}：已认定`);
    expect(decided?.text).toContain('认定文号：温科发〔2027〕31号');
    const platforms = await db.query(`SELECT * FROM platform WHERE application_id = $1`, [id]);
    expect(platforms).toHaveLength(1);
    expect(platforms[0]).toMatchObject({
      type: 'incubator',
      level: 'municipal',
      name: '瓯江科创孵化器',
      document_number: '温科发〔2027〕31号',
      status: 'active',
      region_code: 'lucheng',
    });

    const timeline = await as('applicantA').get(`/applications/${id}/timeline`).expect(200);
    expect(timeline.body.events.map((e: { action: string }) => e.action)).toEqual([
      'submit',
      'recommend',
      'return_for_revision',
      'resubmit',
      'pass_formal_review',
      'record_expert_result',
      'record_inspection',
      'approve',
      'publish_notice',
      'close_notice',
      'recognise',
    ]);
    const expertEvent = timeline.body.events.find((e: { action: string }) => e.action === 'record_expert_result');
    expect(expertEvent.input).toEqual({ passed: true, score: 86, evidenceId: panel.id });
    expect(timeline.body.attachmentsByRound['0']).toHaveLength(1);
    const audit = await db.query(`SELECT count(*)::int AS n FROM audit_event WHERE object_type = 'application' AND object_id = $1`, [id]);
    expect(audit[0].n).toBeGreaterThanOrEqual(12);
    // A checkpoint signs the chain's head; the verifier recomputes every MAC and checks the head.
    await test.app.get(AuditService).checkpoint();
    expect(await verifyAuditChains(db, readAuditHmacKey(test.config))).toMatchObject({ broken: null });
  });

  it('lets the applicant withdraw before the decision, only with a reason, kept on the timeline', async () => {
    const { id, version } = await draftWithDocuments('撤回测试孵化器');
    const submitted = await as('applicantA').post(`/applications/${id}/submit`).send({ expectedVersion: version }).expect(200);
    const v = submitted.body.version;
    const bare = await act('applicantA', id, v, 'withdraw');
    expect([bare.status, bare.body.error.code, bare.body.error.details.field]).toEqual([400, 'application.missing_input', 'comment']);
    const blank = await act('applicantA', id, v, 'withdraw', { comment: '' });
    expect([blank.status, blank.body.error.code]).toEqual([400, 'application.missing_input']);
    expect((await as('applicantA').get(`/applications/${id}`).expect(200)).body).toMatchObject({ stage: 'county_review', version: v });
    const withdrawn = await act('applicantA', id, v, 'withdraw', { comment: '场地租赁合同未能续签，本年度暂不申报。' }).expect(200);
    expect(withdrawn.body).toMatchObject({ stage: 'withdrawn', availableActions: [] });
    const timeline = await as('applicantA').get(`/applications/${id}/timeline`).expect(200);
    expect(timeline.body.events.at(-1)).toMatchObject({ action: 'withdraw', comment: '场地租赁合同未能续签，本年度暂不申报。' });
  });

  it('refuses a dossier from an organisation under a re-application ban (revoked for fraud), and accepts it once the ban ran out', async () => {
    const org = await makeOrganisation(db, { regionCode: 'ouhai', name: '瓯海丙科技有限公司' });
    const applicant = await makeUser(db, { role: 'applicant', organisationId: org.id, isOrganisationOwner: true });
    const token = await login(test.baseUrl, applicant);
    const create = () =>
      request(test.baseUrl)
        .post('/applications')
        .auth(token, { type: 'bearer' })
        .send({ callId, name: '瓯海丙孵化器', subtype: 'comprehensive', form: INCUBATOR_FORM });
    const platform = await recognise(test, {
      type: 'incubator',
      organisationId: org.id,
      organisationName: org.name,
      creditCode: org.creditCode,
      regionCode: 'ouhai',
    });
    const revoked = await as('bureau')
      .post(`/platforms/${platform.id}/revocation`)
      .send({ reason: 'fraud', revokedOn: '2025-09-01', documentNumber: '温科发〔2025〕88号' })
      .expect(200);
    expect(revoked.body.reapplicationBannedUntil).toBe('2028-09-01');
    const refused = await create();
    expect([refused.status, refused.body.error.code, refused.body.error.details.until]).toEqual([
      422,
      'application.reapplication_banned',
      '2028-09-01',
    ]);
    expect(await db.query(`SELECT count(*)::int AS n FROM application WHERE organisation_id = $1`, [org.id])).toEqual([{ n: 0 }]);
    await db.query(`UPDATE platform SET reapplication_banned_until = current_date - 1 WHERE id = $1`, [platform.id]);
    await create().expect(201);
  });

  it('reminds the county of its review deadline when the timer fires, and stops once the dossier moved on', async () => {
    const { id, version } = await draftWithDocuments('提醒测试孵化器');
    const submitted = await as('applicantA').post(`/applications/${id}/submit`).send({ expectedVersion: version }).expect(200);
    const [timer]: { id: string }[] = await db.query(
      `SELECT id FROM notification_timer WHERE subject_type = 'application' AND subject_id = $1 AND state = 'scheduled'`,
      [id],
    );
    expect(timer).toBeDefined();
    await expect(test.app.get(TimersService).fire(timer.id)).resolves.toBe('reminded 1');
    const reminders: { recipient_email: string }[] = await db.query(
      `SELECT recipient_email FROM notification_delivery WHERE event = 'deadline.reminder' AND subject_id = $1`,
      [id],
    );
    expect(reminders.map((r) => r.recipient_email)).toEqual([cast.users.countyA.email.toLowerCase()]);

    // Firing scheduled the county's next reminder; the recommendation replaces that chain with the bureau's deadline.
    await act('countyA', id, submitted.body.version, 'recommend', { comment: '同意推荐' }).expect(200);
    const timers: { id: string; state: string }[] = await db.query(
      `SELECT id, state FROM notification_timer WHERE subject_type = 'application' AND subject_id = $1 AND id <> $2 ORDER BY created_at`,
      [id, timer.id],
    );
    expect(timers.map((t) => t.state)).toEqual(['cancelled', 'scheduled']);
    await expect(test.app.get(TimersService).fire(timers[0].id)).resolves.toBe('already cancelled');
  });

  it('lets exactly one of 50 concurrent conflicting actions win; the rest get 409 and one event is written', async () => {
    const { id, version } = await draftWithDocuments('并发测试孵化器');
    const submitted = await as('applicantA').post(`/applications/${id}/submit`).send({ expectedVersion: version }).expect(200);
    const v = submitted.body.version;
    const attempts = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        i % 2 === 0 ? act('countyA', id, v, 'recommend') : act('countyA', id, v, 'reject', { comment: '不符合条件' }),
      ),
    );
    const statuses = attempts.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const events = await db.query(
      `SELECT count(*)::int AS n FROM application_event WHERE application_id = $1 AND action IN ('recommend', 'reject')`,
      [id],
    );
    expect(events[0].n).toBe(1);
  });

  it('refuses bad actions with a clear 4xx and changes nothing', async () => {
    const { id, version } = await draftWithDocuments('错误输入测试孵化器');
    const eventsBefore = async () =>
      (await db.query(`SELECT count(*)::int AS n FROM application_event WHERE application_id = $1`, [id]))[0].n;

    // Wrong expectedVersion.
    const stale = await as('applicantA')
      .post(`/applications/${id}/submit`)
      .send({ expectedVersion: version + 5 })
      .expect(409);
    expect(stale.body.error.code).toBe('application.version_conflict');
    const submitted = await as('applicantA').post(`/applications/${id}/submit`).send({ expectedVersion: version }).expect(200);
    const v = submitted.body.version;
    const deliveries = async () =>
      (await db.query(`SELECT count(*)::int AS n FROM notification_delivery WHERE subject_id = $1`, [id]))[0].n;
    const mailsBefore = await deliveries();

    // The wrong role, and the officer of another county (who cannot even see it).
    expect((await act('bureau', id, v, 'recommend').expect(403)).body.error.code).toBe('application.role_not_allowed');
    expect((await act('countyB', id, v, 'recommend').expect(404)).body.error.code).toBe('application.not_found');
    expect((await act('applicantB', id, v, 'withdraw').expect(404)).body.error.code).toBe('application.not_found');
    // An action the stage does not have, a return without reasons, an unknown action, an unknown field.
    expect((await act('countyA', id, v, 'approve').expect(409)).body.error.code).toBe('application.invalid_transition');
    expect((await act('countyA', id, v, 'return_for_revision').expect(400)).body.error.code).toBe('application.missing_input');
    expect((await act('countyA', id, v, 'fly_away').expect(400)).body.error.code).toBe('request.validation_failed');
    expect((await act('countyA', id, v, 'recommend', { stage: 'recognised' }).expect(400)).body.error.code).toBe(
      'request.validation_failed',
    );

    const after = await as('applicantA').get(`/applications/${id}`).expect(200);
    expect(after.body).toMatchObject({ stage: 'county_review', version: v });
    expect(await eventsBefore()).toBe(1);
    expect(await deliveries()).toBe(mailsBefore);
  });

  it('refuses submission without the required documents, with a failed hard rule, or after the window', async () => {
    const created = await as('applicantA')
      .post('/applications')
      .send({ callId, name: '材料不全孵化器', subtype: 'comprehensive', form: INCUBATOR_FORM })
      .expect(201);
    const signed = await as('applicantA')
      .patch(`/applications/${created.body.id}`)
      .send({ expectedVersion: created.body.version, pledgeSigned: true })
      .expect(200);
    const missing = await as('applicantA')
      .post(`/applications/${created.body.id}/submit`)
      .send({ expectedVersion: signed.body.version })
      .expect(422);
    expect(missing.body.error).toMatchObject({
      code: 'application.missing_documents',
      details: { missing: [{ code: 'business_licence' }] },
    });

    const small = await as('applicantA')
      .patch(`/applications/${created.body.id}`)
      .send({ expectedVersion: signed.body.version, form: { ...INCUBATOR_FORM, areaM2: 1200, incubatedAreaM2: 100, incubatedFirms: 5 } })
      .expect(200);
    const eligibility = await as('applicantA').get(`/applications/${created.body.id}/eligibility`).expect(200);
    expect(eligibility.body.hardFailures).toBe(3);
    const ineligible = await as('applicantA')
      .post(`/applications/${created.body.id}/submit`)
      .send({ expectedVersion: small.body.version })
      .expect(422);
    expect(ineligible.body.error.details.failed.map((f: { ruleId: string }) => f.ruleId).sort()).toEqual([
      'inc.area',
      'inc.area_share',
      'inc.firms',
    ]);

    const { id, version } = await draftWithDocuments('逾期提交孵化器');
    await as('bureau')
      .patch(`/calls/${callId}`)
      .send({ closesAt: new Date(Date.now() - 1000).toISOString() })
      .expect(200);
    try {
      const late = await as('applicantA').post(`/applications/${id}/submit`).send({ expectedVersion: version }).expect(409);
      expect(late.body.error.code).toBe('call.outside_window');
      expect((await as('applicantA').get(`/applications/${id}`).expect(200)).body.stage).toBe('draft');
    } finally {
      await as('bureau')
        .patch(`/calls/${callId}`)
        .send({ closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString() })
        .expect(200);
    }
  });

  it('scopes lists: each applicant sees its own dossiers, each county officer its county', async () => {
    const mine = await as('applicantA').get('/applications').expect(200);
    expect(mine.body.total).toBeGreaterThan(0);
    expect(mine.body.items.every((a: { organisationId: string }) => a.organisationId === cast.orgA.id)).toBe(true);
    expect((await as('applicantB').get('/applications').expect(200)).body.total).toBe(0);
    expect((await as('countyB').get('/applications').expect(200)).body.total).toBe(0);
    const county = await as('countyA').get('/applications').query({ q: '孵化器' }).expect(200);
    expect(county.body.items.every((a: { regionCode: string; stage: string }) => a.regionCode === 'lucheng' && a.stage !== 'draft')).toBe(
      true,
    );
    await as('expert').get('/applications').expect(403);
  });
});
