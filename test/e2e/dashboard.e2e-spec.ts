/// <reference lib="dom" />
// The page functions below run in the browser.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { User } from '@app/identity';
import { makeOrganisation, makeUser } from '../../libs/identity/src/testing/identity-fixtures';
import { type TestApp, startTestApp } from '../support/app';
import { recognise, signIn } from '../support/registry-fixtures';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', 'artifacts');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) process.stderr.write(`dashboard browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium)\n`);
const browserIt = hasChromium ? it : it.skip;

describe('dashboard', () => {
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
    if (hasChromium)
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      });
  });

  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  it('serves the page, its script and echarts publicly, under the same-origin CSP', async () => {
    const page = await request(test.baseUrl).get('/dashboard').expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).toContain('温州市创新平台目标进度看板');
    expect(page.text).not.toMatch(/<script>(?!<\/script>)/);
    const script = await request(test.baseUrl).get('/dashboard/dashboard.js').expect(200);
    expect(script.headers['content-type']).toContain('javascript');
    const echarts = await request(test.baseUrl).get('/dashboard/echarts.min.js').expect(200);
    expect(echarts.text.length).toBeGreaterThan(500_000);
  });

  browserIt('shows a leader the charts drawn with the right numbers, and prints', async () => {
    if (!browser) throw new Error('no browser');
    const api = await request(test.baseUrl)
      .get('/targets/progress?by=county')
      .set('authorization', await signIn(test, 'leader'))
      .expect(200);
    const expected = new Map<string, number>(api.body.targets.map((t: { code: string; value: number }) => [t.code, t.value]));
    expect(expected.get('key_lab.municipal_plus')).toBe(2);
    expect(expected.get('incubation.provincial_plus')).toBe(2);
    expect(expected.get('nri.total')).toBe(0);

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${test.baseUrl}/dashboard`);
    await page.fill('#email', leader.email);
    await page.fill('#password', leader.password);
    await page.click('#login-button');
    await page.waitForSelector('#dashboard:not([hidden])', { timeout: 15_000 });
    await page.waitForFunction(() => document.querySelectorAll('#charts canvas').length >= 9, undefined, { timeout: 15_000 });

    const shown = await page.$$eval('#summary-table tbody tr', (rows) =>
      rows.map((r) => [r.getAttribute('data-code'), Number(r.getAttribute('data-value')), r.children[1].textContent]),
    );
    expect(shown).toHaveLength(9);
    for (const [code, value, text] of shown) {
      expect(value).toBe(expected.get(code as string));
      expect(text).toBe(Number(value).toLocaleString('zh-CN'));
    }
    const keyLabCaption = await page.textContent('.chart-card[data-code="key_lab.municipal_plus"] .caption');
    expect(keyLabCaption).toContain('当前 2 家 / 目标 150');
    expect(
      await page.$$eval('#charts canvas', (canvases) => canvases.filter((c) => (c as HTMLCanvasElement).width > 0).length),
    ).toBeGreaterThanOrEqual(9);
    // County coverage: the zone's incubator covers Longwan; Rui'an has a national maker space; Taishun has none.
    expect(await page.textContent('#county-table tr[data-county="longwan"]')).toContain('已覆盖');
    expect(await page.textContent('#county-table tr[data-county="ruian"]')).toContain('已覆盖');
    expect(await page.textContent('#county-table tr[data-county="taishun"]')).toContain('未覆盖');
    expect(await page.textContent('#county-table tbody')).toContain('已覆盖 2 / 12');
    expect(await page.isVisible('#funnel-empty')).toBe(true);
    expect(await page.textContent('#indicator-table tr[data-indicator="high_tech_enterprises"] td[data-year="2025"]')).toBe(
      '5,600 / 5,500',
    );
    expect(await page.textContent('#industry-chips')).toContain('✗ 数字经济');

    // A past day shows that day's numbers: the NRI revoked in 2026 still counted at the end of 2025.
    await page.fill('#as-of', '2025-12-31');
    await page.click('#refresh');
    await page.waitForFunction(() => document.getElementById('as-of-label')?.textContent === '2025-12-31');
    expect(await page.getAttribute('#summary-table tr[data-code="nri.total"]', 'data-value')).toBe('1');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('#toolbar')).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });

  browserIt('refuses an applicant after sign-in: the API answers 403', async () => {
    if (!browser) throw new Error('no browser');
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${test.baseUrl}/dashboard`);
    await page.fill('#email', applicant.email);
    await page.fill('#password', applicant.password);
    await page.click('#login-button');
    await page.waitForSelector('#refusal:not([hidden])', { timeout: 15_000 });
    expect(await page.textContent('#refusal')).toContain('无权查看本看板');
    expect(await page.isVisible('#dashboard')).toBe(false);
    expect(await page.$$('#charts canvas')).toHaveLength(0);
    await context.close();
  });

  browserIt('shows the login error for a wrong password', async () => {
    if (!browser) throw new Error('no browser');
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${test.baseUrl}/dashboard`);
    await page.fill('#email', leader.email);
    await page.fill('#password', 'wrong-password-123');
    await page.click('#login-button');
    await page.waitForFunction(() => (document.getElementById('login-error')?.textContent ?? '') !== '');
    expect(await page.textContent('#login-error')).toContain('邮箱或密码错误');
    await context.close();
  });
});
