/// <reference lib="dom" />
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Browser, Page } from 'playwright-core';
import type { User } from '@app/identity';
import { makeUser } from '../../libs/identity/src/testing/identity-fixtures';
import { type TestApp, startTestApp } from '../support/app';
import {
  DESKTOP,
  PHONE,
  browserIt,
  keepScreenshot,
  launchBrowser,
  openPage,
  seriousAxeViolations,
  signInThroughScreen,
} from '../support/browser';
import { type Cast, PDF_BYTES, login, makeCast, makeExperts, openCall, reviewByPanel, submittedDossier } from '../support/procedure';

/** Waits for transitions (a dialog or a notice fading) to end: axe measures colours as they are drawn. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().length === 0);
}

/** The site inspection team's screen: the county officer and the expert on the team sign in the browser, then the bureau moves the dossier. */
describe('the web app for an inspection team: each member reads the checklist and signs', () => {
  let test: TestApp;
  let db: DataSource;
  let browser: Browser | undefined;
  let cast: Cast;
  let dossierId: string;
  let inspectionId: string;
  let items: { code: string; status: string; note: string | null; evidence: string[] }[];
  let teamExpert: User & { password: string };

  const bureau = (r: request.Test): request.Test => r.auth(cast.tokens.bureau, { type: 'bearer' });
  const act = async (token: string, action: string): Promise<request.Response> => {
    const { version } = (await bureau(request(test.baseUrl).get(`/applications/${dossierId}`)).expect(200)).body;
    return request(test.baseUrl)
      .post(`/applications/${dossierId}/actions`)
      .auth(token, { type: 'bearer' })
      .send({ action, expectedVersion: version });
  };
  const saveInspection = (body: object) =>
    bureau(request(test.baseUrl).post(`/applications/${dossierId}/inspection`))
      .send(body)
      .expect(200);
  const inspection = async () => (await bureau(request(test.baseUrl).get(`/applications/${dossierId}/inspection`)).expect(200)).body;

  beforeAll(async () => {
    test = await startTestApp();
    db = test.app.get(DataSource);
    cast = await makeCast(test.baseUrl, db);
    const callId = await openCall(test.baseUrl, cast.tokens.bureau);
    teamExpert = await makeUser(db, { role: 'expert', name: '考察组专家', expertise: ['emerg.digital'], employerName: '温州医科大学' });
    const experts = [
      { id: cast.users.expert.id, token: cast.tokens.expert },
      { id: teamExpert.id, token: await login(test.baseUrl, teamExpert) },
      ...(await makeExperts(test.baseUrl, db)),
    ];
    dossierId = (await submittedDossier(test.baseUrl, cast, callId, '现场考察签字测试孵化器')).id;
    expect((await act(cast.tokens.countyA, 'recommend')).status).toBe(200);
    expect((await act(cast.tokens.bureau, 'pass_formal_review')).status).toBe(200);
    await reviewByPanel(test.baseUrl, cast.tokens.bureau, experts, dossierId, 86);
    expect((await act(cast.tokens.bureau, 'record_expert_result')).body.stage).toBe('site_inspection');

    // The bureau records the inspection: a team of itself, the county officer and one expert; a photo as evidence; then signs.
    const photo = await bureau(request(test.baseUrl).post(`/applications/${dossierId}/attachments`))
      .field('documentCode', 'site_check')
      .attach('file', PDF_BYTES, { filename: '孵化场地现场照片.pdf', contentType: 'application/pdf' })
      .expect(201);
    const created = await saveInspection({
      visitDate: '2027-05-20',
      team: [{ userId: cast.users.bureau.id }, { userId: cast.users.countyA.id }, { userId: teamExpert.id }],
    });
    inspectionId = created.body.id;
    items = created.body.checklist.map((i: { code: string }, n: number) => ({
      code: i.code,
      status: n === 1 ? 'not_verified' : 'verified',
      note: n === 1 ? '在孵企业名册与现场不完全一致' : null,
      evidence: n === 0 ? [photo.body.id] : [],
    }));
    await saveInspection({ items, result: 'passed', resultNote: '总体符合认定条件' });
    await bureau(request(test.baseUrl).post(`/applications/${dossierId}/inspection/sign`)).expect(200);
    browser = await launchBrowser().catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  async function confirmSign(page: Page): Promise<void> {
    await page.click('[data-test=team-sign]');
    await page.waitForSelector('.el-message-box');
    expect(await page.textContent('.el-message-box')).toContain('确认签字吗');
    await page.click('.el-message-box__btns .el-button--primary');
  }

  browserIt('at a desk (1366 x 768): the county officer reads the checklist, is refused while it is incomplete, then signs', async () => {
    const { page, problems, context } = await openPage(browser!, DESKTOP);
    await signInThroughScreen(page, test.baseUrl, cast.users.countyA.email, cast.users.countyA.password);
    // The side menu leads to it.
    await page.click('.el-menu-item:has-text("现场考察")');
    await page.waitForURL(`${test.baseUrl}/app/inspections`);
    const card = `[data-test=team-inspection][data-id="${inspectionId}"]`;
    await page.waitForSelector(card);
    const listed = await page.textContent(card);
    for (const text of [
      '现场考察签字测试孵化器',
      '科技企业孵化器',
      '鹿城区',
      '2027-05-20',
      '通过',
      '属实 3 项，不属实 1 项',
      '1/3 人已签字',
      '未签字',
    ])
      expect(listed).toContain(text);
    expect(await page.$$('[data-test=team-inspection]')).toHaveLength(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await keepScreenshot(page, 'web-team-desktop-list');

    await page.click(`${card} [data-test=team-open]`);
    await page.waitForSelector('[data-test=team-checklist]');
    const checklist = await page.textContent('[data-test=team-checklist]');
    for (const text of ['不属实', '在孵企业名册与现场不完全一致', '孵化场地现场照片.pdf']) expect(checklist).toContain(text);
    expect(await page.$$('[data-test=team-member][data-signed=yes]')).toHaveLength(1);
    expect(await page.textContent('[data-test=team-members]')).toContain(`${cast.users.countyA.name}（本人）`);
    expect(await page.textContent('[data-test=team-result]')).toBe('通过');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await keepScreenshot(page, 'web-team-desktop-inspection');

    // Meanwhile the bureau reopens an item: the API refuses the signature, and its Chinese message is shown.
    await saveInspection({ items: [{ code: items[2]!.code, status: 'pending' }] });
    await confirmSign(page);
    const refusal = await page.waitForSelector('[data-test=team-refusal]');
    expect(await refusal.textContent()).toContain('考察清单或考察结论尚未填写完整，不能签字');
    expect((await inspection()).team.find((m: { userId: string }) => m.userId === cast.users.countyA.id).signedAt).toBeNull();

    // The bureau completes it again and signs again (a change takes signatures back); the county officer signs.
    await saveInspection({ items: [items[2]] });
    await bureau(request(test.baseUrl).post(`/applications/${dossierId}/inspection/sign`)).expect(200);
    await page.reload();
    await page.waitForSelector('[data-test=team-sign]');
    await confirmSign(page);
    await page.waitForSelector('[data-test=team-my-signature]');
    expect(await page.isVisible('[data-test=team-sign]')).toBe(false);
    expect(await page.$$('[data-test=team-member][data-signed=yes]')).toHaveLength(2);
    const held = await inspection();
    expect(held.status).toBe('draft');
    expect(held.team.map((m: { userId: string; signedAt: string | null }) => [m.userId, Boolean(m.signedAt)])).toEqual([
      [cast.users.bureau.id, true],
      [cast.users.countyA.id, true],
      [teamExpert.id, false],
    ]);
    await settled(page);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await keepScreenshot(page, 'web-team-desktop-signed');
    expect(problems).toEqual([]);
    await context.close();
  });

  browserIt('on a phone (390 x 844): the expert signs last; the inspection is signed by all and the bureau records it', async () => {
    const { page, problems, context } = await openPage(browser!, PHONE);
    await signInThroughScreen(page, test.baseUrl, teamExpert.email, teamExpert.password);
    await page.goto(`${test.baseUrl}/app/inspections`);
    const card = `[data-test=team-inspection][data-id="${inspectionId}"]`;
    await page.waitForSelector(card);
    expect(await page.textContent(card)).toContain('2/3 人已签字');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await keepScreenshot(page, 'web-team-phone-list');

    await page.click(`${card} [data-test=team-open]`);
    await page.waitForSelector('[data-test=team-sign]');
    expect(await page.textContent('[data-test=team-checklist]')).toContain('孵化场地现场照片.pdf');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await keepScreenshot(page, 'web-team-phone-inspection');
    await confirmSign(page);
    await page.waitForSelector('[data-test=team-my-signature]');
    expect(await page.textContent('[data-test=team-status]')).toBe('已确认');
    expect(await page.$$('[data-test=team-member][data-signed=yes]')).toHaveLength(3);
    await settled(page);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await keepScreenshot(page, 'web-team-phone-signed');
    expect(problems).toEqual([]);
    await context.close();

    // The API holds it signed by every member, and the bureau can now record the inspection.
    const held = await inspection();
    expect(held).toMatchObject({ status: 'signed', result: 'passed' });
    expect(held.team.every((m: { signedAt: string | null }) => m.signedAt !== null)).toBe(true);
    const moved = await act(cast.tokens.bureau, 'record_inspection');
    expect([moved.status, moved.body.stage]).toEqual([200, 'decision']);
  });
});
