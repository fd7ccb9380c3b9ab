import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Platform } from '@app/registry';
import { type TestApp, startTestApp } from '../support/app';
import { recognise, signIn } from '../support/registry-fixtures';

describe('rectification (整改) closed as passed or failed; revocation suggested to the bureau (HTTP)', () => {
  let test: TestApp;
  let db: DataSource;
  let bureau: string;
  let lucheng: string;
  let ruian: string;
  const statuses: number[] = [];

  beforeAll(async () => {
    test = await startTestApp();
    db = test.app.get(DataSource);
    [bureau, lucheng, ruian] = await Promise.all([
      signIn(test, 'bureau_officer'),
      signIn(test, 'county_officer', { regionCode: 'lucheng' }),
      signIn(test, 'county_officer', { regionCode: 'ruian' }),
    ]);
  });

  afterAll(async () => {
    await test?.close();
  });

  afterEach(() => {
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
  });

  const send = async (who: string, method: 'get' | 'post', path: string, body?: object): Promise<request.Response> => {
    const call = request(test.baseUrl)[method](path).set('authorization', who);
    const res = body ? await call.send(body) : await call;
    statuses.push(res.status);
    return res;
  };

  /** A platform of Lucheng whose 2023 report never came: graded absent, with its rectification open. */
  async function failingPlatform(): Promise<{ platform: Platform; rectificationId: string }> {
    const platform = await recognise(test, { type: 'maker_space', level: 'municipal', regionCode: 'lucheng', recognisedOn: '2022-03-01' });
    const graded = await send(bureau, 'post', `/platforms/${platform.id}/evaluations`, { year: 2023, evaluatedOn: '2024-06-30' });
    expect(graded.status).toBe(201);
    expect(graded.body.rectification).toMatchObject({ status: 'open', deadline: '2024-12-30' });
    return { platform, rectificationId: graded.body.rectification.id };
  }

  const stored = async (platformId: string): Promise<unknown> =>
    db.query(
      `SELECT (SELECT json_agg(json_build_object('status', status, 'closedOn', closed_on) ORDER BY opened_on) FROM rectification WHERE platform_id = $1) AS rectifications,
              (SELECT revocation_suggested_reason FROM platform WHERE id = $1) AS suggested,
              (SELECT count(*)::int FROM audit_event WHERE object_id = $1::text) AS audit,
              (SELECT count(*)::int FROM notification_delivery WHERE subject_id = $1::text) AS mails`,
      [platformId],
    );

  it('closes a rectification as passed: no suggestion, shown on the platform, a second closing refused (409)', async () => {
    const { platform, rectificationId } = await failingPlatform();
    const path = `/platforms/${platform.id}/rectifications/${rectificationId}/closing`;
    const passed = await send(lucheng, 'post', path, { outcome: 'passed', closedOn: '2024-12-20', note: '在孵企业已补足' });
    expect(passed.status).toBe(200);
    expect(passed.body).toEqual({
      rectification: expect.objectContaining({
        id: rectificationId,
        status: 'passed',
        closedOn: '2024-12-20',
        closingNote: '在孵企业已补足',
      }),
      suggestedRevocation: null,
    });
    const detail = await send(bureau, 'get', `/platforms/${platform.id}`);
    expect(detail.body.rectifications).toEqual([expect.objectContaining({ status: 'passed', closedOn: '2024-12-20' })]);
    expect(detail.body.revocationSuggestion).toBeNull();

    const before = await stored(platform.id);
    const again = await send(bureau, 'post', path, { outcome: 'failed', note: '复查不合格' });
    expect({ status: again.status, code: again.body.error.code }).toEqual({ status: 409, code: 'platform.rectification_closed' });
    expect(await stored(platform.id)).toEqual(before);
  });

  it('closes a failed rectification: the platform is flagged for revocation in its GET, audited, and the bureau is mailed', async () => {
    const { platform, rectificationId } = await failingPlatform();
    const failed = await send(bureau, 'post', `/platforms/${platform.id}/rectifications/${rectificationId}/closing`, {
      outcome: 'failed',
      closedOn: '2025-01-10',
      note: '整改期满复查，场地面积仍不足',
    });
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({
      rectification: { status: 'failed', closedOn: '2025-01-10' },
      suggestedRevocation: 'failed_rectification',
    });

    const detail = await send(bureau, 'get', `/platforms/${platform.id}`);
    expect(detail.body.revocationSuggestion).toEqual({ reason: 'failed_rectification', suggestedOn: '2025-01-10' });
    expect(detail.body.status).toBe('active');
    const [audit] = await db.query(`SELECT summary FROM audit_event WHERE object_id = $1 AND action = 'platform.revocation_suggested'`, [
      platform.id,
    ]);
    expect(audit.summary).toEqual({ reason: 'failed_rectification', suggestedOn: '2025-01-10' });
    const mails: { event: string; role: string }[] = await db.query(
      `SELECT d.event, u.role FROM notification_delivery d JOIN app_user u ON u.id = d.recipient_user_id WHERE d.subject_id = $1`,
      [platform.id],
    );
    expect(mails.length).toBeGreaterThan(0);
    expect(mails.every((m) => m.event === 'platform.revocation_suggested' && m.role === 'bureau_officer')).toBe(true);

    // The bureau revokes for it: the suggestion is answered and cleared; the history stays.
    await send(bureau, 'post', `/platforms/${platform.id}/revocation`, { reason: 'failed_rectification', revokedOn: '2025-02-01' });
    const revoked = await send(bureau, 'get', `/platforms/${platform.id}`);
    expect(revoked.body).toMatchObject({ status: 'revoked', revocationReason: 'failed_rectification', revocationSuggestion: null });
    expect(revoked.body.rectifications).toEqual([expect.objectContaining({ status: 'failed' })]);
  });

  it('flags a second failing grade in a row (failed_twice) on the platform too', async () => {
    const { platform } = await failingPlatform();
    const second = await send(bureau, 'post', `/platforms/${platform.id}/evaluations`, { year: 2024 });
    expect(second.body).toMatchObject({ evaluation: { grade: 'absent' }, suggestedRevocation: 'failed_twice' });
    const detail = await send(bureau, 'get', `/platforms/${platform.id}`);
    expect(detail.body.revocationSuggestion).toMatchObject({ reason: 'failed_twice' });
  });

  it('refuses bad closings with a clear 4xx and stores nothing', async () => {
    const { platform, rectificationId } = await failingPlatform();
    const path = `/platforms/${platform.id}/rectifications/${rectificationId}/closing`;
    const before = await stored(platform.id);
    const cases: [string, string, object, number, string][] = [
      [bureau, path, { outcome: 'maybe' }, 400, 'request.validation_failed'],
      [bureau, path, { outcome: 'passed', extra: 1 }, 400, 'request.validation_failed'],
      [bureau, path, { outcome: 'passed', closedOn: '2024-02-30' }, 400, 'request.validation_failed'],
      [bureau, path, { outcome: 'failed' }, 400, 'platform.note_required'],
      [bureau, path, { outcome: 'passed', closedOn: '2024-01-01' }, 400, 'platform.date_out_of_range'],
      [bureau, path, { outcome: 'passed', closedOn: '2099-01-01' }, 400, 'platform.date_out_of_range'],
      [bureau, `/platforms/${platform.id}/rectifications/not-a-uuid/closing`, { outcome: 'passed' }, 400, 'request.validation_failed'],
      [
        bureau,
        `/platforms/${platform.id}/rectifications/${platform.id}/closing`,
        { outcome: 'passed' },
        404,
        'platform.rectification_not_found',
      ],
      // Another county's officer does not see the platform at all.
      [ruian, path, { outcome: 'passed' }, 404, 'platform.not_found'],
    ];
    for (const [who, target, body, status, code] of cases) {
      const res = await send(who, 'post', target, body);
      expect({ body, status: res.status, code: res.body.error?.code }).toEqual({ body, status, code });
    }
    expect(await stored(platform.id)).toEqual(before);
  });
});
