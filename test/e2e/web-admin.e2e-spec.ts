/// <reference lib="dom" />
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Browser, Page } from 'playwright-core';
import { AuditService } from '../../libs/audit/src';
import { makeUser } from '../../libs/identity/src/testing/identity-fixtures';
import { type TestApp, startTestApp } from '../support/app';
import { browserIt, keepScreenshot, launchBrowser, openPage, seriousAxeViolations, signInThroughScreen } from '../support/browser';
import { login } from '../support/procedure';

/** Waits for transitions (a notice fading in, a dialog closing) to end: axe measures colours as they are drawn. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().length === 0);
}

/** The admins' screens: a staff account created through the screen, and the audit log showing it. */
describe('the web app for admins: users, organisations, the audit log, the queues', () => {
  let test: TestApp;
  let db: DataSource;
  let browser: Browser | undefined;

  beforeAll(async () => {
    test = await startTestApp();
    db = test.app.get(DataSource);
    browser = await launchBrowser().catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  browserIt('creates a county officer with its county; the API holds it and the audit log shows its creation', async () => {
    const admin = await makeUser(db, { role: 'admin', name: '测试管理员' });
    const { page, problems, context } = await openPage(browser!);
    await signInThroughScreen(page, test.baseUrl, admin.email, admin.password);
    expect(page.url()).toBe(`${test.baseUrl}/app/admin`);
    expect(await page.isVisible('[data-test=open-queues]')).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await keepScreenshot(page, 'web-admin-home');

    await page.click('[data-test=to-users]');
    await page.waitForSelector('[data-test=users] .el-table__row');
    await page.click('[data-test=new-user]');
    await page.waitForSelector('[data-test=user-form]');
    // Nothing typed: the screen asks for the fields before the API is called.
    await page.click('[data-test=create-user]');
    await page.waitForSelector('[data-test=user-form] .el-form-item__error');
    await page.click('[data-test=user-form] .el-select');
    await page.click('.el-select-dropdown__item:visible:has-text("县级管理员")');
    const email = `county.new.${Date.now()}@example.cn`;
    await page.fill('[data-test=new-email]', email);
    await page.fill('[data-test=new-name]', '新县级管理员');
    await page.click('[data-test=new-region]');
    await page.click('.el-select-dropdown__item:visible:has-text("鹿城区")');
    await page.click('[data-test=create-user]');
    await page.waitForSelector(`[data-test=users] .el-table__row:has-text("${email}")`);
    expect(await page.textContent(`[data-test=users] .el-table__row:has-text("${email}")`)).toContain('鹿城区');

    const token = await login(test.baseUrl, admin);
    const listed = await request(test.baseUrl).get('/users?role=county_officer').auth(token, { type: 'bearer' }).expect(200);
    const created = listed.body.items.find((u: { email: string }) => u.email === email);
    expect(created).toMatchObject({ name: '新县级管理员', role: 'county_officer', regionCode: 'lucheng', disabled: false });
    await settled(page);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await keepScreenshot(page, 'web-admin-users');

    // The same email again: the API's Chinese message, and the form keeps what was typed.
    await page.click('[data-test=new-user]');
    await page.click('[data-test=user-form] .el-select');
    await page.click('.el-select-dropdown__item:visible:has-text("市科技局经办人")');
    await page.fill('[data-test=new-email]', email);
    await page.fill('[data-test=new-name]', '重复的账号');
    await page.click('[data-test=create-user]');
    const notice = await page.waitForSelector('.el-message--error');
    expect(await notice.textContent()).toMatch(/[\u4e00-\u9fff]/);
    expect(await page.inputValue('[data-test=new-name]')).toBe('重复的账号');
    await page.keyboard.press('Escape');

    // The audit log: the creation, by this admin, with the page's hash links checked.
    await page.goto(`${test.baseUrl}/app/admin/audit`);
    await page.waitForSelector('[data-test=audit] .el-table__row');
    await page.fill('[data-test=audit-object]', created.id);
    await page.click('[data-test=audit-filter]');
    await page.waitForSelector('[data-test=audit] .el-table__row:has-text("user.created")');
    const row = await page.textContent('[data-test=audit] .el-table__row:has-text("user.created")');
    expect(row).toContain(email);
    expect(row).toContain('系统管理员');
    const audit = await request(test.baseUrl).get(`/audit?objectId=${created.id}`).auth(token, { type: 'bearer' }).expect(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toContain('user.created');
    await page.click('text=重置');
    await page.waitForFunction(() => document.querySelectorAll('[data-test=audit] .el-table__row').length > 1);
    // The verification: every chain and checkpoint checked by the API with its key.
    const checkpoint = await test.app.get(AuditService).checkpoint();
    await page.click('[data-test=audit-verify]');
    await page.waitForSelector('[data-test=chain-check]:has-text("审计链完整")');
    expect(await page.textContent('[data-test=latest-checkpoint]')).toContain(checkpoint!.mac);
    await settled(page);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await keepScreenshot(page, 'web-admin-audit');

    await page.goto(`${test.baseUrl}/app/admin/organisations`);
    await page.waitForSelector('[data-test=organisations]');
    await settled(page);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await keepScreenshot(page, 'web-admin-organisations');
    expect(problems).toEqual([]);
    await context.close();
  });

  browserIt('opens the queues board signed in as the admin', async () => {
    const admin = await makeUser(db, { role: 'admin' });
    const { page, problems, context } = await openPage(browser!);
    await signInThroughScreen(page, test.baseUrl, admin.email, admin.password);
    const [board] = await Promise.all([context.waitForEvent('page'), page.click('[data-test=open-queues]')]);
    await board.waitForLoadState();
    expect(board.url()).toBe(`${test.baseUrl}/admin/queues`);
    const response = await board.request.get(`${test.baseUrl}/admin/queues`);
    expect(response.status()).toBe(200);
    expect(problems).toEqual([]);
    await context.close();
  });
});
