import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CONTRACT_FILES } from '../../apps/api/src/openapi';
import { NoticeClosingModule } from '../../apps/worker/src/notices/notice-closing';
import { type ApiClient, type Schemas, createApiClient, formData } from '../../apps/web/src/api/client';
import { Clock } from '../../libs/common/src';
import { TimersService } from '../../libs/notifications/src';
import { makeUser, randomCreditCode } from '../../libs/identity/src/testing/identity-fixtures';
import { type TestApp, startTestApp } from '../support/app';
import { INCUBATOR_FORM, PDF_BYTES } from '../support/procedure';

const ROOT = join(__dirname, '../..');

type Action = Schemas['ActionRequest']['action'];
type Stage = Schemas['ApplicationDto']['stage'];
type Officer = 'county' | 'bureau';
/** A part of the walk that is more than one action: its requests are in the test, under the same name. */
type Task =
  'revise_and_resubmit' | 'review_by_panel' | 'inspect_site' | 'decide_sign_off_and_release' | 'publish_notice' | 'close_notice_at_its_end';
type Step =
  | { who: Officer; action: Action; input?: Omit<Schemas['ActionRequest'], 'action' | 'expectedVersion'>; stage: Stage }
  | { task: Task; stage: Stage; records?: Action };

/**
 * The walk from a submitted dossier to its recognition, in the workflow's current procedure: the one place to
 * update when the stages change. Each step is either an officer's action (who acts, the action and its input)
 * or a task of several requests (the applicant's revision, the expert panel, the site inspection, the
 * meeting's decision, the public notice), with the stage it leads to and the action the timeline records for it.
 */
const WALK: Step[] = [
  { who: 'county', action: 'recommend', stage: 'formal_review' },
  { who: 'bureau', action: 'return_for_revision', input: { comment: '请补充场地租赁合同' }, stage: 'revision' },
  { task: 'revise_and_resubmit', stage: 'formal_review', records: 'resubmit' },
  { who: 'bureau', action: 'pass_formal_review', stage: 'expert_review' },
  { task: 'review_by_panel', stage: 'expert_review' },
  // The expert result is the closed panel's aggregate, the inspection's the team's signed result: neither is typed.
  { who: 'bureau', action: 'record_expert_result', stage: 'site_inspection' },
  { task: 'inspect_site', stage: 'site_inspection' },
  { who: 'bureau', action: 'record_inspection', stage: 'decision' },
  { task: 'decide_sign_off_and_release', stage: 'approved', records: 'approve' },
  { task: 'publish_notice', stage: 'public_notice', records: 'publish_notice' },
  { task: 'close_notice_at_its_end', stage: 'notice_closed', records: 'close_notice' },
  { who: 'bureau', action: 'recognise', input: { documentNumber: '温科发〔2027〕31号', recognisedOn: '2026-11-20' }, stage: 'recognised' },
];

/** What the timeline records for the walk, in order. */
const recorded = (step: Step): Action[] => ('action' in step ? [step.action] : step.records ? [step.records] : []);

/** The answer's data, or a failure naming the status and the error body (a typed client never guesses). */
function ok<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) throw new Error(`${result.response.status} ${JSON.stringify(result.error)}`);
  return result.data;
}

