/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Browser, Page } from 'playwright-core';
import type { User } from '@app/identity';
import { makeUser } from '../../libs/identity/src/testing/identity-fixtures';
import { type TestApp, startTestApp } from '../support/app';
import { browserIt, keepScreenshot, launchBrowser, openPage, seriousAxeViolations, signInThroughScreen } from '../support/browser';
import { commitMails, testMail } from '../support/notifications';
import { login } from '../support/procedure';
import { SmtpCatcher } from '../support/smtp-catcher';
import { waitFor } from '../support/wait';

/** Waits for transitions (a notice fading in, a dialog opening) to end: axe measures colours as they are drawn. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().length === 0);
}

const HEADER = '平台名称,类型,级别,依托单位,所在地区,产业领域,认定日期,认定文号,专业运营机构,撤销日期,撤销原因';
const GOOD_CSV = `\uFEFF${HEADER}\r\n瓯江界面测试孵化器,科技企业孵化器,省级,瓯江界面测试公司,鹿城区,智能装备,2021-05-08,浙科发〔2021〕515号,是,,\r\n洞头界面测试实验室,重点实验室,市级,洞头界面测试大学,洞头区,新材料,2019-01-02,温科发〔2019〕512号,否,,\r\n`;
const BAD_CSV = `\uFEFF${HEADER}\r\n坏行测试平台,不存在的类型,省级,某公司,鹿城区,智能装备,2021-05-08,浙科发〔2021〕516号,是,,\r\n`;

/** The bureau's registry screens: import with its dry run, export, revocation; the admins' calendar and dead mails. */
describe('the web app for the registry: import, export, revocation, targets, calendar, dead mails', () => {
  let smtp: SmtpCatcher;
  let test: TestApp;
  let db: DataSource;
  let browser: Browser | undefined;
  let officer: User & { password: string };
  let admin: User & { password: string };
  let officerToken: string;
  let adminToken: string;

  beforeAll(async () => {
    smtp = await new SmtpCatcher().start();
    test = await startTestApp({ withWorker: true, smtpUrl: smtp.url, env: { MAIL_RETRY_BASE_MS: '100' } });
    db = test.app.get(DataSource);
    officer = await makeUser(db, { role: 'bureau_officer', name: '名录经办人' });
    admin = await makeUser(db, { role: 'admin', name: '名录管理员' });
    officerToken = await login(test.baseUrl, officer);
    adminToken = await login(test.baseUrl, admin);
    browser = await launchBrowser().catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await test?.close();
    await smtp?.stop();
  });

  const platformsNamed = async (q: string) =>
    (await request(test.baseUrl).get('/platforms').query({ q }).auth(officerToken, { type: 'bearer' }).expect(200)).body as {
      total: number;
      items: { id: string; name: string; status: string }[];
    };

  browserIt('imports after a dry-run preview, exports the filtered list, and revokes a platform', async () => {
    const { page, problems, context } = await openPage(browser!);
    await signInThroughScreen(page, test.baseUrl, officer.email, officer.password);
    await page.click('text=平台名录');
    await page.waitForURL(/\/app\/bureau\/registry$/);
    await page.waitForSelector('[data-test=registry]');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await keepScreenshot(page, 'web-registry-list');

    // A file with a bad row: the dry run lists the problem and the import stays closed.
    await page.click('[data-test=open-import]');
    await page.setInputFiles('[data-test=import-file]', { name: '坏文件.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD_CSV, 'utf8') });
    await page.click('[data-test=import-dry-run]');
    await page.waitForSelector('[data-test=import-problems] .el-table__row');
    expect(await page.textContent('[data-test=import-problems]')).toMatch(/[\u4e00-\u9fff]/);
    expect(await page.isDisabled('[data-test=import-run]')).toBe(true);

    // The good file: the preview counts what would be created and stores nothing; then the import stores both.
    await page.setInputFiles('[data-test=import-file]', {
      name: '历史名录.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(GOOD_CSV, 'utf8'),
    });
    await page.click('[data-test=import-dry-run]');
    await page.waitForSelector('[data-test=report-to-create]');
    expect(await page.textContent('[data-test=report-total]')).toBe('2');
    expect(await page.textContent('[data-test=report-to-create]')).toBe('2');
    expect((await platformsNamed('界面测试')).total).toBe(0);
    await settled(page);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await keepScreenshot(page, 'web-registry-import-preview');
    await page.click('[data-test=import-run]');
    await page.waitForSelector('[data-test=report-created]');
    expect(await page.textContent('[data-test=report-created]')).toBe('2');
    expect((await platformsNamed('界面测试')).total).toBe(2);
    await page.keyboard.press('Escape');

    // The list finds them; the export of the filtered list downloads them.
    await page.fill('[data-test=registry-q]', '界面测试');
    await page.click('[data-test=registry-search]');
    await page.waitForSelector('[data-test=registry] .el-table__row:has-text("瓯江界面测试孵化器")');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export-csv]')]);
    expect(download.suggestedFilename()).toMatch(/^platforms-\d{4}-\d{2}-\d{2}\.csv$/);
    const exported = readFileSync((await download.path())!, 'utf8');
    expect(exported).toContain('瓯江界面测试孵化器');
    expect(exported).toContain('洞头界面测试实验室');

    // Revocation, from the platform's page.
    await page.click('[data-test=registry] .el-table__row:has-text("洞头界面测试实验室") [data-test=platform-link]');
    await page.waitForSelector('[data-test=platform-name]');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await keepScreenshot(page, 'web-registry-platform');
    await page.click('[data-test=revoke]');
    await page.fill('[data-test=revoke-doc]', '温科发〔2026〕99号');
    await page.click('[data-test=platform-submit]');
    await page.waitForFunction(() => document.querySelector('[data-test=platform-status]')?.textContent?.includes('已撤销'));
    const [lab] = (await platformsNamed('洞头界面测试实验室')).items;
    const detail = await request(test.baseUrl).get(`/platforms/${lab!.id}`).auth(officerToken, { type: 'bearer' }).expect(200);
    expect(detail.body).toMatchObject({
      status: 'revoked',
      revocationReason: 'criteria_not_met',
      revocationDocumentNumber: '温科发〔2026〕99号',
    });
    expect(await page.textContent('[data-test=revoked-on]')).toContain('温科发〔2026〕99号');

    // Targets: the officer reads them and their revisions; only admins revise.
    await page.click('text=目标与修订');
    await page.waitForSelector('[data-test=targets] .el-table__row');
    expect(await page.textContent('[data-test=targets]')).toContain('温政发〔2023〕17号');
    expect(await page.$$('[data-test^=revise-]')).toHaveLength(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await keepScreenshot(page, 'web-registry-targets');
    expect(problems).toEqual([]);
    await context.close();
  });

  browserIt('lets an admin edit the working-day calendar and revise a target', async () => {
    const { page, problems, context } = await openPage(browser!);
    await signInThroughScreen(page, test.baseUrl, admin.email, admin.password);
    await page.goto(`${test.baseUrl}/app/bureau/calendar`);
    await page.waitForSelector('[data-test=calendar-row]');
    const year = Number(await page.inputValue('[data-test=calendar-year] input'));
    const before = (await request(test.baseUrl).get(`/calendar/${year}`).auth(adminToken, { type: 'bearer' }).expect(200)).body.days.length;
    expect(await seriousAxeViolations(page)).toEqual([]);
    await keepScreenshot(page, 'web-registry-calendar');

    await page.click('[data-test=add-day]');
    const last = '[data-test=calendar-row]:last-child';
    // A day outside the year is flagged as typed, and saving waits for it to be right.
    await page.fill(`${last} td:first-child input`, `${year + 1}-11-16`);
    await page.press(`${last} td:first-child input`, 'Enter');
    await page.waitForSelector(`${last} .error`);
    expect(await page.textContent(`${last} .error`)).toContain(`须在 ${year} 年内`);
    expect(await page.isDisabled('[data-test=save-calendar]')).toBe(true);
    await page.fill(`${last} td:first-child input`, `${year}-11-16`);
    await page.press(`${last} td:first-child input`, 'Enter');
    await page.fill(`${last} [data-test=calendar-name]`, '界面测试停工日');
    // The new row shows its day as soon as it is typed: wait for the save's answer, not for the row.
    const [saved] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'PUT' && response.url().endsWith(`/calendar/${year}`)),
      page.click('[data-test=save-calendar]'),
    ]);
    expect(saved.status()).toBe(200);
    await page.waitForSelector(`[data-test=calendar-row][data-day="${year}-11-16"]`);
    const after = (await request(test.baseUrl).get(`/calendar/${year}`).auth(adminToken, { type: 'bearer' }).expect(200)).body;
    expect(after.days).toHaveLength(before + 1);
    expect(after.days).toContainEqual(expect.objectContaining({ day: `${year}-11-16`, working: false, nameZh: '界面测试停工日' }));

    // A target revision, kept with the earlier ones.
    await page.goto(`${test.baseUrl}/app/bureau/targets`);
    await page.click('[data-test="revise-key_lab.municipal_plus"]');
    await page.fill('[data-test=rev-value] input', '160');
    await page.fill('[data-test=rev-doc]', '温科发〔2026〕界面1号');
    await page.click('[data-test=rev-save]');
    await page.waitForFunction(() =>
      document.querySelector('[data-test="current-key_lab.municipal_plus"]')?.textContent?.startsWith('160'),
    );
    const targets = (await request(test.baseUrl).get('/targets').auth(adminToken, { type: 'bearer' }).expect(200)).body as {
      code: string;
      revisions: { value: number; sourceDocumentNumber: string }[];
    }[];
    const revisions = targets.find((t) => t.code === 'key_lab.municipal_plus')!.revisions;
    expect(revisions.length).toBeGreaterThanOrEqual(2);
    expect(revisions[revisions.length - 1]).toMatchObject({ value: 160, sourceDocumentNumber: '温科发〔2026〕界面1号' });
    expect(problems).toEqual([]);
    await context.close();
  });

  browserIt('shows an admin a dead mail and sends it again', async () => {
    smtp.failWith(550, 1);
    const [id] = await commitMails(test.app, [testMail('dead.letter@example.cn', '界面重试')]);
    await waitFor(
      async () => {
        const rows: { state: string }[] = await db.query('SELECT state FROM notification_delivery WHERE id = $1', [id]);
        return rows[0]?.state === 'dead';
      },
      { what: 'the mail dead-lettered' },
    );
    const { page, problems, context } = await openPage(browser!);
    await signInThroughScreen(page, test.baseUrl, admin.email, admin.password);
    await page.click('text=投递失败邮件');
    const row = '[data-test=dead-mails] .el-table__row:has-text("dead.letter@example.cn")';
    await page.waitForSelector(row);
    expect(await page.textContent(row)).toContain('550');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await keepScreenshot(page, 'web-registry-dead-mails');
    await page.click('[data-test="retry-dead.letter@example.cn"]');
    await page.waitForSelector(row, { state: 'detached' });
    await smtp.waitForMail('dead.letter@example.cn');
    await waitFor(
      async () => {
        const rows: { state: string }[] = await db.query('SELECT state FROM notification_delivery WHERE id = $1', [id]);
        return rows[0]?.state === 'sent';
      },
      { what: 'sent after the retry' },
    );
    expect(problems).toEqual([]);
    await context.close();
  });
});
