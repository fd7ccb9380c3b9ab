import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Platform } from '@app/registry';
import { samplePdf } from '../../libs/applications/src/attachments/testing/sample-files';
import { type TestApp, startTestApp } from '../support/app';
import { type Cast, INCUBATOR_FORM, makeCast, openCall } from '../support/procedure';
import { recognise } from '../support/registry-fixtures';

describe('a promotion dossier names a platform of its own organisation (HTTP)', () => {
  let test: TestApp;
  let db: DataSource;
  let cast: Cast;
  let provincialCall: string;
  const statuses: number[] = [];

  beforeAll(async () => {
    test = await startTestApp();
    db = test.app.get(DataSource);
    cast = await makeCast(test.baseUrl, db);
    provincialCall = await openCall(test.baseUrl, cast.tokens.bureau, {
      level: 'provincial',
      title: '2027年度浙江省科技企业孵化器推荐',
    });
  });

  afterAll(async () => {
    await test?.close();
  });

  afterEach(() => {
    // QUALITY.md: a 5xx anywhere is a failure.
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
  });

  const send = async (
    who: keyof Cast['tokens'],
    method: 'get' | 'post' | 'patch',
    path: string,
    body?: object,
  ): Promise<request.Response> => {
    const call = request(test.baseUrl)[method](path).auth(cast.tokens[who], { type: 'bearer' });
    const res = body ? await call.send(body) : await call;
    statuses.push(res.status);
    return res;
  };

  const create = (promotedFromPlatformId: string): Promise<request.Response> =>
    send('applicantA', 'post', '/applications', {
      callId: provincialCall,
      name: '瓯江科创孵化器（省级）',
      subtype: 'comprehensive',
      form: INCUBATOR_FORM,
      promotedFromPlatformId,
    });

  async function stored(): Promise<{ applications: number; audit: number }> {
    const [row] = await db.query(
      `SELECT (SELECT count(*)::int FROM application) AS applications,
              (SELECT count(*)::int FROM audit_event WHERE action = 'application.create') AS audit`,
    );
    return row;
  }

  const platformOf = (overrides: Partial<Platform> & { organisationId: string | null; creditCode?: string | null }): Promise<Platform> =>
    recognise(test, { type: 'incubator', level: 'municipal', subtype: 'comprehensive', ...overrides });

  it('answers 422 alike for another organisation’s platform and an unknown id, and stores nothing', async () => {
    const foreign = await platformOf({ organisationId: cast.orgB.id, creditCode: cast.orgB.creditCode });
    const before = await stored();
    const refused = await create(foreign.id);
    const unknown = await create(randomUUID());
    expect(refused.status).toBe(422);
    expect(unknown.status).toBe(422);
    expect(refused.body.error.code).toBe('application.promotion_source_unknown');
    // Same code and message: the answer does not tell an existing foreign platform from a made-up id.
    expect({ ...refused.body.error, details: undefined }).toEqual({ ...unknown.body.error, details: undefined });
    expect(await stored()).toEqual(before);
    // Nothing links to the foreign platform.
    const shown = await send('bureau', 'get', `/platforms/${foreign.id}`);
    expect(shown.status).toBe(200);
    expect(shown.body.promotedTo).toEqual([]);
  });

  it('refuses a platform of another type, one at the call’s level or above, and a revoked one (422), storing nothing', async () => {
    const keyLab = await platformOf({ organisationId: cast.orgA.id, type: 'key_lab', subtype: null });
    const provincial = await platformOf({ organisationId: cast.orgA.id, level: 'provincial' });
    const national = await platformOf({ organisationId: cast.orgA.id, level: 'national' });
    const revoked = await platformOf({ organisationId: cast.orgA.id });
    await db.query(`UPDATE platform SET status = 'revoked', revoked_on = '2026-01-01', revocation_reason = 'ceased' WHERE id = $1`, [
      revoked.id,
    ]);
    const before = await stored();
    const cases: [Platform, string][] = [
      [keyLab, 'application.promotion_type_mismatch'],
      [provincial, 'application.promotion_level_not_higher'],
      [national, 'application.promotion_level_not_higher'],
      [revoked, 'application.promotion_source_revoked'],
    ];
    for (const [platform, code] of cases) {
      const res = await create(platform.id);
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 422, code });
      expect(res.body.error.details).toMatchObject({ field: 'promotedFromPlatformId' });
    }
    expect(await stored()).toEqual(before);
  });

  it('links an own municipal platform (or an imported one with the organisation’s credit code) and shows it to the applicant and reviewers', async () => {
    const own = await platformOf({ organisationId: cast.orgA.id, documentNumber: '温科发〔2024〕7号' });
    const imported = await platformOf({ organisationId: null, creditCode: cast.orgA.creditCode });
    const importedDossier = await create(imported.id);
    expect(importedDossier.status).toBe(201);
    expect(importedDossier.body.promotedFrom).toMatchObject({ id: imported.id, level: 'municipal' });

    const created = await create(own.id);
    expect(created.status).toBe(201);
    const expected = {
      id: own.id,
      name: own.name,
      type: 'incubator',
      level: 'municipal',
      recognisedOn: own.recognisedOn,
      documentNumber: '温科发〔2024〕7号',
      status: 'active',
    };
    expect(created.body).toMatchObject({ promotedFromPlatformId: own.id, promotedFrom: expected });
    // Reviewers see the dossier once it is submitted.
    const signed = await send('applicantA', 'patch', `/applications/${created.body.id}`, {
      expectedVersion: created.body.version,
      pledgeSigned: true,
    });
    const uploaded = await request(test.baseUrl)
      .post(`/applications/${created.body.id}/attachments`)
      .auth(cast.tokens.applicantA, { type: 'bearer' })
      .field('documentCode', 'business_licence')
      .attach('file', samplePdf(), { filename: '营业执照.pdf', contentType: 'application/pdf' });
    expect(uploaded.status).toBe(201);
    const submitted = await send('applicantA', 'post', `/applications/${created.body.id}/submit`, { expectedVersion: signed.body.version });
    expect(submitted.body).toMatchObject({ stage: 'county_review' });
    for (const who of ['applicantA', 'countyA', 'bureau', 'leader'] as const) {
      const shown = await send(who, 'get', `/applications/${created.body.id}`);
      expect({ who, status: shown.status, promotedFrom: shown.body.promotedFrom }).toEqual({ who, status: 200, promotedFrom: expected });
      const timeline = await send(who, 'get', `/applications/${created.body.id}/timeline`);
      expect(timeline.body.application.promotedFrom).toEqual(expected);
    }
    const listed = await send('applicantA', 'get', `/applications?callId=${provincialCall}`);
    expect(listed.body.items.find((item: { id: string }) => item.id === created.body.id)).toMatchObject({ promotedFromPlatformId: own.id });
    // Still out of reach for others: 404 as for any dossier outside the scope.
    expect((await send('applicantB', 'get', `/applications/${created.body.id}`)).status).toBe(404);
    expect((await send('countyB', 'get', `/applications/${created.body.id}`)).status).toBe(404);
  });

  it('cannot set or change the link on a draft afterwards (400, unchanged)', async () => {
    const own = await platformOf({ organisationId: cast.orgA.id });
    const foreign = await platformOf({ organisationId: cast.orgB.id });
    const draft = await create(own.id);
    expect(draft.status).toBe(201);
    const patched = await send('applicantA', 'patch', `/applications/${draft.body.id}`, {
      expectedVersion: draft.body.version,
      promotedFromPlatformId: foreign.id,
    });
    expect(patched.status).toBe(400);
    const [row] = await db.query('SELECT promoted_from_platform_id, version FROM application WHERE id = $1', [draft.body.id]);
    expect(row).toEqual({ promoted_from_platform_id: own.id, version: draft.body.version });
  });
});
