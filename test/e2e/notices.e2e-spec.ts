import request from 'supertest';
import { DataSource } from 'typeorm';
import { CalendarService, Clock } from '../../libs/common/src';
import { TimersService } from '../../libs/notifications/src';
import { NoticeClosingModule } from '../../apps/worker/src/notices/notice-closing';
import { type TestApp, startTestApp } from '../support/app';
import { type Cast, PDF_BYTES, makeCast, makeExperts, openCall, reviewAndApprove, submittedDossier } from '../support/procedure';

/** Mobile numbers, landlines and 18-digit resident ID numbers: none may appear on a public page. */
const PHONE_OR_ID = /1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{17}[\dXx]/;
const PRIVATE_FIELDS = /"(contact|email|phone|mobile|score|scores|creditCode|idNumber|organisationId|applicationId|number|objections?)"/i;

describe('public notices and objections (HTTP)', () => {
  let test: TestApp;
  let db: DataSource;
  let cast: Cast;
  let callId: string;
  let clock: jest.SpyInstance<Date, []>;
  let experts: { id: string; token: string }[];

  beforeAll(async () => {
    // The worker's notice closing, without its queue processors: the test fires the timer itself, at the time it sets.
    test = await startTestApp({ extraModules: [NoticeClosingModule] });
    db = test.app.get(DataSource);
    cast = await makeCast(test.baseUrl, db);
    callId = await openCall(test.baseUrl, cast.tokens.bureau);
    experts = [{ id: cast.users.expert.id, token: cast.tokens.expert }, ...(await makeExperts(test.baseUrl, db))];
  });

  afterAll(async () => {
    clock?.mockRestore();
    await test?.close();
  });

  const as = (who: keyof Cast['tokens']) => ({
    get: (path: string) => request(test.baseUrl).get(path).auth(cast.tokens[who], { type: 'bearer' }),
    post: (path: string) => request(test.baseUrl).post(path).auth(cast.tokens[who], { type: 'bearer' }),
  });
  const anonymous = () => request(test.baseUrl);
  const setTime = (iso: string) => {
    clock?.mockRestore();
    clock = jest.spyOn(test.app.get(Clock), 'now').mockReturnValue(new Date(iso));
  };
  const objectionCount = async (): Promise<number> => (await db.query(`SELECT count(*)::int AS n FROM notice_objection`))[0].n;

  /** A dossier walked to `approved` through the ordinary actions, with the real clock. */
  async function approvedDossier(name: string): Promise<string> {
    const submitted = await submittedDossier(test.baseUrl, cast, callId, name);
    const id = submitted.id;
    let v = submitted.version;
    const steps: [keyof Cast['tokens'], string, object][] = [
      ['countyA', 'recommend', {}],
      ['bureau', 'pass_formal_review', {}],
    ];
    for (const [who, action, extra] of steps) {
      const moved = await as(who)
        .post(`/applications/${id}/actions`)
        .send({ action, expectedVersion: v, ...extra });
      if (moved.status !== 200) throw new Error(`${action}: ${JSON.stringify(moved.body)}`);
      v = moved.body.version;
    }
    await reviewAndApprove(test.baseUrl, cast, experts, id, callId);
    return id;
  }

  const dossier = async (id: string) => (await as('bureau').get(`/applications/${id}`).expect(200)).body;
  const act = async (id: string, action: string, extra: object = {}) =>
    as('bureau')
      .post(`/applications/${id}/actions`)
      .send({ action, expectedVersion: (await dossier(id)).version, ...extra });

  it('publishes candidates for five working days across the National Day holiday, shows the public only what is published, takes objections with a receipt, refuses an early close, closes itself at the end of its last working day, and erases the objectors’ personal data after the retention period', async () => {
    const a = await approvedDossier('瓯江科创孵化器');
    const b = await approvedDossier('鹿城青年创业孵化器');
    const c = await approvedDossier('未公示孵化器');

    // Monday 28 September 2026, 10:00 in Beijing: five working days are 28, 29, 30 September, then 8 and 9 October.
    setTime('2026-09-28T02:00:00Z');
    const calendar = await test.app.get(CalendarService).load();
    const lastDay = calendar.addWorkingDays('2026-09-28', 4);
    expect(lastDay).toBe('2026-10-09');

    expect(
      (
        await as('applicantA')
          .post('/notices')
          .send({ callId, applicationIds: [a] })
          .expect(403)
      ).body.error.code,
    ).toBeDefined();
    const published = await as('bureau')
      .post('/notices')
      .send({ callId, applicationIds: [a, b] })
      .expect(201);
    const notice = published.body;
    expect(notice).toMatchObject({ days: 5, firstDay: '2026-09-28', lastDay, closesAt: '2026-10-09T16:00:00.000Z', status: 'open' });
    expect(notice.candidates.map((x: { name: string }) => x.name)).toEqual(['瓯江科创孵化器', '鹿城青年创业孵化器']);
    expect((await dossier(a)).stage).toBe('public_notice');
    expect((await dossier(b)).stage).toBe('public_notice');
    const timers: { fire_at: Date }[] = await db.query(`SELECT fire_at FROM notification_timer WHERE id = $1`, [
      `notice.close.${notice.id}`,
    ]);
    expect(timers[0].fire_at.toISOString()).toBe('2026-10-09T16:00:00.000Z');

    // Publishing outside a notice is refused, and so is a list with a dossier not at `approved` (nothing stored).
    expect((await act(c, 'publish_notice')).body.error.code).toBe('notice.publish_through_notice');
    const mixed = await as('bureau')
      .post('/notices')
      .send({ callId, applicationIds: [c, a] });
    expect(mixed.status).toBe(409);
    expect((await dossier(c)).stage).toBe('approved');
    expect((await db.query(`SELECT count(*)::int AS n FROM notice`))[0].n).toBe(1);

    // Anyone may read the notice; the public page carries no contact, score, ID or phone number.
    const list = await anonymous().get('/public/notices').expect(200);
    expect(list.body.items.map((n: { id: string }) => n.id)).toEqual([notice.id]);
    const page = await anonymous().get(`/public/notices/${notice.id}`).expect(200);
    expect(page.body.candidates[0]).toEqual({
      id: expect.any(String),
      name: '瓯江科创孵化器',
      platformType: 'incubator',
      level: 'municipal',
      county: expect.any(String),
      hostOrganisation: cast.orgA.name,
    });
    const candidateA: string = page.body.candidates[0].id;

    // Bad objections: each refused with its code, nothing stored.
    const objectAs = (body: object) => anonymous().post(`/public/notices/${notice.id}/objections`).send(body);
    const text = '该单位申报材料中的在孵企业数量与实际情况不符，请核查。';
    const refusals: [object, number, string][] = [
      [{ candidateId: candidateA, objectorType: 'person', text }, 422, 'notice.objection_anonymous'],
      [{ candidateId: candidateA, objectorType: 'person', name: '张三', text }, 422, 'notice.objection_anonymous'],
      [
        { candidateId: candidateA, objectorType: 'organisation', name: '李四', contact: '13812345678', text },
        422,
        'notice.objection_anonymous',
      ],
      [
        { candidateId: candidateA, objectorType: 'person', name: '张三', contact: 'call me', text },
        400,
        'notice.objection_invalid_contact',
      ],
      [
        { candidateId: candidateA, objectorType: 'person', name: '张三', contact: '13812345678', text: '有问题' },
        400,
        'notice.objection_text_length',
      ],
      [
        { candidateId: candidateA, objectorType: 'person', name: '张三', contact: '13812345678', text: '很'.repeat(5001) },
        400,
        'notice.objection_text_length',
      ],
    ];
    for (const [body, status, code] of refusals) {
      const refused = await objectAs(body);
      expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status, code });
    }
    const huge = await objectAs({
      candidateId: candidateA,
      objectorType: 'person',
      name: '张三',
      contact: '13812345678',
      text: 'x'.repeat(3_000_000),
    });
    expect(huge.status).toBeGreaterThanOrEqual(400);
    expect(huge.status).toBeLessThan(500);
    expect(huge.body.error.code).toEqual(expect.any(String));
    expect(await objectionCount()).toBe(0);

    const byPerson = await objectAs({ candidateId: candidateA, objectorType: 'person', name: '张三', contact: '13812345678', text }).expect(
      201,
    );
    expect(byPerson.body.receipt).toMatch(/^26-[2-9A-HJKMNP-Z]{8}$/);
    setTime('2026-09-29T01:30:00Z');
    const byUnit = await objectAs({
      candidateId: candidateA,
      objectorType: 'organisation',
      name: '王五',
      organisationName: '温州某某科技有限公司',
      contact: 'legal@example.cn',
      text: '该平台场地为我公司所有，未签订五年以上租赁合同。',
    }).expect(201);
    expect(byUnit.body.receipt).not.toBe(byPerson.body.receipt);

    // The unit's sealed letter follows with its receipt: a PDF by content, within 5 MB, once, for an organisation only.
    const letterOf = (receipt: string, bytes: Buffer) =>
      anonymous()
        .post(`/public/notices/${notice.id}/objections/${receipt}/letter`)
        .attach('file', bytes, { filename: '异议函.pdf', contentType: 'application/pdf' });
    const letterRefusals: [string, Buffer, number, string][] = [
      [byUnit.body.receipt, Buffer.from('%PDF-1.7 this is no PDF at all'), 415, 'notice.letter_not_pdf'],
      [byUnit.body.receipt, Buffer.alloc(5 * 1_048_576 + 10, 0x25), 413, 'notice.letter_too_large'],
      [byPerson.body.receipt, PDF_BYTES, 409, 'notice.letter_for_organisation'],
      ['26-ZZZZZZZZ', PDF_BYTES, 404, 'notice.objection_not_found'],
    ];
    for (const [receipt, bytes, status, code] of letterRefusals) {
      const refused = await letterOf(receipt, bytes);
      expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status, code });
    }
    await letterOf(byUnit.body.receipt, PDF_BYTES).expect(201);
    const twice = await letterOf(byUnit.body.receipt, PDF_BYTES);
    expect({ status: twice.status, code: twice.body.error?.code }).toEqual({ status: 409, code: 'notice.letter_exists' });

    // The objectors' identities: the bureau's investigating officers only; the public page still shows none of it.
    const objections = await as('bureau').get(`/notices/${notice.id}/objections`).expect(200);
    expect(objections.body.map((o: { name: string; contact: string }) => [o.name, o.contact])).toEqual([
      ['张三', '13812345678'],
      ['王五', 'legal@example.cn'],
    ]);
    expect(objections.body.map((o: { letterReceivedAt: string | null }) => o.letterReceivedAt !== null)).toEqual([false, true]);
    const letter = await as('bureau').get(`/notices/${notice.id}/objections/${objections.body[1].id}/letter`).expect(200);
    expect(letter.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-length': String(PDF_BYTES.length),
      'content-disposition': 'attachment; filename="objection-letter.pdf"',
      'x-content-type-options': 'nosniff',
    });
    await as('applicantA').get(`/notices/${notice.id}/objections/${objections.body[1].id}/letter`).expect(403);
    await as('applicantA').get(`/notices/${notice.id}/objections`).expect(403);
    await as('leader').get(`/notices/${notice.id}/objections`).expect(403);
    await anonymous().get(`/notices/${notice.id}/objections`).expect(401);
    for (const path of ['/public/notices', `/public/notices/${notice.id}`]) {
      const json = JSON.stringify((await anonymous().get(path).expect(200)).body);
      expect(json).not.toMatch(PHONE_OR_ID);
      expect(json).not.toMatch(PRIVATE_FIELDS);
      expect(json).not.toContain('张三');
      expect(json).not.toContain('@');
    }

    // One second before the end: close_notice is refused; the timer is due exactly at 24:00 of 9 October.
    setTime('2026-10-09T15:59:59Z');
    const early = await act(a, 'close_notice', { objectionUpheld: false });
    expect({ status: early.status, code: early.body.error.code }).toEqual({ status: 409, code: 'notice.not_ended' });
    const claimed = await act(a, 'close_notice', { objectionUpheld: true });
    expect({ status: claimed.status, code: claimed.body.error.code }).toEqual({ status: 409, code: 'notice.uphold_through_objection' });
    expect((await dossier(a)).stage).toBe('public_notice');
    await as('bureau')
      .post(`/notices/${notice.id}/objections/${objections.body[0].id}/decision`)
      .send({ decision: 'dismissed', resolution: '经核查，在孵企业数量属实。' })
      .expect(200);

    setTime('2026-10-09T16:00:00Z');
    await expect(test.app.get(TimersService).fire(`notice.close.${notice.id}`)).resolves.toBe('closed 2');
    expect((await dossier(a)).stage).toBe('notice_closed');
    expect((await dossier(b)).stage).toBe('notice_closed');
    expect((await anonymous().get(`/public/notices/${notice.id}`).expect(200)).body.status).toBe('closed');
    const audit = await db.query(`SELECT actor_role FROM audit_event WHERE action = 'notice.close' AND object_id = $1`, [notice.id]);
    expect(audit).toEqual([{ actor_role: 'system' }]);

    // After the period: objections refused, nothing stored.
    const late = await objectAs({ candidateId: candidateA, objectorType: 'person', name: '赵六', contact: '13912345678', text });
    expect({ status: late.status, code: late.body.error.code }).toEqual({ status: 409, code: 'notice.closed' });
    expect(await objectionCount()).toBe(2);

    // Recognition waits for every objection to be closed; B had none.
    const recognition = { documentNumber: '温科发〔2026〕88号', recognisedOn: '2026-10-09' };
    const blocked = await act(a, 'recognise', recognition);
    expect({ status: blocked.status, code: blocked.body.error.code }).toEqual({ status: 409, code: 'notice.objections_open' });
    expect((await act(b, 'recognise', recognition)).status).toBe(200);

    // The unit's objection is upheld three days later: the candidate goes back to decision.
    setTime('2026-10-12T02:00:00Z');
    const upheld = await as('bureau')
      .post(`/notices/${notice.id}/objections/${objections.body[1].id}/decision`)
      .send({ decision: 'upheld', outcome: 'decision', resolution: '经现场核查，租赁期限不足五年。' })
      .expect(200);
    expect(upheld.body).toMatchObject({ status: 'upheld', upheldOutcome: 'decision' });
    expect((await dossier(a)).stage).toBe('decision');
    const again = await as('bureau')
      .post(`/notices/${notice.id}/objections/${objections.body[1].id}/decision`)
      .send({ decision: 'dismissed', resolution: '重复' });
    expect({ status: again.status, code: again.body.error.code }).toEqual({ status: 409, code: 'notice.objection_decided' });

    // The objectors' personal data is erased 183 days after the last objection was closed, by the purge timer set at closing.
    const purgeTimers = async (): Promise<{ id: string; fire_at: Date; state: string }[]> =>
      db.query(
        `SELECT id, fire_at, state FROM notification_timer WHERE kind = 'notice.objector_purge' AND subject_id = $1 ORDER BY fire_at`,
        [notice.id],
      );
    const [first] = await purgeTimers();
    expect(first.fire_at.toISOString()).toBe('2027-04-10T16:00:00.000Z');
    const before = (await as('bureau').get(`/notices/${notice.id}/objections`).expect(200)).body;
    // Due at the notice's end plus the period, it finds the upheld objection decided three days later: it comes back then.
    setTime('2027-04-10T16:00:00Z');
    await expect(test.app.get(TimersService).fire(first.id)).resolves.toBe('retention runs until 2027-04-13T02:00:00.000Z: rescheduled');
    expect((await as('bureau').get(`/notices/${notice.id}/objections`).expect(200)).body).toEqual(before);
    const [, second] = await purgeTimers();
    expect(second).toMatchObject({ state: 'scheduled' });
    expect(second.fire_at.toISOString()).toBe('2027-04-13T02:00:00.000Z');
    setTime('2027-04-13T02:00:00Z');
    await expect(test.app.get(TimersService).fire(second.id)).resolves.toBe('purged 2');
    const purged = (await as('bureau').get(`/notices/${notice.id}/objections`).expect(200)).body;
    expect(
      purged.map((o: Record<string, unknown>) => [o.receipt, o.status, o.name, o.organisationName, o.contact, o.personalDataPurgedAt]),
    ).toEqual(before.map((o: Record<string, unknown>) => [o.receipt, o.status, null, null, null, '2027-04-13T02:00:00.000Z']));
    expect(purged.map((o: { resolution: string }) => o.resolution)).toEqual(before.map((o: { resolution: string }) => o.resolution));
    const [letterRow] = await db.query(`SELECT letter FROM notice_objection WHERE id = $1`, [before[1].id]);
    expect(letterRow.letter).toBeNull();
    expect((await as('bureau').get(`/notices/${notice.id}/objections/${before[1].id}/letter`)).status).toBe(404);
    const [purgeAudit] = await db.query(`SELECT summary FROM audit_event WHERE action = 'notice.objector_data_purged' AND object_id = $1`, [
      notice.id,
    ]);
    expect(purgeAudit.summary).toEqual({ by: 'timer', retentionDays: 183, receipts: before.map((o: { receipt: string }) => o.receipt) });
  });

  it('limits objections per client address in the shared store', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12 && !statuses.includes(429); i++) {
      const res = await anonymous()
        .post(`/public/notices/00000000-0000-4000-8000-000000000000/objections`)
        .send({ candidateId: '00000000-0000-4000-8000-000000000001', objectorType: 'person', text: 'x' });
      statuses.push(res.status);
      if (res.status === 429) expect(res.body.error.code).toBe('request.rate_limited');
    }
    expect(statuses).toContain(429);
    expect(await objectionCount()).toBe(2);
  });
});