describe('the contract (apps/api/openapi.json) and the typed client generated from it', () => {
  it('types every field: none comes out as an empty object in the client (a nullable field needs its type named)', () => {
    const schema = readFileSync(join(ROOT, 'apps/web/src/api/schema.ts'), 'utf8');
    const untyped = schema
      .split('\n')
      .filter((line) => line.includes('Record<string, never>') && !/^export type (webhooks|\$defs) =/.test(line));
    expect(untyped).toEqual([]);
  });

  it('is what the code generates (else: run `npm run openapi` and commit both files)', async () => {
    // The built checker (npm test builds first): openapi-typescript and prettier load as plain Node modules there.
    const result = await new Promise<{ code: number | null; output: string }>((done) => {
      execFile(process.execPath, [join(ROOT, 'dist/apps/api/src/openapi.cli.js'), '--check'], { cwd: ROOT }, (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` }),
      );
    });
    if (result.code !== 0) throw new Error(result.output);
  });

  describe('over HTTP', () => {
    let test: TestApp;
    let db: DataSource;
    let anonymous: ApiClient;

    beforeAll(async () => {
      // The worker's notice closing, without its queue processors: the walk fires the notice's timer itself.
      test = await startTestApp({ extraModules: [NoticeClosingModule] });
      db = test.app.get(DataSource);
      anonymous = createApiClient({ baseUrl: test.baseUrl });
    });

    afterAll(async () => {
      await test?.close();
    });

    async function signIn(email: string, password: string): Promise<ApiClient> {
      const { accessToken } = ok(await anonymous.POST('/auth/login', { body: { email, password } }));
      return createApiClient({ baseUrl: test.baseUrl, accessToken: () => accessToken });
    }

    it('is the document the API serves', async () => {
      const served = await request(test.baseUrl).get('/docs/openapi.json').expect(200);
      expect(served.body).toEqual(JSON.parse(readFileSync(join(ROOT, CONTRACT_FILES.document), 'utf8')));
    });

    it('answers a bad date and a malformed path id with 400 naming the field, Chinese first', async () => {
      const bureauUser = await makeUser(db, { role: 'bureau_officer' });
      const bureau = await signIn(bureauUser.email, bureauUser.password);
      const badDate = await bureau.POST('/calls', {
        body: {
          platformType: 'incubator',
          level: 'municipal',
          year: 2027,
          title: '2027年度温州市科技企业孵化器认定',
          opensAt: '下周二',
          closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
      });
      expect(badDate.response.status).toBe(400);
      expect(badDate.error?.error).toEqual({
        code: 'request.validation_failed',
        message: expect.any(String),
        details: {
          fields: [
            {
              field: 'opensAt',
              problems: [
                'opensAt 须为 ISO 8601 日期时间，如 2027-03-01T09:00:00+08:00。opensAt must be an ISO 8601 date-time, e.g. 2027-03-01T09:00:00+08:00.',
              ],
            },
          ],
        },
      });
      const uuidProblem = { fields: [{ field: 'id', problems: ['id 须为 UUID。id must be a UUID.'] }] };
      const byPipe = await bureau.GET('/applications/{id}', { params: { path: { id: 'not-a-uuid' } } });
      expect([byPipe.response.status, byPipe.error?.error.details]).toEqual([400, uuidProblem]);
      const byClass = await bureau.GET('/platforms/{id}', { params: { path: { id: 'not-a-uuid' } } });
      expect([byClass.response.status, byClass.error?.error.details]).toEqual([400, uuidProblem]);
    });

    it('carries a dossier from registration to recognition with nothing but the generated client', async () => {
      const INDUSTRIES = ['trad.electrical'];
      const password = 'Strong-Passphrase-2027';
      const email = `contract-${Date.now()}@example.cn`;
      const registered = ok(
        await anonymous.POST('/auth/register', {
          body: {
            organisation: {
              creditCode: randomCreditCode('330382'),
              name: '乐清契约电气有限公司',
              legalForm: 'enterprise',
              regionCode: 'yueqing',
              industryCodes: INDUSTRIES,
              address: '浙江省乐清市测试路8号',
              contactName: '张三',
              contactPhone: '0577-61234567',
            },
            user: { email, name: '张三', password },
          },
        }),
      );
      expect(registered.emailVerificationRequired).toBe(true);
      // The verification token travels by mail; the outbox holds what the mail carries.
      const [mail]: { token: string }[] = await db.query(
        `SELECT data->>'token' AS token FROM notification_delivery WHERE recipient_email = $1 AND event = 'account.verify_email'`,
        [email],
      );
      ok(await anonymous.POST('/auth/verify-email', { body: { token: mail.token } }));
      const applicant = await signIn(email, password);

      const [countyUser, bureauUser, leaderUser] = [
        await makeUser(db, { role: 'county_officer', regionCode: 'yueqing', email: `yueqing.${Date.now()}@example.cn` }),
        await makeUser(db, { role: 'bureau_officer' }),
        await makeUser(db, { role: 'leader' }),
      ];
      const officers: Record<Officer, ApiClient> = {
        county: await signIn(countyUser.email, countyUser.password),
        bureau: await signIn(bureauUser.email, bureauUser.password),
      };
      const leader = await signIn(leaderUser.email, leaderUser.password);
      // The experts' pool, of the dossier's field: enough for the default panel of 5 with its reserves.
      const experts = new Map<string, ApiClient>();
      for (let i = 0; i < 7; i++) {
        const expert = await makeUser(db, {
          role: 'expert',
          name: `契约评审专家${i}`,
          expertise: INDUSTRIES,
          employerName: `温州理工学院${i}`,
        });
        experts.set(expert.id, await signIn(expert.email, expert.password));
      }

      const call = ok(
        await officers.bureau.POST('/calls', {
          body: {
            platformType: 'incubator',
            level: 'municipal',
            year: 2027,
            title: '2027年度温州市科技企业孵化器认定',
            opensAt: new Date(Date.now() - 86_400_000).toISOString(),
            closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
            requiredDocuments: [{ code: 'business_licence', nameZh: '营业执照', nameEn: 'Business licence', required: true }],
          },
        }),
      );
      expect(call.eligibilityRules.length).toBeGreaterThan(0);
      ok(await officers.bureau.PATCH('/calls/{id}', { params: { path: { id: call.id } }, body: { status: 'open' } }));

      const form: Schemas['IncubatorForm'] = INCUBATOR_FORM;
      const draft = ok(
        await applicant.POST('/applications', {
          body: {
            platformType: 'incubator',
            callId: call.id,
            name: '乐清契约孵化器',
            subtype: 'comprehensive',
            industries: INDUSTRIES,
            form,
          },
        }),
      );
      const id = draft.id;
      const path = { params: { path: { id } } };
      const signed = ok(
        await applicant.PATCH('/applications/{id}', {
          ...path,
          body: { platformType: 'incubator', expectedVersion: draft.version, pledgeSigned: true },
        }),
      );
      const uploaded = ok(
        await applicant.POST('/applications/{id}/attachments', {
          ...path,
          body: {
            documentCode: 'business_licence',
            file: new File([new Uint8Array(PDF_BYTES)], '营业执照.pdf', { type: 'application/pdf' }),
          },
          bodySerializer: formData,
        }),
      );
      expect(uploaded).toMatchObject({ documentCode: 'business_licence', sizeBytes: PDF_BYTES.length, contentType: 'application/pdf' });
      const eligibility = ok(await applicant.GET('/applications/{id}/eligibility', path));
      expect(eligibility.hardFailures).toBe(0);
      expect(eligibility.results.every((result) => typeof result.passed === 'boolean' && result.message.length > 0)).toBe(true);

      let dossier: { version: number; stage: Stage } = ok(
        await applicant.POST('/applications/{id}/submit', { ...path, body: { expectedVersion: signed.version } }),
      );
      expect(dossier.stage).toBe('county_review');
      let panel: Schemas['PanelDto'] | undefined;
      let notice: Schemas['NoticeDto'] | undefined;

      const tasks: Record<Task, () => Promise<void>> = {
        async revise_and_resubmit() {
          const revised = ok(
            await applicant.PATCH('/applications/{id}', {
              ...path,
              body: { platformType: 'incubator', expectedVersion: dossier.version, form: { ...form, leaseYears: 10 } },
            }),
          );
          ok(await applicant.POST('/applications/{id}/submit', { ...path, body: { expectedVersion: revised.version } }));
        },
        /** The bureau draws a panel; each seated expert declares no conflict and scores; the bureau closes the panel. */
        async review_by_panel() {
          const drawn = ok(await officers.bureau.POST('/applications/{id}/panel', { ...path, body: {} }));
          for (const seat of drawn.seats.filter((s) => s.active)) {
            const expert = experts.get(seat.expertId);
            if (!expert) throw new Error(`the panel seated ${seat.expertId}, not an expert of this test`);
            const assignment = ok(await expert.GET('/reviews/assignments')).items.find((a) => a.applicationId === id);
            if (!assignment) throw new Error(`no assignment of ${seat.expertId} on the dossier`);
            const seatPath = { params: { path: { id: assignment.id } } };
            ok(await expert.POST('/reviews/assignments/{id}/declaration', { ...seatPath, body: { conflict: false } }));
            const scores = assignment.criteria.map((criterion) => ({ criterion: criterion.code, value: 86 }));
            ok(await expert.POST('/reviews/assignments/{id}/score', { ...seatPath, body: { scores } }));
          }
          panel = ok(await officers.bureau.POST('/applications/{id}/panel/close', path));
          expect(panel.result).toMatchObject({ score: 86, passed: true });
        },
        /** The bureau sets the team (itself, the county officer, an expert) and the checklist; each member signs. */
        async inspect_site() {
          const [expertId, expert] = [...experts][0];
          const team = [
            { userId: bureauUser.id, client: officers.bureau },
            { userId: countyUser.id, client: officers.county },
            { userId: expertId, client: expert },
          ];
          const created = ok(
            await officers.bureau.POST('/applications/{id}/inspection', {
              ...path,
              body: { visitDate: '2027-05-20', team: team.map(({ userId }) => ({ userId })) },
            }),
          );
          const items: Schemas['ChecklistItemRequest'][] = created.checklist.map((item) => ({ code: item.code, status: 'verified' }));
          ok(await officers.bureau.POST('/applications/{id}/inspection', { ...path, body: { items, result: 'passed' } }));
          let inspection = created;
          for (const member of team) inspection = ok(await member.client.POST('/applications/{id}/inspection/sign', path));
          expect(inspection).toMatchObject({ status: 'signed', result: 'passed' });
        },
        /** The meeting's decision, signed off by the leader, goes out with the call's release. */
        async decide_sign_off_and_release() {
          ok(
            await officers.bureau.POST('/applications/{id}/decision', {
              ...path,
              body: {
                outcome: 'approve',
                meeting: { kind: 'director_office_meeting', date: '2027-06-10', reference: '局长办公会纪要〔2027〕5号' },
              },
            }),
          );
          ok(await leader.POST('/applications/{id}/decision/sign-off', path));
          ok(await officers.bureau.POST('/calls/{id}/releases', { params: { path: { id: call.id } } }));
        },
        async publish_notice() {
          notice = ok(await officers.bureau.POST('/notices', { body: { callId: call.id, applicationIds: [id] } }));
        },
        /** The notice closes itself by its timer: the clock set to its end, the timer fired (the app's internals, not the API). */
        async close_notice_at_its_end() {
          if (!notice) throw new Error('no notice published');
          const clock = jest.spyOn(test.app.get(Clock), 'now').mockReturnValue(new Date(notice.closesAt));
          try {
            await expect(test.app.get(TimersService).fire(`notice.close.${notice.id}`)).resolves.toBe('closed 1');
          } finally {
            clock.mockRestore();
          }
        },
      };

      for (const step of WALK) {
        if ('action' in step) {
          dossier = ok(
            await officers[step.who].POST('/applications/{id}/actions', {
              ...path,
              body: { action: step.action, expectedVersion: dossier.version, ...step.input },
            }),
          );
        } else {
          await tasks[step.task]();
          dossier = ok(await officers.bureau.GET('/applications/{id}', path));
        }
        const name = 'action' in step ? step.action : step.task;
        expect([name, dossier.stage]).toEqual([name, step.stage]);
      }

      const timeline = ok(await applicant.GET('/applications/{id}/timeline', path));
      expect(timeline.application.stage).toBe('recognised');
      expect(timeline.events.map((event) => event.action)).toEqual(['submit', ...WALK.flatMap(recorded)]);
      const expertResult = timeline.events.find((event) => event.action === 'record_expert_result');
      expect(expertResult?.input).toEqual({ passed: true, score: 86, evidenceId: panel?.id });
      const attachments = Object.values(timeline.attachmentsByRound).flat();
      expect(attachments).toEqual([expect.objectContaining({ id: uploaded.id, sizeBytes: PDF_BYTES.length })]);
      expect(attachments[0]).not.toHaveProperty('storageKey');
      const recognition = timeline.events.at(-1);
      expect(recognition?.input).toMatchObject({ documentNumber: '温科发〔2027〕31号' });
    });
  });
});
