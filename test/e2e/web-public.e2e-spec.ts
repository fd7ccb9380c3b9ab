import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Clock } from '../../libs/common/src';
import { makeUser, randomCreditCode } from '../../libs/identity/src/testing/identity-fixtures';
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
import { type Cast, PDF_BYTES, makeCast, makeExperts, openCall, reviewAndApprove, submittedDossier } from '../support/procedure';
import { SmtpCatcher } from '../support/smtp-catcher';

/** Issue 15, visitors: the public notice with its objection form and receipt, registration, and the screens mails link to. */
describe('web: the visitor screens (notices and objections, registration, account mails)', () => {
  let test: TestApp;
  let smtp: SmtpCatcher;
  let db: DataSource;
  let browser: Browser | undefined;
  let cast: Cast;
  let noticeId: string;

  beforeAll(async () => {
    smtp = await new SmtpCatcher().start();
    test = await startTestApp({ withWorker: true, smtpUrl: smtp.url });
    db = test.app.get(DataSource);
    browser = await launchBrowser().catch(() => undefined);
    if (!browser) return;
    // One notice on public display, with two candidates walked there through the ordinary actions.
    cast = await makeCast(test.baseUrl, db);
    const callId = await openCall(test.baseUrl, cast.tokens.bureau);
    const experts = [{ id: cast.users.expert.id, token: cast.tokens.expert }, ...(await makeExperts(test.baseUrl, db))];
    const ids: string[] = [];
    for (const name of ['瓯江科创孵化器', '鹿城青年创业孵化器']) {
      const submitted = await submittedDossier(test.baseUrl, cast, callId, name);
      let version = submitted.version;
      for (const [token, action] of [
        [cast.tokens.countyA, 'recommend'],
        [cast.tokens.bureau, 'pass_formal_review'],
      ] as const) {
        const moved = await request(test.baseUrl)
          .post(`/applications/${submitted.id}/actions`)
          .auth(token, { type: 'bearer' })
          .send({ action, expectedVersion: version });
        if (moved.status !== 200) throw new Error(`${action}: ${JSON.stringify(moved.body)}`);
        version = moved.body.version;
      }
      await reviewAndApprove(test.baseUrl, cast, experts, submitted.id, callId);
      ids.push(submitted.id);
    }
    const notice = await request(test.baseUrl)
      .post('/notices')
      .auth(cast.tokens.bureau, { type: 'bearer' })
      .send({ callId, applicationIds: ids })
      .expect(201);
    noticeId = notice.body.id;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await test?.close();
    await smtp?.stop();
  });

  /** The bureau's list of the notice's objections (the officer's view of what the visitor filed). */
  const objections = async (): Promise<{ receipt: string; objectorType: string; name: string; letterReceivedAt: string | null }[]> =>
    (await request(test.baseUrl).get(`/notices/${noticeId}/objections`).auth(cast.tokens.bureau, { type: 'bearer' }).expect(200)).body;

  /** A mail's link, opened on this test's server (mails name PUBLIC_BASE_URL). */
  const linkIn = (text: string, path: string): string => {
    const link = [...text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((match) => match[0]).find((found) => found.includes(path));
    expect(link).toBeDefined();
    expect(link!.startsWith(`${test.config.publicBaseUrl}/app/`)).toBe(true);
    return `${test.baseUrl}${link!.slice(test.config.publicBaseUrl.length)}`;
  };

  /** The pages run with reduced motion (test/support/browser.ts): no fade is ever half-way when axe measures. */
  const axe = (page: Page): ReturnType<typeof seriousAxeViolations> => seriousAxeViolations(page);

  async function openNotice(page: Page): Promise<void> {
    await page.goto(`${test.baseUrl}/app/notices`);
    await page.click(`a[href="/app/notices/${noticeId}"]`);
    await page.waitForSelector('[data-test=objection-form]');
  }

  async function chooseCandidate(page: Page, name: string): Promise<void> {
    await page.click('[data-test=objection-candidate]');
    await page.locator('.el-select-dropdown__item:visible', { hasText: name }).click();
  }

  browserIt('shows a notice to an anonymous visitor, who objects as a person and gets a receipt the bureau then sees', async () => {
    const { page, problems, context } = await openPage(browser!);
    await openNotice(page);
    expect(await page.textContent('[data-test=notice-title]')).toBeTruthy();
    const candidates = page.locator('[data-test=candidate]');
    expect(await candidates.count()).toBe(2);
    // Labels from the dictionaries, in Chinese.
    expect(await candidates.first().locator('[data-test=candidate-type]').textContent()).toBe('科技企业孵化器');
    expect(await candidates.first().locator('[data-test=candidate-level]').textContent()).toBe('市级');
    expect(await axe(page)).toEqual([]);
    await keepScreenshot(page, 'web-public-notice-desktop');

    await chooseCandidate(page, '瓯江科创孵化器');
    await page.fill('[data-test=objection-name]', '王小明');
    await page.fill('[data-test=objection-contact]', '13812345678');
    await page.fill('[data-test=objection-text]', '该孵化器申报的在孵企业数量与实际不符，部分企业已迁出温州。');
    await page.click('[data-test=objection-submit]');
    const receipt = await page.waitForSelector('[data-test=objection-receipt]');
    const number = (await page.textContent('[data-test=receipt-number]'))!.trim();
    expect(number).toMatch(/^\d{2}-[2-9A-Z]{8}$/);
    expect(await receipt.textContent()).toContain('调查核实');
    expect(await page.locator('[data-test=receipt-letter]').count()).toBe(0);
    expect(await axe(page)).toEqual([]);
    await keepScreenshot(page, 'web-public-objection-receipt');

    const filed = (await objections()).find((objection) => objection.receipt === number);
    expect(filed).toMatchObject({ objectorType: 'person', name: '王小明' });
    expect(problems).toEqual([]);
    await context.close();

    const phone = await openPage(browser!, PHONE);
    await openNotice(phone.page);
    expect(await axe(phone.page)).toEqual([]);
    await keepScreenshot(phone.page, 'web-public-notice-phone');
    expect(phone.problems).toEqual([]);
    await phone.context.close();
  });

  browserIt('takes an organisation’s objection with its sealed letter', async () => {
    const { page, problems, context } = await openPage(browser!);
    await openNotice(page);
    await chooseCandidate(page, '鹿城青年创业孵化器');
    await page.click('[data-test=objector-organisation]');
    await page.fill('[data-test=objection-organisation-name]', '温州某某众创空间有限公司');
    await page.fill('[data-test=objection-name]', '李经理');
    await page.fill('[data-test=objection-contact]', 'objection@example.cn');
    await page.fill('[data-test=objection-text]', '该平台场地面积与申报材料不一致，特此提出异议，详见盖章函。');
    // A scan that is no PDF inside: the objection is taken, the letter refused with the API's message, and sent again from the receipt.
    const fake = Buffer.from('%PDF-1.7 this is no PDF at all');
    await page.setInputFiles('[data-test=objection-letter]', { name: '异议函.pdf', mimeType: 'application/pdf', buffer: fake });
    await page.click('[data-test=objection-submit]');
    await page.waitForSelector('[data-test=objection-receipt]');
    const refusal = await page.waitForSelector('[data-test=letter-error]');
    expect(await refusal.textContent()).toMatch(/[\u4e00-\u9fff]/);
    await page.setInputFiles('[data-test=receipt-letter-file]', {
      name: '异议函（盖章）.pdf',
      mimeType: 'application/pdf',
      buffer: PDF_BYTES,
    });
    await page.click('[data-test=receipt-letter-upload]');
    await page.waitForSelector('[data-test=letter-received]');
    await keepScreenshot(page, 'web-public-objection-letter');
    const number = (await page.textContent('[data-test=receipt-number]'))!.trim();
    const filed = (await objections()).find((objection) => objection.receipt === number);
    expect(filed).toMatchObject({ objectorType: 'organisation', name: '李经理', letterReceivedAt: expect.any(String) });
    expect(await axe(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  browserIt('shows a refusal in Chinese next to the form and keeps what was typed', async () => {
    const { page, problems, context } = await openPage(browser!);
    await openNotice(page);
    const before = (await objections()).length;
    await chooseCandidate(page, '瓯江科创孵化器');
    const text = '公示材料中的研发投入数据明显偏高，请核实。';
    await page.fill('[data-test=objection-name]', '陈大文');
    await page.fill('[data-test=objection-contact]', '找我就行');
    await page.fill('[data-test=objection-text]', text);
    await page.click('[data-test=objection-submit]');
    // A contact the API does not take: its message, in Chinese, at the field and above the button.
    const error = await page.waitForSelector('[data-test=objection-error]');
    expect(await error.textContent()).toContain('联系方式须为手机号、固定电话或电子邮箱');
    await page.waitForSelector('.el-form-item__error:has-text("联系方式")');
    expect(await page.inputValue('[data-test=objection-name]')).toBe('陈大文');
    expect(await page.inputValue('[data-test=objection-text]')).toBe(text);

    // The period ends while the visitor types: the API's refusal, the form still filled.
    await page.fill('[data-test=objection-contact]', '0577-88001234');
    const clock = jest.spyOn(test.app.get(Clock), 'now').mockReturnValue(new Date(Date.now() + 40 * 24 * 3600 * 1000));
    try {
      await page.click('[data-test=objection-submit]');
      await page.waitForSelector('[data-test=objection-error]:has-text("公示期已结束")');
    } finally {
      clock.mockRestore();
    }
    expect(await page.inputValue('[data-test=objection-contact]')).toBe('0577-88001234');
    expect(await page.inputValue('[data-test=objection-text]')).toBe(text);
    expect((await objections()).length).toBe(before);
    expect(await axe(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  async function fillRegistration(page: Page, email: string, creditCode: string): Promise<void> {
    await page.fill('[data-test=credit-code]', creditCode);
    await page.fill('[data-test=org-name]', '温州屏幕注册科技有限公司');
    await page.click('[data-test=legal-form]');
    await page.locator('.el-select-dropdown__item:visible', { hasText: '企业' }).click();
    await page.click('[data-test=region]');
    await page.locator('.el-select-dropdown__item:visible', { hasText: '鹿城区' }).click();
    await page.click('[data-test=industries]');
    await page.locator('.el-select-dropdown__item:visible', { hasText: '电气' }).first().click();
    await page.keyboard.press('Escape');
    await page.fill('[data-test=address]', '浙江省温州市鹿城区屏幕路8号');
    await page.fill('[data-test=contact-name]', '周九');
    await page.fill('[data-test=contact-phone]', '0577-88123456');
    await page.fill('[data-test=user-name]', '周九');
    await page.fill('[data-test=user-email]', email);
  }

  browserIt('registers a new organisation through the screen, verifies the address from the mail and signs in', async () => {
    const email = `screen-${Date.now()}@example.cn`;
    const password = 'Nanxi-River-Bamboo-Raft-2027';
    const code = randomCreditCode('330302');
    const wrongCheckDigit = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');

    const { page, problems, context } = await openPage(browser!);
    await page.goto(`${test.baseUrl}/app/login`);
    await page.click('a[href="/app/register"] >> nth=-1');
    await page.waitForSelector('[data-test=register-form]');
    await fillRegistration(page, email, wrongCheckDigit.slice(0, 10));
    expect(await page.textContent('[data-test=credit-code-hint]')).toContain('当前10位');
    // Flagged as typed: a letter the code never uses, then a wrong check digit.
    await page.fill('[data-test=credit-code]', `${code.slice(0, 9)}O`);
    expect(await page.textContent('[data-test=credit-code-hint]')).toContain('不允许的字符');
    await page.fill('[data-test=credit-code]', wrongCheckDigit);
    expect(await page.textContent('[data-test=credit-code-hint]')).toContain('校验位');
    await page.waitForSelector('.el-form-item__error:has-text("校验位")');
    // A password containing the name is flagged before sending.
    await page.fill('[data-test=user-password]', 'short');
    expect(await page.getAttribute('[data-test=password-rule-length]', 'class')).not.toContain('met');
    await page.click('[data-test=register-submit]');
    await page.waitForSelector('[data-test=register-error]');
    expect(await page.locator('[data-test=register-done]').count()).toBe(0);
    expect(await axe(page)).toEqual([]);
    await keepScreenshot(page, 'web-public-register-desktop');

    await page.fill('[data-test=credit-code]', code.toLowerCase());
    expect(await page.inputValue('[data-test=credit-code]')).toBe(code);
    expect(await page.textContent('[data-test=credit-code-hint]')).toContain('校验通过');
    await page.fill('[data-test=user-password]', password);
    await page.fill('[data-test=user-confirm]', password);
    expect(await page.getAttribute('[data-test=password-rule-length]', 'class')).toContain('met');
    await page.click('[data-test=register-submit]');
    const done = await page.waitForSelector('[data-test=register-done]');
    expect(await done.textContent()).toContain(email);
    const [organisation] = await db.query(`SELECT name, region_code FROM organisation WHERE credit_code = $1`, [code]);
    expect(organisation).toEqual({ name: '温州屏幕注册科技有限公司', region_code: 'lucheng' });

    // The verification mail's link opens the screen; opening it verifies nothing, the button does.
    const [mail] = await smtp.waitForMail(email);
    await page.goto(linkIn(mail!.text, '/app/account/verify-email?token='));
    await page.waitForSelector('[data-test=verify-submit]');
    await request(test.baseUrl).post('/auth/login').send({ email, password }).expect(403);
    expect(await axe(page)).toEqual([]);
    await page.click('[data-test=verify-submit]');
    await page.waitForSelector('[data-test=verify-done]');
    await page.click('[data-test=to-login]');
    await page.waitForSelector('[data-test=login-submit]');
    await signInThroughScreen(page, test.baseUrl, email, password);
    expect(page.url()).toBe(`${test.baseUrl}/app/applicant`);
    expect(problems).toEqual([]);
    await context.close();

    const phone = await openPage(browser!, PHONE);
    await phone.page.goto(`${test.baseUrl}/app/register`);
    await phone.page.waitForSelector('[data-test=register-form]');
    await phone.page.fill('[data-test=credit-code]', wrongCheckDigit);
    expect(await axe(phone.page)).toEqual([]);
    await keepScreenshot(phone.page, 'web-public-register-phone');
    expect(phone.problems).toEqual([]);
    await phone.context.close();
  });

  browserIt('resets a forgotten password: the screen asks for the mail, its link sets a new password, sign-in works', async () => {
    const user = await makeUser(db, { role: 'bureau_officer', name: '忘记密码的经办人' });
    const password = 'Yandang-Mountain-Mist-2027';
    const { page, problems, context } = await openPage(browser!, DESKTOP);
    await page.goto(`${test.baseUrl}/app/login`);
    await page.click('a[href="/app/account/forgot"]');
    await page.fill('[data-test=forgot-email]', user.email);
    await page.click('[data-test=forgot-submit]');
    await page.waitForSelector('[data-test=forgot-sent]');
    expect(await axe(page)).toEqual([]);

    const [mail] = await smtp.waitForMail(user.email);
    await page.goto(linkIn(mail!.text, '/app/account/reset?token='));
    expect(await page.textContent('[data-test=set-password-title]')).toBe('重置密码');
    // The policy's feedback: a guessable password is refused with the API's reason, what was typed kept.
    await page.fill('[data-test=new-password]', 'password1234');
    await page.fill('[data-test=confirm-password]', 'password1234');
    await page.click('[data-test=set-password-submit]');
    await page.waitForSelector('.el-form-item__error:has-text("密码强度不足")');
    expect(await page.inputValue('[data-test=new-password]')).toBe('password1234');
    expect(await axe(page)).toEqual([]);
    await page.fill('[data-test=new-password]', password);
    await page.fill('[data-test=confirm-password]', password);
    await page.click('[data-test=set-password-submit]');
    await page.waitForSelector('[data-test=set-password-done]');
    await signInThroughScreen(page, test.baseUrl, user.email, password);
    expect(page.url()).toBe(`${test.baseUrl}/app/bureau`);

    // A link whose token is damaged says so.
    await page.goto(`${test.baseUrl}/app/account/reset?token=%3Cbad%3E`);
    await page.waitForSelector('[data-test=invalid-link]');
    expect(problems).toEqual([]);
    await context.close();
  });
});
