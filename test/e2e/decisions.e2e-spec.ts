import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditService, verifyAuditChains } from '../../libs/audit/src';
import { readAuditHmacKey } from '../../libs/config/src';
import { Clock } from '../../libs/common/src';
import { TimersService } from '../../libs/notifications/src';
import { type TestApp, startTestApp } from '../support/app';
import { type Cast, INCUBATOR_FORM, PDF_BYTES, inspectSite, makeCast, makeExperts, openCall, reviewByPanel } from '../support/procedure';
import { SmtpCatcher } from '../support/smtp-catcher';
import { waitFor } from '../support/wait';

describe("the bureau's decision over HTTP: the meeting, the leader's sign-off, the batch release", () => {
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
    experts = [{ id: cast.users.expert.id, token: cast.tokens.expert }, ...(await makeExperts(test.baseUrl, db, 10))];
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
  const dossier = async (id: string) => (await as('bureau').get(`/applications/${id}`).expect(200)).body;
  const act = async (who: keyof Cast['tokens'], id: string, action: string, extra: object = {}) =>
    as(who)
      .post(`/applications/${id}/actions`)
      .send({ action, expectedVersion: (await dossier(id)).version, ...extra });
  const count = async (sql: string): Promise<number> => (await db.query(`SELECT count(*)::int AS n FROM ${sql}`))[0].n;
  const meeting = { kind: 'director_office_meeting', date: '2027-06-10', reference: '局长办公会纪要〔2027〕5号' };

  /** A dossier of applicant A at the decision stage, through a real panel and a signed inspection. */
  async function atDecision(name: string): Promise<{ id: string; number: string }> {
    const created = await as('applicantA')
      .post('/applications')
      .send({ callId, name, subtype: 'comprehensive', industries: ['emerg.digital'], form: INCUBATOR_FORM })
      .expect(201);
    const id: string = created.body.id;
    const signed = await as('applicantA')
      .patch(`/applications/${id}`)
      .send({ expectedVersion: created.body.version, pledgeSigned: true })
      .expect(200);
    await as('applicantA')
      .post(`/applications/${id}/attachments`)
      .field('documentCode', 'business_licence')
      .attach('file', PDF_BYTES, { filename: '营业执照.pdf', contentType: 'application/pdf' })
      .expect(201);
    const submitted = await as('applicantA').post(`/applications/${id}/submit`).send({ expectedVersion: signed.body.version }).expect(200);
    expect((await act('countyA', id, 'recommend')).status).toBe(200);
    expect((await act('bureau', id, 'pass_formal_review')).status).toBe(200);
    await reviewByPanel(test.baseUrl, cast.tokens.bureau, experts, id, 85);
    expect((await act('bureau', id, 'record_expert_result')).status).toBe(200);
    await inspectSite(
      test.baseUrl,
      {
        bureau: { id: cast.users.bureau.id, token: cast.tokens.bureau },
        county: { id: cast.users.countyA.id, token: cast.tokens.countyA },
        expert: experts[1],
      },
      id,
    );
    const moved = await act('bureau', id, 'record_inspection');
    expect(moved.body.stage).toBe('decision');
    return { id, number: submitted.body.number };
  }

  const decisionMails = (number: string) =>
    smtp.to(cast.users.applicantA.email).filter((m) => m.subject.includes(number) && /拟认定|未通过/.test(m.subject));

  let first: { id: string; number: string };
  let second: { id: string; number: string };
  let third: { id: string; number: string };

  it("records the meeting's decision, which waits for the leader's sign-off; bad input stores nothing", async () => {
    first = await atDecision('决定测试孵化器一期');
    const direct = await act('bureau', first.id, 'approve');
    expect([direct.status, direct.body.error.code]).toEqual([409, 'decision.release_required']);
    const directReject = await act('bureau', first.id, 'reject', { comment: '不符合条件' });
    expect([directReject.status, directReject.body.error.code]).toEqual([409, 'decision.release_required']);
    const early = await as('leader').post(`/applications/${first.id}/decision/sign-off`);
    expect([early.status, early.body.error.code]).toEqual([404, 'decision.not_found']);

    const bad: [object, string][] = [
      [{ outcome: 'reject', meeting }, 'decision.reason_required'],
      [{ outcome: 'approve', meeting: { ...meeting, kind: 'coffee' } }, 'validation_failed'],
      [{ outcome: 'approve' }, 'validation_failed'],
      [{ outcome: 'approve', meeting: { ...meeting, date: '2027-13-01' } }, 'validation_failed'],
      [{ outcome: 'maybe', meeting }, 'validation_failed'],
    ];
    for (const [body, code] of bad) {
      const refused = await as('bureau').post(`/applications/${first.id}/decision`).send(body);
      expect([refused.status, refused.body.error.code === code || code === 'validation_failed']).toEqual([400, true]);
    }
    await as('countyA').post(`/applications/${first.id}/decision`).send({ outcome: 'approve', meeting }).expect(403);
    await as('leader').post(`/applications/${first.id}/decision`).send({ outcome: 'approve', meeting }).expect(403);
    expect(await count('application_decision')).toBe(0);

    const recorded = await as('bureau').post(`/applications/${first.id}/decision`).send({ outcome: 'approve', meeting }).expect(201);
    expect(recorded.body).toMatchObject({ status: 'pending', outcome: 'approve', meeting, signedBy: null });
    const again = await as('bureau').post(`/applications/${first.id}/decision`).send({ outcome: 'approve', meeting });
    expect([again.status, again.body.error.code]).toEqual([409, 'decision.already_recorded']);
    const unsigned = await as('bureau').post(`/calls/${callId}/releases`);
    expect([unsigned.status, unsigned.body.error.code]).toEqual([409, 'decision.nothing_to_release']);

    await as('bureau').post(`/applications/${first.id}/decision/sign-off`).expect(403);
    const signedOff = await as('leader').post(`/applications/${first.id}/decision/sign-off`).expect(200);
    expect(signedOff.body).toMatchObject({ status: 'signed', signedBy: cast.users.leader.id });
    const twice = await as('leader').post(`/applications/${first.id}/decision/sign-off`);
    expect([twice.status, twice.body.error.code]).toEqual([409, 'decision.already_signed']);
    expect((await as('leader').get(`/applications/${first.id}/decision`).expect(200)).body.status).toBe('signed');
    // Signed, not released: the dossier has not moved and the applicant heard nothing.
    expect((await dossier(first.id)).stage).toBe('decision');
    expect(decisionMails(first.number)).toHaveLength(0);
  });

  it("refuses every other write of a leader: the sign-off is the leader's only one", async () => {
    const writes: [string, string, object][] = [
      ['post', '/applications', { callId, name: '领导不能申报', form: INCUBATOR_FORM }],
      ['post', `/applications/${first.id}/actions`, { action: 'approve', expectedVersion: 1 }],
      ['post', `/applications/${first.id}/decision`, { outcome: 'approve', meeting }],
      ['post', `/applications/${first.id}/panel`, {}],
      ['post', `/applications/${first.id}/panel/close`, {}],
      ['post', `/applications/${first.id}/inspection`, { visitDate: '2027-05-20' }],
      ['post', `/applications/${first.id}/inspection/sign`, {}],
      ['post', `/calls/${callId}/releases`, {}],
      [
        'post',
        `/calls/${callId}/recognitions`,
        { documentNumber: '温科发〔2027〕31号', recognisedOn: '2026-11-20', applicationIds: [first.id] },
      ],
      ['post', '/calls', { platformType: 'incubator', level: 'municipal', year: 2027, title: 'x' }],
      ['patch', `/calls/${callId}`, { status: 'closed' }],
    ];
    for (const [method, path, body] of writes) {
      const refused = await (method === 'post' ? as('leader').post(path) : as('leader').patch(path)).send(body);
      expect([path, refused.status]).toEqual([path, 403]);
    }
    expect((await dossier(first.id)).stage).toBe('decision');
  });

  it('releases the signed decisions of a call together: each dossier moves and its applicant gets one mail, once', async () => {
    second = await atDecision('决定测试孵化器二期');
    third = await atDecision('决定测试孵化器三期');
    const pending = await atDecision('决定测试孵化器四期');
    await as('bureau').post(`/applications/${second.id}/decision`).send({ outcome: 'approve', meeting }).expect(201);
    await as('bureau')
      .post(`/applications/${third.id}/decision`)
      .send({ outcome: 'reject', comment: '在孵企业数量未达标准。', meeting: { ...meeting, kind: 'party_group_meeting' } })
      .expect(201);
    await as('bureau').post(`/applications/${pending.id}/decision`).send({ outcome: 'approve', meeting }).expect(201);
    for (const { id } of [second, third]) await as('leader').post(`/applications/${id}/decision/sign-off`).expect(200);
    const listed = await as('leader').get(`/calls/${callId}/decisions`).expect(200);
    expect(listed.body.map((d: { status: string }) => d.status).sort()).toEqual(['pending', 'signed', 'signed', 'signed']);

    // Two officers release at once: one release carries the three signed decisions, the other finds none.
    const releases = await Promise.all([0, 1].map(() => as('bureau').post(`/calls/${callId}/releases`)));
    expect(releases.map((r) => r.status).sort()).toEqual([201, 409]);
    const release = releases.find((r) => r.status === 201)!.body;
    expect(release.decisions.map((d: { applicationId: string }) => d.applicationId).sort()).toEqual([first.id, second.id, third.id].sort());
    expect((await dossier(first.id)).stage).toBe('approved');
    expect((await dossier(second.id)).stage).toBe('approved');
    expect((await dossier(third.id)).stage).toBe('rejected');
    expect((await dossier(pending.id)).stage).toBe('decision');
    const again = await as('bureau').post(`/calls/${callId}/releases`);
    expect([again.status, again.body.error.code]).toEqual([409, 'decision.nothing_to_release']);

    for (const { id, number } of [first, second, third]) {
      await waitFor(() => (decisionMails(number).length > 0 ? true : undefined), { what: `the decision mail of ${number}` });
      const deliveries = await db.query(
        `SELECT state FROM notification_delivery WHERE subject_id = $1 AND recipient_email = $2 AND data->>'stageLabel' IN ($3, $4)`,
        [id, cast.users.applicantA.email, '拟认定（待公示）', '未通过'],
      );
      expect(deliveries).toHaveLength(1);
    }
    // Every mail the release queued has been sent; each dossier's decision mail arrived exactly once.
    await waitFor(async () => ((await count(`notification_delivery WHERE state NOT IN ('sent')`)) === 0 ? true : undefined), {
      what: 'the outbox drained',
    });
    for (const { number } of [first, second, third]) expect(decisionMails(number)).toHaveLength(1);
    expect(decisionMails(third.number)[0].subject).toBe(`【瓯流】申报书 ${third.number}：未通过`);
    expect(decisionMails(pending.number)).toHaveLength(0);
    const timeline = await as('bureau').get(`/applications/${third.id}/timeline`).expect(200);
    expect(timeline.body.events.at(-1)).toMatchObject({ action: 'reject', comment: '在孵企业数量未达标准。' });
    await test.app.get(AuditService).checkpoint();
    expect((await verifyAuditChains(db, readAuditHmacKey(test.config))).broken).toBeNull();
  });

  it('recognises a batch of a call under one document number and date for all its platforms', async () => {
    // Both through one public notice, closed by its timer at its end (test/e2e/notices.e2e-spec.ts has the details).
    const notice = await as('bureau')
      .post('/notices')
      .send({ callId, applicationIds: [first.id, second.id] })
      .expect(201);
    const clock = jest.spyOn(test.app.get(Clock), 'now').mockReturnValue(new Date(notice.body.closesAt));
    try {
      await expect(test.app.get(TimersService).fire(`notice.close.${notice.body.id}`)).resolves.toBe('closed 2');
    } finally {
      clock.mockRestore();
    }
    const path = `/calls/${callId}/recognitions`;
    const batch = { documentNumber: '温科发〔2027〕31号', recognisedOn: '2026-11-20', applicationIds: [first.id, second.id] };
    const notReady = await as('bureau')
      .post(path)
      .send({ ...batch, applicationIds: [...batch.applicationIds, third.id] });
    expect([notReady.status, notReady.body.error.code, notReady.body.error.details.applicationIds]).toEqual([
      409,
      'recognition.not_ready',
      [third.id],
    ]);
    for (const body of [
      { ...batch, documentNumber: '' },
      { ...batch, recognisedOn: '2027-02-30' },
      { ...batch, applicationIds: [] },
      { ...batch, applicationIds: ['nonsense'] },
    ])
      await as('bureau').post(path).send(body).expect(400);
    await as('countyA').post(path).send(batch).expect(403);
    expect(await count('recognition_batch')).toBe(0);
    expect(await count(`platform WHERE application_id IN ('${first.id}', '${second.id}')`)).toBe(0);

    const created = await as('bureau').post(path).send(batch);
    expect([created.status, created.body.error]).toEqual([201, undefined]);
    expect(created.body).toMatchObject({ documentNumber: batch.documentNumber, recognisedOn: '2026-11-20' });
    for (const { id } of [first, second]) expect((await dossier(id)).stage).toBe('recognised');
    const platforms: { document_number: string; recognised_on: string }[] = await db.query(
      `SELECT document_number, to_char(recognised_on, 'YYYY-MM-DD') AS recognised_on FROM platform WHERE application_id = ANY($1::uuid[])`,
      [[first.id, second.id]],
    );
    expect(platforms).toEqual([
      { document_number: '温科发〔2027〕31号', recognised_on: '2026-11-20' },
      { document_number: '温科发〔2027〕31号', recognised_on: '2026-11-20' },
    ]);
    const reused = await as('bureau')
      .post(path)
      .send({ ...batch, applicationIds: [third.id] });
    expect([reused.status, reused.body.error.code]).toEqual([409, 'recognition.document_number_used']);
  });
});
