import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CONTRACT_FILES } from '../../apps/api/src/openapi';
import { type ApiClient, type Schemas, createApiClient, formData } from '../../apps/web/src/api/client';
import { makeUser, randomCreditCode } from '../../libs/identity/src/testing/identity-fixtures';
import { type TestApp, startTestApp } from '../support/app';
import { INCUBATOR_FORM, PDF_BYTES } from '../support/procedure';

const ROOT = join(__dirname, '../..');

type Action = Schemas['ActionRequest']['action'];
type Stage = Schemas['ApplicationDto']['stage'];
type Officer = 'county' | 'bureau';
type Step =
  | { who: Officer; action: Action; input?: Omit<Schemas['ActionRequest'], 'action' | 'expectedVersion'>; stage: Stage }
  | { who: 'applicant'; action: 'resubmit'; stage: Stage };

/**
 * The walk from a submitted dossier to its recognition, in the workflow's current actions: the one place to
 * update when the stages change. Each step: who acts, the action and its input, and the stage it leads to
 * (the applicant's step revises the form and resubmits).
 */
const WALK: Step[] = [
  { who: 'county', action: 'recommend', stage: 'formal_review' },
  { who: 'bureau', action: 'return_for_revision', input: { comment: '请补充场地租赁合同' }, stage: 'revision' },
  { who: 'applicant', action: 'resubmit', stage: 'formal_review' },
  { who: 'bureau', action: 'pass_formal_review', stage: 'expert_review' },
  { who: 'bureau', action: 'record_expert_result', input: { passed: true, score: 86 }, stage: 'site_inspection' },
  { who: 'bureau', action: 'record_inspection', input: { passed: true, score: 90 }, stage: 'decision' },
  { who: 'bureau', action: 'approve', stage: 'approved' },
  { who: 'bureau', action: 'publish_notice', stage: 'public_notice' },
  { who: 'bureau', action: 'close_notice', input: { objectionUpheld: false }, stage: 'notice_closed' },
  { who: 'bureau', action: 'recognise', input: { documentNumber: '温科发〔2027〕31号', recognisedOn: '2026-11-20' }, stage: 'recognised' },
];

/** The answer's data, or a failure naming the status and the error body (a typed client never guesses). */
function ok<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) throw new Error(`${result.response.status} ${JSON.stringify(result.error)}`);
  return result.data;
}

describe('the contract (apps/api/openapi.json) and the typed client generated from it', () => {
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
      test = await startTestApp();
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
              industryCodes: ['trad.electrical'],
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

      const [countyUser, bureauUser] = [
        await makeUser(db, { role: 'county_officer', regionCode: 'yueqing', email: `yueqing.${Date.now()}@example.cn` }),
        await makeUser(db, { role: 'bureau_officer' }),
      ];
      const officers: Record<Officer, ApiClient> = {
        county: await signIn(countyUser.email, countyUser.password),
        bureau: await signIn(bureauUser.email, bureauUser.password),
      };

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
          body: { platformType: 'incubator', callId: call.id, name: '乐清契约孵化器', subtype: 'comprehensive', form },
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

      let dossier = ok(await applicant.POST('/applications/{id}/submit', { ...path, body: { expectedVersion: signed.version } }));
      expect(dossier.stage).toBe('county_review');
      for (const step of WALK) {
        if (step.who === 'applicant') {
          const revised = ok(
            await applicant.PATCH('/applications/{id}', {
              ...path,
              body: { platformType: 'incubator', expectedVersion: dossier.version, form: { ...form, leaseYears: 10 } },
            }),
          );
          dossier = ok(await applicant.POST('/applications/{id}/submit', { ...path, body: { expectedVersion: revised.version } }));
        } else {
          dossier = ok(
            await officers[step.who].POST('/applications/{id}/actions', {
              ...path,
              body: { action: step.action, expectedVersion: dossier.version, ...step.input },
            }),
          );
        }
        expect([step.action, dossier.stage]).toEqual([step.action, step.stage]);
      }

      const timeline = ok(await applicant.GET('/applications/{id}/timeline', path));
      expect(timeline.application.stage).toBe('recognised');
      expect(timeline.events.map((event) => event.action)).toEqual(['submit', ...WALK.map((step) => step.action)]);
      const attachments = Object.values(timeline.attachmentsByRound).flat();
      expect(attachments).toEqual([expect.objectContaining({ id: uploaded.id, sizeBytes: PDF_BYTES.length })]);
      expect(attachments[0]).not.toHaveProperty('storageKey');
      const recognition = timeline.events.at(-1);
      expect(recognition?.input).toMatchObject({ documentNumber: '温科发〔2027〕31号' });
    });
  });
});
