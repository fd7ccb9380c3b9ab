import request from 'supertest';
import { DataSource } from 'typeorm';
import { makeUser } from '../../libs/identity/src/testing/identity-fixtures';
import { type TestApp, startTestApp } from '../support/app';
import { browserIt, keepScreenshot, launchBrowser, openPage, seriousAxeViolations, signInThroughScreen } from '../support/browser';
import type { Browser } from 'playwright-core';

describe('the web app (apps/web), served by the API under /app/', () => {
  let test: TestApp;
  let browser: Browser | undefined;

  beforeAll(async () => {
    test = await startTestApp();
    browser = await launchBrowser().catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  it('serves the page for any screen path, hashed assets for a year, and never shadows the API', async () => {
    await request(test.baseUrl).get('/').expect(302).expect('location', '/app/');
    const page = await request(test.baseUrl).get('/app/applicant/dossiers/123').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const script = /src="(\/app\/assets\/[^"]+\.js)"/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    const asset = await request(test.baseUrl).get(script!).expect(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    await request(test.baseUrl).get('/app/assets/missing.js').expect(404);
    await request(test.baseUrl)
      .get('/app/%2e%2e/package.json')
      .expect((res) => expect([403, 404]).toContain(res.status));
    // The API's own routes answer as before.
    await request(test.baseUrl).get('/health').expect(200);
    await request(test.baseUrl).get('/public/notices').expect(200).expect('content-type', /json/);
  });

  browserIt('shows a visitor the public notices and lets a user sign in, in Chinese, with no console error', async () => {
    const db = test.app.get(DataSource);
    const officer = await makeUser(db, { role: 'bureau_officer', name: '测试经办人' });
    const { page, problems, context } = await openPage(browser!);
    await page.goto(`${test.baseUrl}/app/notices`);
    await page.waitForSelector('text=公示公告');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await signInThroughScreen(page, test.baseUrl, officer.email, officer.password);
    expect(page.url()).toBe(`${test.baseUrl}/app/bureau`);
    expect(await page.textContent('[data-test=who]')).toContain('测试经办人');
    await keepScreenshot(page, 'web-bureau-home');
    // A wrong password: the API's Chinese message next to the form, the email kept.
    await page.click('[data-test=sign-out]');
    await page.waitForURL(/\/app\/login/);
    await page.fill('[data-test=email]', officer.email);
    await page.fill('[data-test=password]', 'not-the-password');
    await page.click('[data-test=login-submit]');
    const error = await page.waitForSelector('[data-test=login-error]');
    expect(await error.textContent()).toMatch(/[\u4e00-\u9fff]/);
    expect(await page.inputValue('[data-test=email]')).toBe(officer.email);

    // A session that ends under the reader (signed out elsewhere): the next call sends them to sign in, and back.
    await signInThroughScreen(page, test.baseUrl, officer.email, officer.password);
    const stored: { accessToken: string } = JSON.parse((await page.evaluate(() => sessionStorage.getItem('ouflow.session'))) ?? '{}');
    await request(test.baseUrl).post('/auth/logout').auth(stored.accessToken, { type: 'bearer' }).expect(204);
    await page.click('.el-menu-item:has-text("申报通知")');
    await page.waitForURL((url) => url.pathname === '/app/login' && url.searchParams.get('next') === '/bureau/calls');
    await page.fill('[data-test=email]', officer.email);
    await page.fill('[data-test=password]', officer.password);
    await page.click('[data-test=login-submit]');
    await page.waitForURL(`${test.baseUrl}/app/bureau/calls`);
    expect(problems).toEqual([]);
    await context.close();
  });
});
