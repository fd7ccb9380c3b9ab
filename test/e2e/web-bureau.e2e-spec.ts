import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Browser, Page } from 'playwright-core';
import { Clock } from '../../libs/common/src';
import { TimersService } from '../../libs/notifications/src';
import { NoticeClosingModule } from '../../apps/worker/src/notices/notice-closing';
import { type TestApp, startTestApp } from '../support/app';
import { browserIt, keepScreenshot, launchBrowser, openPage, seriousAxeViolations, signInThroughScreen } from '../support/browser';
import { type Cast, makeCast, makeExperts, openCall, submittedDossier } from '../support/procedure';

/** An Element Plus input by its data-test (on the native input, or on its wrapper for pickers). */
const field = (name: string): string => `:is(input,textarea)[data-test=${name}], [data-test=${name}] :is(input,textarea)`;

describe('the bureau officer procedure screens (apps/web views/bureau)', () => {
  let test: TestApp;
  let browser: Browser | undefined;
  let cast: Cast;
  let callId: string;
  let experts: { id: string; token: string }[];

  beforeAll(async () => {
    test = await startTestApp({ extraModules: [NoticeClosingModule] });
    browser = await launchBrowser().catch(() => undefined);
    const db = test.app.get(DataSource);
    cast = await makeCast(test.baseUrl, db);
    callId = await openCall(test.baseUrl, cast.tokens.bureau);
    experts = [{ id: cast.users.expert.id, token: cast.tokens.expert }, ...(await makeExperts(test.baseUrl, db))];
  });

  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  const as = (who: keyof Cast['tokens']) => ({
    get: (path: string) => request(test.baseUrl).get(path).auth(cast.tokens[who], { type: 'bearer' }),
    post: (path: string) => request(test.baseUrl).post(path).auth(cast.tokens[who], { type: 'bearer' }),
  });
  const stageOf = async (id: string): Promise<string> => (await as('bureau').get(`/applications/${id}`).expect(200)).body.stage;
  const waitStage = (page: Page, label: string) => page.waitForSelector(`[data-test=dossier-stage]:has-text("${label}")`);
  const clean = async (page: Page) => expect(await seriousAxeViolations(page)).toEqual([]);

  browserIt(
    'walks a recommended dossier through formal review, panel, inspection, decision, release, notice, objection and recognition on the screens',
    async () => {
      const dossier = await submittedDossier(test.baseUrl, cast, callId, '瓯江数字孵化器');
      await as('countyA')
        .post(`/applications/${dossier.id}/actions`)
        .send({ action: 'recommend', expectedVersion: dossier.version })
        .expect(200);
      const { page, problems, context } = await openPage(browser!);
      await signInThroughScreen(page, test.baseUrl, cast.users.bureau.email, cast.users.bureau.password);

      // All dossiers, filtered by stage.
      await page.waitForSelector(`[data-test=open-${dossier.id}]`);
      await clean(page);
      await keepScreenshot(page, 'web-bureau-dossiers');

      // Formal review passed.
      await page.click(`[data-test=open-${dossier.id}]`);
      await waitStage(page, '形式审查');
      await page.click('[data-test=action-pass_formal_review]');
      await waitStage(page, '专家评审');

      // The panel drawn with a seed the screen shows; the experts declare and score through the API; the panel closed.
      await page.fill(field('panel-seed'), 'WZ-2027-WEB-1');
      await page.click('[data-test=panel-draw]');
      expect(await (await page.waitForSelector('[data-test=panel-seed-shown]')).textContent()).toBe('WZ-2027-WEB-1');
      const panel = (await as('bureau').get(`/applications/${dossier.id}/panel`).expect(200)).body;
      for (const seat of panel.seats as { assignmentId: string; expertId: string; active: boolean }[]) {
        if (!seat.active) continue;
        const token = experts.find((e) => e.id === seat.expertId)!.token;
        const auth = { type: 'bearer' } as const;
        await request(test.baseUrl)
          .post(`/reviews/assignments/${seat.assignmentId}/declaration`)
          .auth(token, auth)
          .send({ conflict: false })
          .expect(200);
        await request(test.baseUrl)
          .post(`/reviews/assignments/${seat.assignmentId}/score`)
          .auth(token, auth)
          .send({ scores: (panel.rubric.criteria as { code: string }[]).map((c) => ({ criterion: c.code, value: 85 })) })
          .expect(200);
      }
      await page.reload();
      await page.waitForSelector('[data-test=panel-progress]:has-text("5/5")');
      await clean(page);
      await keepScreenshot(page, 'web-bureau-panel');
      await page.click('[data-test=panel-close]');
      await page.waitForSelector('[data-test=panel-result]');
      await page.click('[data-test=action-record_expert_result]');
      await waitStage(page, '现场考察');

      // The inspection: date and team on the screen, the checklist verified, the result, the bureau's signature.
      const seated = panel.seats.find((s: { active: boolean }) => s.active);
      await page.fill(field('inspection-date'), '2027-05-20');
      await page.keyboard.press('Enter');
      // Every cast member is called 测试用户: the option's role prefix tells them apart.
      for (const label of [`市局 · ${cast.users.bureau.name}`, `县级 · ${cast.users.countyA.name}`, `专家 · ${seated.expertName}`]) {
        await page.click('[data-test=inspection-team]');
        await page.fill('[data-test=inspection-team] input', label);
        await page.getByRole('option', { name: label, exact: true }).click();
      }
      // The list stays open over the button (Escape first clears the query): a click outside closes it.
      await page.click('[data-test=inspection-card] h2');
      await page.waitForSelector('[data-test=inspection-team] input[aria-expanded=false]');
      await page.click('[data-test=inspection-create]');
      await page.waitForSelector('[data-test=inspection-checklist]');
      for (const radio of await page.$$('[data-test=inspection-checklist] [data-test$=-verified]')) await radio.click();
      await page.click('[data-test=inspection-passed]');
      await page.click('[data-test=inspection-save]');
      await page.click('[data-test=inspection-sign]');
      const token = (user: string) => experts.find((e) => e.id === user)?.token;
      await as('countyA').post(`/applications/${dossier.id}/inspection/sign`).expect(200);
      await request(test.baseUrl)
        .post(`/applications/${dossier.id}/inspection/sign`)
        .auth(token(seated.expertId)!, { type: 'bearer' })
        .expect(200);
      await page.reload();
      await page.waitForSelector('[data-test=inspection-state]:has-text("已签字确认")');
      await clean(page);
      await keepScreenshot(page, 'web-bureau-inspection');
      await page.click('[data-test=action-record_inspection]');
      await waitStage(page, '局务会研究');

      // The decision recorded on the screen, signed off by the leader, released from the call's screen.
      await page.fill(field('decision-date'), '2027-06-10');
      await page.keyboard.press('Enter');
      await page.fill(field('decision-reference'), '局长办公会纪要〔2027〕5号');
      await page.click('[data-test=decision-record]');
      await page.waitForSelector('[data-test=decision-status]:has-text("待领导签批")');
      await as('leader').post(`/applications/${dossier.id}/decision/sign-off`).expect(200);
      await page.goto(`${test.baseUrl}/app/bureau/calls/${callId}`);
      await page.waitForSelector('[data-test=decision-row-status]:has-text("已签批待发布")');
      await clean(page);
      await keepScreenshot(page, 'web-bureau-decisions');
      await page.click('[data-test=call-release]');
      await page.waitForSelector('[data-test=notice-publish]');
      expect(await stageOf(dossier.id)).toBe('approved');

      // The notice published from the call's screen.
      await page.fill(field('notice-title'), '2027年度温州市科技企业孵化器拟认定名单公示');
      await page.click('[data-test=notice-publish]');
      await page.waitForSelector('text=暂无待公示的申报书');
      expect(await stageOf(dossier.id)).toBe('public_notice');
      const notice = (await as('bureau').get('/notices').expect(200)).body.items[0];

      // An objection lodged by a visitor (API), dismissed on the notices screen.
      const receipt = (
        await request(test.baseUrl)
          .post(`/public/notices/${notice.id}/objections`)
          .send({
            candidateId: notice.candidates[0].id,
            objectorType: 'person',
            name: '张三',
            contact: '13800000000',
            text: '该孵化器在孵企业数量与实际不符。',
          })
          .expect(201)
      ).body.receipt;
      await page.goto(`${test.baseUrl}/app/bureau/notices`);
      await page.click(`[data-test=objections-${notice.id}]`);
      await page.waitForSelector(`[data-test=objection-${receipt}]`);
      await page.fill(`[data-test=objection-${receipt}] textarea[data-test=objection-resolution]`, '经核查，在孵企业数量属实。');
      await clean(page);
      await keepScreenshot(page, 'web-bureau-notices');
      await page.click(`[data-test=objection-${receipt}] [data-test=objection-dismiss]`);
      await page.waitForSelector(`[data-test=objection-${receipt}] [data-test=objection-status]:has-text("异议不成立")`);

      // The notice ends (its timer, at its end); the batch recognised on the call's screen.
      const clock = jest.spyOn(test.app.get(Clock), 'now').mockReturnValue(new Date(notice.closesAt));
      try {
        await test.app.get(TimersService).fire(`notice.close.${notice.id}`);
      } finally {
        clock.mockRestore();
      }
      await page.goto(`${test.baseUrl}/app/bureau/calls/${callId}`);
      await page.fill(field('recognition-number'), '温科发〔2027〕31号');
      // A recognition date is at most today (Beijing): the notice closed on the mocked clock, not on the real one.
      const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
      await page.fill(field('recognition-date'), today);
      await page.keyboard.press('Enter');
      await page.click('[data-test=recognition-submit]');
      await page.waitForSelector('text=暂无公示结束的申报书');
      const timeline = (await as('bureau').get(`/applications/${dossier.id}/timeline`).expect(200)).body;
      expect(timeline.application.stage).toBe('recognised');
      expect(timeline.events.at(-1).input).toMatchObject({ documentNumber: '温科发〔2027〕31号', recognisedOn: today });
      expect(problems).toEqual([]);
      await context.close();
    },
  );

  browserIt('shows the API’s 409 when another officer acted first, reloads the dossier and keeps the comment', async () => {
    const dossier = await submittedDossier(test.baseUrl, cast, callId, '瓯海竞办孵化器');
    const recommended = await as('countyA')
      .post(`/applications/${dossier.id}/actions`)
      .send({ action: 'recommend', expectedVersion: dossier.version })
      .expect(200);
    const { page, problems, context } = await openPage(browser!);
    await signInThroughScreen(page, test.baseUrl, cast.users.bureau.email, cast.users.bureau.password);
    await page.goto(`${test.baseUrl}/app/bureau/dossiers/${dossier.id}`);
    await page.waitForSelector('[data-test=action-return_for_revision]');
    await as('bureau')
      .post(`/applications/${dossier.id}/actions`)
      .send({ action: 'pass_formal_review', expectedVersion: recommended.body.version })
      .expect(200);
    await page.fill(field('action-comment'), '请补充营业执照副本。');
    await page.click('[data-test=action-return_for_revision]');
    expect(await (await page.waitForSelector('[data-test=stale]')).textContent()).toMatch(/[\u4e00-\u9fff]/);
    await waitStage(page, '专家评审');
    expect(await page.inputValue(field('action-comment'))).toBe('请补充营业执照副本。');
    expect(await stageOf(dossier.id)).toBe('expert_review');
    await keepScreenshot(page, 'web-bureau-stale');
    expect(problems).toEqual([]);
    await context.close();
  });
});
