/// <reference lib="dom" />
// The page functions below run in the browser.
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Browser } from 'playwright-core';
import type { User } from '@app/identity';
import { makeOrganisation, makeUser } from '../../libs/identity/src/testing/identity-fixtures';
import { type TestApp, startTestApp } from '../support/app';
import { browserIt, keepScreenshot, launchBrowser, openPage, seriousAxeViolations, signInThroughScreen } from '../support/browser';
import { type Cast, INCUBATOR_FORM, PDF_BYTES, inspectSite, makeCast, makeExperts, openCall, reviewByPanel } from '../support/procedure';
import { recognise, signIn } from '../support/registry-fixtures';

/**
 * The leaders' screens in the web app: the dashboard (moved from the server-rendered /dashboard page,
 * with every number its test checked) and the decisions awaiting their sign-off.
 */
describe('the web app for leaders: the dashboard and the sign-off', () => {
  let test: TestApp;
  let db: DataSource;
  let browser: Browser | undefined;
  let leader: User & { password: string };
  let applicant: User & { password: string };

  beforeAll(async () => {
    test = await startTestApp();
    db = test.app.get(DataSource);
    leader = await makeUser(db, { role: 'leader', name: '测试局长' });
    applicant = await makeUser(db, { role: 'applicant', organisationId: (await makeOrganisation(db)).id, isOrganisationOwner: true });
    // A small registry: 3 key labs (one promoted: counts once), 2 provincial incubators (one in a zone), 1 revoked NRI.
    const lab = await recognise(test, { type: 'key_lab', level: 'municipal', recognisedOn: '2023-04-01' });
    await recognise(test, {
      type: 'key_lab',
      level: 'provincial',
      recognisedOn: '2025-05-01',
      promotedFromId: lab.id,
      name: `${lab.name}（省级）`,
    });
    await recognise(test, { type: 'key_lab', level: 'municipal', recognisedOn: '2024-08-01' });
    await recognise(test, { type: 'incubator', level: 'provincial', regionCode: 'wenzhou_bay', recognisedOn: '2024-03-01' });
    await recognise(test, { type: 'maker_space', level: 'national', regionCode: 'ruian', recognisedOn: '2025-09-09' });
    const nri = await recognise(test, {
      type: 'new_rd_institution',
      level: 'municipal',
      recognisedOn: '2023-10-10',
      industries: ['emerg.digital'],
    });
    await request(test.baseUrl)
      .post(`/platforms/${nri.id}/revocation`)
      .set('authorization', await signIn(test, 'bureau_officer'))
      .send({ reason: 'ceased', revokedOn: '2026-01-15' })
      .expect(200);
    await request(test.baseUrl)
      .put('/indicators')
      .set('authorization', await signIn(test, 'admin'))
      .send({ year: 2025, values: [{ code: 'high_tech_enterprises', value: 5600 }] })
      .expect(200);
    browser = await launchBrowser().catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  it('leads the old /dashboard address to the dashboard screen, and no longer serves its page or script', async () => {
    await request(test.baseUrl).get('/dashboard').expect(302).expect('location', '/app/leader');
    await request(test.baseUrl).get('/dashboard/dashboard.js').expect(404);
    await request(test.baseUrl).get('/dashboard/echarts.min.js').expect(404);
  });

  browserIt('shows a leader the charts drawn with the right numbers, a past day, the breakdowns, and prints', async () => {
    const api = await request(test.baseUrl)
      .get('/targets/progress?by=county')
      .set('authorization', await signIn(test, 'leader'))
      .expect(200);
    const expected = new Map<string, number>(api.body.targets.map((t: { code: string; value: number }) => [t.code, t.value]));
    expect(expected.get('key_lab.municipal_plus')).toBe(2);
    expect(expected.get('incubation.provincial_plus')).toBe(2);
    expect(expected.get('nri.total')).toBe(0);

    const { page, problems, context } = await openPage(browser!);
    await signInThroughScreen(page, test.baseUrl, leader.email, leader.password);
    expect(page.url()).toBe(`${test.baseUrl}/app/leader`);
    await page.waitForSelector('[data-test=summary-table] tbody tr', { timeout: 15_000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-test=charts] canvas').length >= 9, undefined, { timeout: 15_000 });

    const shown = await page.$$eval('[data-test=summary-table] tbody tr', (rows) =>
      rows.map((r) => [r.getAttribute('data-code'), Number(r.getAttribute('data-value')), r.children[1].textContent]),
    );
    expect(shown).toHaveLength(9);
    for (const [code, value, text] of shown) {
      expect(value).toBe(expected.get(code as string));
      expect(text).toBe(Number(value).toLocaleString('zh-CN'));
    }
    const keyLabCaption = await page.textContent('.chart-card[data-code="key_lab.municipal_plus"] [data-test=caption]');
    expect(keyLabCaption).toContain('当前 2 家 / 目标 150');
    expect(
      await page.$$eval('[data-test=charts] canvas', (canvases) => canvases.filter((c) => (c as HTMLCanvasElement).width > 0).length),
    ).toBeGreaterThanOrEqual(9);
    // County coverage: the zone's incubator covers Longwan; Rui'an has a national maker space; Taishun has none.
    expect(await page.textContent('[data-test=county-table] tr[data-county="longwan"]')).toContain('已覆盖');
    expect(await page.textContent('[data-test=county-table] tr[data-county="ruian"]')).toContain('已覆盖');
    expect(await page.textContent('[data-test=county-table] tr[data-county="taishun"]')).toContain('未覆盖');
    expect(await page.textContent('[data-test=county-table] tbody')).toContain('已覆盖 2 / 12');
    expect(await page.isVisible('[data-test=funnel-empty]')).toBe(true);
    expect(await page.textContent('[data-test=indicator-table] tr[data-indicator="high_tech_enterprises"] td[data-year="2025"]')).toBe(
      '5,600 / 5,500',
    );
    expect(await page.textContent('[data-test=industry-chips]')).toContain('✗ 数字经济');
    // The plan column shows whole platforms (it showed decimals such as 12.37 before).
    const planned = await page.$$eval('[data-test=forecast-table] [data-test=planned]', (cells) => cells.map((c) => c.textContent ?? ''));
    expect(planned).toHaveLength(9);
    for (const text of planned) expect(text).toMatch(/^(—|[\d,]+)$/);
    // The county breakdown of the key labs, as the API counts them.
    const keyLabs = api.body.targets.find((t: { code: string }) => t.code === 'key_lab.municipal_plus');
    const lucheng = keyLabs.breakdown.items.find((i: { key: string }) => i.key === 'lucheng');
    expect(lucheng.value).toBe(2);
    expect(await page.textContent('[data-test=breakdown-table] tr[data-key="lucheng"]')).toContain('2');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await keepScreenshot(page, 'web-leader-dashboard');

    // By level: the breakdown table is read again from the API.
    await page.click('[data-test=by]');
    await page.click('.el-select-dropdown__item:has-text("级别")');
    await page.waitForSelector('[data-test=breakdown-table] tr[data-key="provincial"]');

    // A past day shows that day's numbers: the NRI revoked in 2026 still counted at the end of 2025.
    await page.fill('#as-of', '2025-12-31');
    await page.press('#as-of', 'Enter');
    await page.click('[data-test=refresh]');
    await page.waitForFunction(() => document.querySelector('[data-test=as-of-label]')?.textContent === '2025-12-31');
    await page.waitForFunction(
      () => document.querySelector('[data-test=summary-table] tr[data-code="nri.total"]')?.getAttribute('data-value') === '1',
    );

    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('[data-test=toolbar]')).toBe(false);
    expect(await page.isVisible('[data-test=summary-table]')).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });

  browserIt(
    'asks for the right password, and sends an applicant who opens the dashboard to their own home; the API refuses them the numbers',
    async () => {
      await request(test.baseUrl)
        .get('/targets/progress')
        .set('authorization', await signIn(test, 'applicant'))
        .expect(403);
      const { page, problems, context } = await openPage(browser!);
      // A wrong password first (the old page's own login form was tested for it): the API's message on the sign-in screen.
      await page.goto(`${test.baseUrl}/app/leader`);
      await page.waitForURL(/\/app\/login/);
      await page.fill('[data-test=email]', leader.email);
      await page.fill('[data-test=password]', 'wrong-password-123');
      await page.click('[data-test=login-submit]');
      expect(await (await page.waitForSelector('[data-test=login-error]')).textContent()).toContain('邮箱或密码错误');
      await signInThroughScreen(page, test.baseUrl, applicant.email, applicant.password);
      await page.goto(`${test.baseUrl}/app/leader`);
      await page.waitForURL(`${test.baseUrl}/app/applicant`);
      expect(await page.$$('[data-test=charts] canvas')).toHaveLength(0);
      expect(problems).toEqual([]);
      await context.close();
    },
  );

  describe('the sign-off', () => {
    let cast: Cast;
    let experts: { id: string; token: string }[];
    let dossierId: string;

    beforeAll(async () => {
      cast = await makeCast(test.baseUrl, db);
      const callId = await openCall(test.baseUrl, cast.tokens.bureau);
      experts = [{ id: cast.users.expert.id, token: cast.tokens.expert }, ...(await makeExperts(test.baseUrl, db, 10))];
      const as = (who: keyof Cast['tokens']) => ({
        get: (path: string) => request(test.baseUrl).get(path).auth(cast.tokens[who], { type: 'bearer' }),
        post: (path: string) => request(test.baseUrl).post(path).auth(cast.tokens[who], { type: 'bearer' }),
        patch: (path: string) => request(test.baseUrl).patch(path).auth(cast.tokens[who], { type: 'bearer' }),
      });
      const act = async (who: keyof Cast['tokens'], id: string, action: string) => {
        const { version } = (await as('bureau').get(`/applications/${id}`).expect(200)).body;
        const moved = await as(who).post(`/applications/${id}/actions`).send({ action, expectedVersion: version });
        if (moved.status !== 200) throw new Error(`${action}: ${JSON.stringify(moved.body)}`);
      };
      const created = await as('applicantA')
        .post('/applications')
        .send({ callId, name: '签批测试孵化器', subtype: 'comprehensive', industries: ['emerg.digital'], form: INCUBATOR_FORM })
        .expect(201);
      dossierId = created.body.id;
      const signed = await as('applicantA')
        .patch(`/applications/${dossierId}`)
        .send({ expectedVersion: created.body.version, pledgeSigned: true })
        .expect(200);
      await as('applicantA')
        .post(`/applications/${dossierId}/attachments`)
        .field('documentCode', 'business_licence')
        .attach('file', PDF_BYTES, { filename: '营业执照.pdf', contentType: 'application/pdf' })
        .expect(201);
      await as('applicantA').post(`/applications/${dossierId}/submit`).send({ expectedVersion: signed.body.version }).expect(200);
      await act('countyA', dossierId, 'recommend');
      await act('bureau', dossierId, 'pass_formal_review');
      await reviewByPanel(test.baseUrl, cast.tokens.bureau, experts, dossierId, 85);
      await act('bureau', dossierId, 'record_expert_result');
      await inspectSite(
        test.baseUrl,
        {
          bureau: { id: cast.users.bureau.id, token: cast.tokens.bureau },
          county: { id: cast.users.countyA.id, token: cast.tokens.countyA },
          expert: experts[1],
        },
        dossierId,
      );
      await act('bureau', dossierId, 'record_inspection');
      await as('bureau')
        .post(`/applications/${dossierId}/decision`)
        .send({
          outcome: 'approve',
          comment: '符合认定条件',
          meeting: { kind: 'director_office_meeting', date: '2027-06-10', reference: '局长办公会纪要〔2027〕5号' },
        })
        .expect(201);
    });

    browserIt('lists the decision awaiting the leader and signs it off through the screen', async () => {
      const { page, problems, context } = await openPage(browser!);
      await signInThroughScreen(page, test.baseUrl, cast.users.leader.email, cast.users.leader.password);
      await page.click('text=待签批决定');
      await page.waitForURL(/\/app\/leader\/sign-offs$/);
      const card = `[data-test=decision][data-id="${dossierId}"]`;
      await page.waitForSelector(card);
      expect(await page.textContent(`${card} [data-test=decision-status]`)).toContain('待签批');
      expect(await page.textContent(`${card} [data-test=outcome]`)).toContain('同意认定');
      expect(await page.textContent(card)).toContain('局长办公会纪要〔2027〕5号');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await keepScreenshot(page, 'web-leader-sign-offs');

      await page.click(`${card} [data-test=sign-off]`);
      await page.click('.el-message-box button:has-text("确认签批")');
      await page.waitForFunction(
        (selector) => document.querySelector(selector)?.textContent?.includes('已签批'),
        `${card} [data-test=decision-status]`,
      );
      expect(await page.isVisible(`${card} [data-test=sign-off]`)).toBe(false);
      const decision = await request(test.baseUrl)
        .get(`/applications/${dossierId}/decision`)
        .auth(cast.tokens.bureau, { type: 'bearer' })
        .expect(200);
      expect(decision.body.status).toBe('signed');
      expect(decision.body.signedBy).toBe(cast.users.leader.id);
      expect(problems).toEqual([]);
      await context.close();
    });
  });
});
