import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Clock } from '../../libs/common/src';
import { TimersService } from '../../libs/notifications/src';
import { makeUser, randomCreditCode } from '../../libs/identity/src/testing/identity-fixtures';
import { type TestApp, startTestApp } from '../support/app';
import {
  type WatchedPage,
  browserIt,
  keepScreenshot,
  launchBrowser,
  openPage,
  seriousAxeViolations,
  signInThroughScreen,
} from '../support/browser';
import { type Cast, PDF_BYTES, makeCast, openCall } from '../support/procedure';
import { SmtpCatcher } from '../support/smtp-catcher';

type Expert = Awaited<ReturnType<typeof makeUser>>;

/**
 * Issue 15's acceptance: the whole procedure through the screens alone, each user in their own
 * browser context. A new organisation registers and verifies its address from the mail; drafts an
 * incubator dossier, uploads its documents and submits; its county officer returns it and, after the
 * resubmission, recommends it with the letter; the bureau passes formal review and draws a panel;
 * each expert declares and scores; the inspection is recorded and signed by its team; the leader
 * signs the decision; the notice is published, a visitor objects and the bureau dismisses it; the
 * platform is recognised and the leader's dashboard counts one more. The API is read only to check.
 */
describe('the procedure through the screens (issue 15 acceptance)', () => {
  let test: TestApp;
  let smtp: SmtpCatcher;
  let db: DataSource;
  let browser: Browser | undefined;
  let cast: Cast;
  let experts: Expert[];
  let callId: string;
  const pages: WatchedPage[] = [];

  beforeAll(async () => {
    smtp = await new SmtpCatcher().start();
    test = await startTestApp({ withWorker: true, smtpUrl: smtp.url });
    db = test.app.get(DataSource);
    browser = await launchBrowser().catch(() => undefined);
    cast = await makeCast(test.baseUrl, db);
    // The cast's own expert is in the pool too.
    experts = [cast.users.expert];
    for (let i = 0; i < 7; i++)
      experts.push(
        await makeUser(db, {
          role: 'expert',
          name: `屏幕专家${i}`,
          expertise: ['trad.electrical', 'emerg.digital'],
          employerName: `温州大学${i}`,
        }),
      );
    callId = await openCall(test.baseUrl, cast.tokens.bureau);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await test?.close();
    await smtp?.stop();
  });

  const api = () => request(test.baseUrl);
  const asBureau = (r: request.Test) => r.auth(cast.tokens.bureau, { type: 'bearer' });
  const stageOf = async (id: string): Promise<string> => (await asBureau(api().get(`/applications/${id}`)).expect(200)).body.stage;
  /** What the leader's dashboard shows for the target of professional operating organisations (municipal incubators count). */
  async function operatorsOnDashboard(page: Page): Promise<number> {
    await page.goto(`${test.baseUrl}/app/leader`);
    const row = page.locator('[data-test=summary-table] tr[data-code="incubation.operators"]');
    await row.waitFor();
    return Number(await row.getAttribute('data-value'));
  }

  async function user(email: string, password: string): Promise<Page> {
    const watched = await openPage(browser!);
    pages.push(watched);
    await signInThroughScreen(watched.page, test.baseUrl, email, password);
    return watched.page;
  }

  /** The link in a mail's text that contains `path`, on this test's server (mails name PUBLIC_BASE_URL). */
  const mailLink = (text: string, path: string): string => {
    const link = [...text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0]).find((l) => l.includes(path));
    expect(link).toBeDefined();
    return `${test.baseUrl}${link!.slice(test.config.publicBaseUrl.length)}`;
  };
  const field = (name: string) => `:is(input,textarea)[data-test=${name}], [data-test=${name}] :is(input,textarea)`;
  const waitStage = (page: Page, label: string) => page.waitForSelector(`[data-test=dossier-stage]:has-text("${label}")`);
  const clean = async (page: Page, shot: string) => {
    expect(await seriousAxeViolations(page)).toEqual([]);
    await keepScreenshot(page, `web-walk-${shot}`);
  };
  async function fillNumber(page: Page, name: string, value: number): Promise<void> {
    const input = page.locator(`[data-test=field-${name}] input`);
    await input.fill(String(value));
    await input.press('Tab');
  }
  async function pick(page: Page, select: string, label: string): Promise<void> {
    await page.click(`[data-test=${select}]`);
    await page.locator('.el-select-dropdown__item:visible', { hasText: label }).first().click();
  }

  browserIt(
    'walks a new organisation from registration to a recognised platform that the dashboard counts',
    async () => {
      const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
      const leader = await user(cast.users.leader.email, cast.users.leader.password);
      const countedBefore = await operatorsOnDashboard(leader);

      // A visitor registers the organisation and its first user; the verification mail's link opens the screen.
      const email = `walk-${Date.now()}@example.cn`;
      const password = 'Oujiang-Walk-Through-2027';
      const creditCode = randomCreditCode('330302');
      const visitor = await openPage(browser!);
      pages.push(visitor);
      const reg = visitor.page;
      await reg.goto(`${test.baseUrl}/app/register`);
      await reg.waitForSelector('[data-test=register-form]');
      await reg.fill('[data-test=credit-code]', creditCode);
      await reg.fill('[data-test=org-name]', '温州走查孵化器运营有限公司');
      await pick(reg, 'legal-form', '企业');
      await pick(reg, 'region', '鹿城区');
      await pick(reg, 'industries', '电气');
      await reg.keyboard.press('Escape');
      await reg.fill('[data-test=address]', '浙江省温州市鹿城区走查路1号');
      await reg.fill('[data-test=contact-name]', '林一');
      await reg.fill('[data-test=contact-phone]', '0577-88990011');
      await reg.fill('[data-test=user-name]', '林一');
      await reg.fill('[data-test=user-email]', email);
      await reg.fill('[data-test=user-password]', password);
      await reg.fill('[data-test=user-confirm]', password);
      await reg.click('[data-test=register-submit]');
      await reg.waitForSelector('[data-test=register-done]');
      const [verification] = await smtp.waitForMail(email);
      await reg.goto(mailLink(verification!.text, '/app/account/verify-email'));
      await reg.click('[data-test=verify-submit]');
      await reg.waitForSelector('[data-test=verify-done]');

      // The applicant drafts the incubator dossier, uploads the licence, signs the pledge and submits.
      await signInThroughScreen(reg, test.baseUrl, email, password);
      const applicant = reg;
      const call = applicant.locator('[data-test=call]', { hasText: '2027年度温州市科技企业孵化器认定' });
      await call.locator('[data-test=apply]').click();
      await applicant.waitForSelector('[data-test=field-areaM2]');
      await applicant.fill('[data-test=dossier-name]', '温州走查孵化器');
      await pick(applicant, 'dossier-subtype', '综合型');
      await applicant.click('[data-test=field-independentLegalPerson-yes]');
      await applicant.fill('[data-test=field-operatingSince]', '2023-03-01');
      await applicant.click('[data-test=field-siteOwned-no]');
      // Run by a professional operating organisation: the dashboard's target of such organisations will count it.
      await applicant.click('[data-test=field-professionalOperator-yes]');
      await fillNumber(applicant, 'leaseYears', 8);
      await fillNumber(applicant, 'areaM2', 8000);
      await fillNumber(applicant, 'incubatedAreaM2', 6000);
      await fillNumber(applicant, 'incubatedFirms', 45);
      await applicant.click('[data-test=save-draft]');
      await applicant.waitForURL(/\/app\/applicant\/dossiers\/[0-9a-f-]+\/edit$/);
      const id = /dossiers\/([0-9a-f-]+)\/edit/.exec(applicant.url())![1]!;
      await applicant.waitForSelector('[data-test=eligibility-summary]:has-text("均已通过")');
      await applicant.setInputFiles('[data-test=upload-business_licence]', {
        name: '营业执照.pdf',
        mimeType: 'application/pdf',
        buffer: PDF_BYTES,
      });
      await applicant.waitForSelector('[data-test=versions-business_licence]:has-text("v1")');
      await applicant.click('[data-test=pledge]');
      await applicant.click('[data-test=submit]');
      await applicant.waitForSelector('[data-test=current-stage]:has-text("属地初审推荐")');
      await clean(applicant, 'applicant-submitted');

      // The county officer opens the dossier from the link in the mail that says it waits for them, and returns it.
      const county = await user(cast.users.countyA.email, cast.users.countyA.password);
      const [task] = await smtp.waitForMail(cast.users.countyA.email);
      await county.goto(mailLink(task!.text, '/app/dossiers/'));
      await county.waitForURL(`${test.baseUrl}/app/county/dossiers/${id}`);
      await waitStage(county, '属地初审推荐');
      await county.fill(field('action-comment'), '请核实在孵企业数并补充说明。');
      await county.click('[data-test=action-return_for_revision]');
      await waitStage(county, '退回补正');

      // The applicant sees why, corrects the form and resubmits.
      await applicant.reload();
      await applicant.waitForSelector('[data-test=return-reason]:has-text("请核实在孵企业数")');
      await applicant.click('[data-test=edit-dossier]');
      await fillNumber(applicant, 'incubatedFirms', 42);
      await applicant.click('[data-test=submit]');
      await applicant.waitForSelector('[data-test=event][data-action=resubmit]');

      // The county recommends it with its recommendation letter.
      await county.goto(`${test.baseUrl}/app/county`);
      await county.click(`[data-test=open-${id}]`);
      await waitStage(county, '属地初审推荐');
      await county.fill(field('action-comment'), '材料齐全，同意推荐。');
      await county.setInputFiles('[data-test=letter-file]', { name: '推荐函.pdf', mimeType: 'application/pdf', buffer: PDF_BYTES });
      await county.click('[data-test=action-recommend]');
      await waitStage(county, '形式审查');

      // The bureau passes formal review and draws the panel.
      const bureau = await user(cast.users.bureau.email, cast.users.bureau.password);
      await bureau.goto(`${test.baseUrl}/app/bureau/dossiers/${id}`);
      await waitStage(bureau, '形式审查');
      await bureau.click('[data-test=action-pass_formal_review]');
      await waitStage(bureau, '专家评审');
      await bureau.fill(field('panel-seed'), 'WZ-2027-WALK');
      await bureau.click('[data-test=panel-draw]');
      await bureau.waitForSelector('[data-test=panel-seed-shown]');
      const panel = (await asBureau(api().get(`/applications/${id}/panel`)).expect(200)).body;
      const seated: { assignmentId: string; expertId: string }[] = panel.seats.filter((s: { active: boolean }) => s.active);
      expect(seated.length).toBeGreaterThan(0);

      // Each seated expert declares no conflict and scores on their own screen.
      for (const seat of seated) {
        const expert = experts.find((e) => e.id === seat.expertId)!;
        const page = await user(expert.email, expert.password);
        const card = `[data-test=assignment][data-id="${seat.assignmentId}"]`;
        await page.click(`${card} [data-test=open-assignment]`);
        await page.click('[data-test=no-conflict]');
        await page.click('[data-test=declare]');
        await page.waitForSelector('[data-test=dossier-form]');
        for (const criterion of panel.rubric.criteria as { code: string; max: number }[])
          await page.fill(`[data-criterion="${criterion.code}"] [data-test=score-value]`, String(criterion.max - 2));
        await page.click('[data-test=submit-scores]');
        await page.waitForSelector('[data-test=scored]');
      }

      // The bureau sees every score in, closes the panel and records its result.
      await bureau.reload();
      await bureau.waitForSelector(`[data-test=panel-progress]:has-text("${seated.length}/${seated.length}")`);
      await bureau.click('[data-test=panel-close]');
      await bureau.waitForSelector('[data-test=panel-result]');
      await bureau.click('[data-test=action-record_expert_result]');
      await waitStage(bureau, '现场考察');

      // The inspection: the bureau sets the date and the team (itself, the county officer, one of the panel's
      // experts), verifies the checklist, records the result and signs; the others sign on their own screens.
      const inspector = experts.find((e) => e.id === seated[0]!.expertId)!;
      await bureau.fill(field('inspection-date'), today);
      await bureau.keyboard.press('Enter');
      // Every cast member is called 测试用户: the option's role prefix tells them apart.
      for (const label of [`市局 · ${cast.users.bureau.name}`, `县级 · ${cast.users.countyA.name}`, `专家 · ${inspector.name}`]) {
        await bureau.click('[data-test=inspection-team]');
        await bureau.fill('[data-test=inspection-team] input', label);
        await bureau.getByRole('option', { name: label, exact: true }).click();
      }
      // The list stays open over the button (Escape first clears the query): a click outside closes it.
      await bureau.click('[data-test=inspection-card] h2');
      await bureau.waitForSelector('[data-test=inspection-team] input[aria-expanded=false]');
      await bureau.click('[data-test=inspection-create]');
      await bureau.waitForSelector('[data-test=inspection-checklist]');
      for (const radio of await bureau.$$('[data-test=inspection-checklist] [data-test$=-verified]')) await radio.click();
      await bureau.click('[data-test=inspection-passed]');
      await bureau.click('[data-test=inspection-save]');
      await bureau.click('[data-test=inspection-sign]');
      for (const member of [county, await user(inspector.email, inspector.password)]) {
        await member.goto(`${test.baseUrl}/app/inspections`);
        await member.click(`[data-test=team-inspection][data-application-id="${id}"] [data-test=team-open]`);
        await member.click('[data-test=team-sign]');
        await member.click('.el-message-box__btns .el-button--primary');
        await member.waitForSelector('[data-test=team-my-signature]');
        await member.waitForSelector('.el-message-box', { state: 'hidden' });
      }
      await clean(county, 'county-signed-inspection');
      await bureau.reload();
      await bureau.waitForSelector('[data-test=inspection-state]:has-text("已签字确认")');
      await bureau.click('[data-test=action-record_inspection]');
      await waitStage(bureau, '局务会研究');

      // The decision recorded with its meeting; the leader signs it off on their screen.
      await bureau.fill(field('decision-date'), today);
      await bureau.keyboard.press('Enter');
      await bureau.fill(field('decision-reference'), '局长办公会纪要〔2027〕9号');
      await bureau.click('[data-test=decision-record]');
      await bureau.waitForSelector('[data-test=decision-status]:has-text("待领导签批")');
      await leader.goto(`${test.baseUrl}/app/leader/sign-offs`);
      const decision = `[data-test=decision][data-id="${id}"]`;
      await leader.click(`${decision} [data-test=sign-off]`);
      await leader.click('.el-message-box button:has-text("确认签批")');
      await leader.waitForSelector(`${decision} [data-test=decision-status]:has-text("已签批")`);
      await leader.waitForSelector('.el-message-box', { state: 'hidden' });
      await clean(leader, 'leader-signed');

      // The bureau releases the call's signed decisions and publishes the notice.
      await bureau.goto(`${test.baseUrl}/app/bureau/calls/${callId}`);
      await bureau.waitForSelector('[data-test=decision-row-status]:has-text("已签批待发布")');
      await bureau.click('[data-test=call-release]');
      await bureau.waitForSelector('[data-test=notice-publish]');
      await bureau.fill(field('notice-title'), '2027年度温州市科技企业孵化器拟认定名单公示（走查）');
      await bureau.click('[data-test=notice-publish]');
      await bureau.waitForSelector('text=暂无待公示的申报书');
      expect(await stageOf(id)).toBe('public_notice');

      // A visitor reads the notice and objects; the receipt names the objection.
      const notices = (await api().get('/public/notices').expect(200)).body.items as { id: string; title: string; closesAt: string }[];
      const notice = notices.find((n) => n.title.includes('走查'))!;
      const objector = await openPage(browser!);
      pages.push(objector);
      await objector.page.goto(`${test.baseUrl}/app/notices`);
      await objector.page.click(`a[href="/app/notices/${notice.id}"]`);
      await objector.page.waitForSelector('[data-test=objection-form]');
      await objector.page.click('[data-test=objection-candidate]');
      await objector.page.locator('.el-select-dropdown__item:visible', { hasText: '温州走查孵化器' }).first().click();
      await objector.page.fill('[data-test=objection-name]', '王小明');
      await objector.page.fill('[data-test=objection-contact]', '13812345678');
      await objector.page.fill('[data-test=objection-text]', '该孵化器申报的在孵企业数量与实际不符，请予核查。');
      await objector.page.click('[data-test=objection-submit]');
      await objector.page.waitForSelector('[data-test=objection-receipt]');
      const receipt = (await objector.page.textContent('[data-test=receipt-number]'))!.trim();
      await clean(objector.page, 'visitor-receipt');

      // The bureau investigates and dismisses it.
      await bureau.goto(`${test.baseUrl}/app/bureau/notices`);
      await bureau.click(`[data-test=objections-${notice.id}]`);
      await bureau.fill(`[data-test=objection-${receipt}] textarea[data-test=objection-resolution]`, '经实地核查，在孵企业数量属实。');
      await bureau.click(`[data-test=objection-${receipt}] [data-test=objection-dismiss]`);
      await bureau.waitForSelector(`[data-test=objection-${receipt}] [data-test=objection-status]:has-text("异议不成立")`);

      // The notice closes itself at the end of its last working day (its timer, fired at that instant); from
      // then on the server's clock stays an hour past the close, so that the recognition day is today for it.
      const closedAt = new Date(new Date(notice.closesAt).getTime() + 3_600_000);
      const clock = jest.spyOn(test.app.get(Clock), 'now').mockReturnValue(closedAt);
      try {
        await test.app.get(TimersService).fire(`notice.close.${notice.id}`);

        // The bureau recognises the batch under one document; the applicant sees it; the dashboard counts it.
        const recognisedOn = closedAt.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
        await bureau.goto(`${test.baseUrl}/app/bureau/calls/${callId}`);
        await bureau.fill(field('recognition-number'), '温科发〔2027〕41号');
        await bureau.fill(field('recognition-date'), recognisedOn);
        await bureau.keyboard.press('Enter');
        await bureau.click('[data-test=recognition-submit]');
        await bureau.waitForSelector('text=暂无公示结束的申报书');
        expect(await stageOf(id)).toBe('recognised');
        await applicant.goto(`${test.baseUrl}/app/applicant/dossiers/${id}`);
        await applicant.waitForSelector('[data-test=current-stage]:has-text("已认定")');
        await clean(applicant, 'applicant-recognised');
        expect(await operatorsOnDashboard(leader)).toBe(countedBefore + 1);
        await clean(leader, 'dashboard-after');
      } finally {
        clock.mockRestore();
      }
      for (const watched of pages) expect(watched.problems).toEqual([]);
    },
    300_000,
  );
});
