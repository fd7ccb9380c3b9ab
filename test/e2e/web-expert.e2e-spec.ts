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
import { type Cast, login, makeCast, openCall, submittedDossier } from '../support/procedure';

/** Waits for transitions (a notice fading in) to end: axe measures colours as they are drawn. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().length === 0);
}

/** The experts' screens: the declaration first, the dossier only after it, the sealed rubric; on a phone and at a desk. */
describe('the web app for experts: declaration, dossier, rubric', () => {
  let test: TestApp;
  let db: DataSource;
  let browser: Browser | undefined;
  let cast: Cast;
  let dossierId: string;
  /** The experts seated on the dossier's panel, with their assignment and password. */
  const seated: { user: User & { password: string }; assignmentId: string; token: string }[] = [];

  beforeAll(async () => {
    test = await startTestApp();
    db = test.app.get(DataSource);
    cast = await makeCast(test.baseUrl, db);
    const callId = await openCall(test.baseUrl, cast.tokens.bureau);
    const experts: (User & { password: string })[] = [];
    for (let i = 0; i < 10; i++)
      experts.push(
        await makeUser(db, { role: 'expert', name: `手机评审专家${i}`, expertise: ['emerg.digital'], employerName: `温州大学${i}` }),
      );
    const dossier = await submittedDossier(test.baseUrl, cast, callId, '专家评审测试孵化器');
    dossierId = dossier.id;
    const bureau = (r: request.Test): request.Test => r.auth(cast.tokens.bureau, { type: 'bearer' });
    const act = async (token: string, action: string): Promise<void> => {
      const { version } = (await bureau(request(test.baseUrl).get(`/applications/${dossierId}`)).expect(200)).body;
      await request(test.baseUrl)
        .post(`/applications/${dossierId}/actions`)
        .auth(token, { type: 'bearer' })
        .send({ action, expectedVersion: version })
        .expect(200);
    };
    await act(cast.tokens.countyA, 'recommend');
    await act(cast.tokens.bureau, 'pass_formal_review');
    const drawn = await bureau(request(test.baseUrl).post(`/applications/${dossierId}/panel`))
      .send({})
      .expect(201);
    for (const seat of drawn.body.seats as { assignmentId: string; expertId: string; active: boolean }[]) {
      const user = experts.find((e) => e.id === seat.expertId);
      if (seat.active && user) seated.push({ user, assignmentId: seat.assignmentId, token: await login(test.baseUrl, user) });
    }
    expect(seated.length).toBeGreaterThanOrEqual(3);
    browser = await launchBrowser().catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  const assignment = async (seat: (typeof seated)[number]) =>
    (await request(test.baseUrl).get(`/reviews/assignments/${seat.assignmentId}`).auth(seat.token, { type: 'bearer' }).expect(200))
      .body as {
      declaration: string;
      scoredAt: string | null;
      commentBelowPercent: number;
      criteria: { code: string; min: number; max: number }[];
      ownScores: { criterion: string; value: number; comment: string | null }[];
    };

  /** One expert's whole review through the screens, at the given size. */
  async function reviewThroughScreens(seatIndex: number, viewport: typeof PHONE, shot: string, otherComment?: string): Promise<void> {
    const seat = seated[seatIndex]!;
    const { page, problems, context } = await openPage(browser!, viewport);
    await signInThroughScreen(page, test.baseUrl, seat.user.email, seat.user.password);
    expect(page.url()).toBe(`${test.baseUrl}/app/expert`);
    const card = `[data-test=assignment][data-id="${seat.assignmentId}"]`;
    await page.waitForSelector(card);
    expect(await page.textContent(`${card} [data-test=assignment-state]`)).toContain('待作回避声明');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await keepScreenshot(page, `${shot}-assignments`);

    // Before the declaration: the dossier is locked on the screen, and the API refuses it.
    await page.click(`${card} [data-test=open-assignment]`);
    await page.waitForSelector('[data-test=dossier-locked]');
    expect(await page.isVisible('[data-test=dossier-form]')).toBe(false);
    const refused = await request(test.baseUrl)
      .get(`/reviews/assignments/${seat.assignmentId}/dossier`)
      .auth(seat.token, { type: 'bearer' })
      .expect(403);
    expect(refused.body.error.code).toBe('review.declaration_required');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await keepScreenshot(page, `${shot}-declaration`);

    await page.click('[data-test=no-conflict]');
    await page.click('[data-test=declare]');
    await page.waitForSelector('[data-test=dossier-form]');
    expect(await page.textContent('[data-test=dossier-form]')).toContain('在孵企业数');
    expect((await assignment(seat)).declaration).toBe('no_conflict');

    // The rubric: a score out of range is flagged as typed, and the API's Chinese refusal is shown; nothing typed is lost.
    const { criteria, commentBelowPercent } = await assignment(seat);
    const [first, second] = criteria;
    const field = (code: string, what: 'score-value' | 'score-comment') => `[data-criterion="${code}"] [data-test=${what}]`;
    for (const c of criteria) await page.fill(field(c.code, 'score-value'), String(c.max - 5));
    await page.fill(field(first!.code, 'score-value'), String(first!.max + 50));
    const hint = await page.waitForSelector(`[data-criterion="${first!.code}"] .el-form-item__error`);
    expect(await hint.textContent()).toContain(`分值须在 ${first!.min} 到 ${first!.max} 之间`);
    await page.click('[data-test=submit-scores]');
    const error = await page.waitForSelector('[data-test=score-error]');
    expect(await error.textContent()).toContain('分值超出该评分项的范围');
    expect(await page.inputValue(field(first!.code, 'score-value'))).toBe(String(first!.max + 50));
    expect((await assignment(seat)).scoredAt).toBeNull();

    // A low score asks for a comment as it is typed; with the comment the sheet is accepted.
    const low = second!.min + Math.floor(((second!.max - second!.min) * commentBelowPercent) / 100) - 10;
    await page.fill(field(first!.code, 'score-value'), String(first!.max - 5));
    await page.fill(field(second!.code, 'score-value'), String(low));
    const commentHint = await page.waitForSelector(`[data-criterion="${second!.code}"] .el-form-item__error`);
    expect(await commentHint.textContent()).toContain('须填写评语');
    const comment = `孵化场地利用率偏低（专家${seatIndex}）`;
    await page.fill(field(second!.code, 'score-comment'), comment);
    await page.click('[data-test=submit-scores]');
    await page.waitForSelector('[data-test=scored]');
    const scored = await assignment(seat);
    expect(scored.scoredAt).not.toBeNull();
    expect(scored.ownScores.find((s) => s.criterion === second!.code)).toEqual({ criterion: second!.code, value: low, comment });
    // Sealed: another expert's comment never appears on this expert's screen.
    if (otherComment) expect(await page.textContent('body')).not.toContain(otherComment);
    await settled(page);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await keepScreenshot(page, `${shot}-rubric`);
    if (viewport === PHONE) {
      // Usable on a phone: nothing wider than the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    }
    expect(problems).toEqual([]);
    await context.close();
  }

  browserIt(
    'on a phone (390 x 844): declares, cannot see the dossier before, scores with a comment; an out-of-range score is refused',
    async () => {
      await reviewThroughScreens(0, PHONE, 'web-expert-phone');
    },
  );

  browserIt('at a desk (1366 x 768): the same review, and the first expert’s scores stay sealed', async () => {
    await reviewThroughScreens(1, DESKTOP, 'web-expert-desktop', '孵化场地利用率偏低（专家0）');
  });

  browserIt('declares a conflict with its kind and a note, and is asked for nothing more', async () => {
    const seat = seated[2]!;
    const { page, problems, context } = await openPage(browser!);
    await signInThroughScreen(page, test.baseUrl, seat.user.email, seat.user.password);
    await page.goto(`${test.baseUrl}/app/expert/assignments/${seat.assignmentId}`);
    await page.click('[data-test=conflict]');
    // A conflict without a note is stopped before the API.
    await page.click('[data-test=declare]');
    await page.waitForSelector('text=申请回避须说明情况');
    await page.click('[data-test=declaration] .el-select');
    await page.click('.el-select-dropdown__item:has-text("近三年与该单位有合作项目")');
    await page.fill('[data-test=conflict-note]', '2025年与该单位合作承担市科技计划项目');
    await page.click('[data-test=declare]');
    await page.waitForSelector('[data-test=conflict-done]');
    expect(await page.isVisible('[data-test=rubric]')).toBe(false);
    const after = await assignment(seat);
    expect(after.declaration).toBe('conflict');
    await request(test.baseUrl).get(`/reviews/assignments/${seat.assignmentId}/dossier`).auth(seat.token, { type: 'bearer' }).expect(403);
    expect(problems).toEqual([]);
    await context.close();
  });
});
