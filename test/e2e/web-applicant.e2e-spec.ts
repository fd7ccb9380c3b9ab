import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Browser, Page } from 'playwright-core';
import { type TestApp, startTestApp } from '../support/app';
import { PHONE, browserIt, keepScreenshot, launchBrowser, openPage, seriousAxeViolations, signInThroughScreen } from '../support/browser';
import { type Cast, INCUBATOR_FORM, PDF_BYTES, makeCast, openCall, submittedDossier } from '../support/procedure';
import { recognise } from '../support/registry-fixtures';

/** The properties of the incubator form as the committed contract declares them: the editor must show each. */
function contractFields(): string[] {
  const document = JSON.parse(readFileSync(join(__dirname, '..', '..', 'apps', 'api', 'openapi.json'), 'utf8'));
  return Object.keys(document.components.schemas.IncubatorForm.properties);
}

/** Types a number into an Element Plus number input (it takes the value on change). */
async function fillNumber(page: Page, field: string, value: number): Promise<void> {
  const input = page.locator(`[data-test=field-${field}] input`);
  await input.fill(String(value));
  await input.press('Tab');
}

async function pickOption(page: Page, select: string, label: string): Promise<void> {
  await page.click(`[data-test=${select}]`);
  await page.locator('.el-select-dropdown__item:visible', { hasText: label }).first().click();
}

async function expectCleanScreen(page: Page, screenshot: string): Promise<void> {
  expect(await seriousAxeViolations(page)).toEqual([]);
  await keepScreenshot(page, screenshot);
}

describe('the applicant screens (apps/web/src/views/applicant)', () => {
  let test: TestApp;
  let browser: Browser | undefined;
  let cast: Cast;
  let callId: string;

  const api = () => request(test.baseUrl);
  const asApplicant = (r: request.Test): request.Test => r.auth(cast.tokens.applicantA, { type: 'bearer' });
  const dossierOf = async (id: string) => (await asApplicant(api().get(`/applications/${id}`)).expect(200)).body;

  beforeAll(async () => {
    // A small upload limit, so that a file too large is cheap to make.
    test = await startTestApp({ env: { ATTACHMENT_MAX_BYTES: '65536' } });
    browser = await launchBrowser().catch(() => undefined);
    cast = await makeCast(test.baseUrl, test.app.get(DataSource));
    callId = await openCall(test.baseUrl, cast.tokens.bureau, {
      requiredDocuments: [
        { code: 'business_licence', nameZh: '营业执照', nameEn: 'Business licence', required: true },
        { code: 'site_lease', nameZh: '场地租赁合同', nameEn: 'Site lease', required: false },
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  browserIt(
    'drafts an incubator dossier from the contract form, uploads, checks eligibility, submits, then answers a return and resubmits',
    async () => {
      const { page, problems, context } = await openPage(browser!);
      await signInThroughScreen(page, test.baseUrl, cast.users.applicantA.email, cast.users.applicantA.password);
      expect(page.url()).toBe(`${test.baseUrl}/app/applicant`);
      const call = page.locator('[data-test=call]', { hasText: '2027年度温州市科技企业孵化器认定' });
      await call.waitFor();
      expect(await call.textContent()).toContain('营业执照');
      expect(await call.textContent()).toContain('孵化场地面积不少于 5000 平方米');
      await expectCleanScreen(page, 'web-applicant-home');

      // The editor: one field per property of the contract's IncubatorForm.
      await call.locator('[data-test=apply]').click();
      await page.waitForSelector('[data-test=field-areaM2]');
      for (const field of contractFields()) expect(await page.locator(`[data-test=field-${field}]`).count()).toBe(1);
      await page.fill('[data-test=dossier-name]', '瓯江科创孵化器');
      await pickOption(page, 'dossier-subtype', '综合型');
      await page.click('[data-test=field-independentLegalPerson-yes]');
      await page.fill('[data-test=field-operatingSince]', INCUBATOR_FORM.operatingSince);
      await page.click('[data-test=field-siteOwned-no]');
      await fillNumber(page, 'leaseYears', 8);
      await fillNumber(page, 'areaM2', 4000);
      await fillNumber(page, 'incubatedAreaM2', 3000);
      await fillNumber(page, 'incubatedFirms', 45);
      await page.click('[data-test=save-draft]');
      await page.waitForURL(/\/app\/applicant\/dossiers\/[0-9a-f-]+\/edit$/);
      const id = /dossiers\/([0-9a-f-]+)\/edit/.exec(page.url())![1]!;

      // Eligibility as you go: the area rule fails, with its reason, the value read and the threshold.
      const areaRule = page.locator('[data-test="rule-inc.area"]');
      await areaRule.waitFor();
      expect(await areaRule.getAttribute('data-passed')).toBe('false');
      expect(await areaRule.textContent()).toContain('孵化场地面积不少于 5000 平方米');
      expect(await areaRule.textContent()).toContain('4000');
      await fillNumber(page, 'areaM2', 8000);
      await fillNumber(page, 'incubatedAreaM2', 6000);
      await page.click('[data-test=save-draft]');
      await page.waitForSelector('[data-test="rule-inc.area"][data-passed=true]');
      expect(await page.textContent('[data-test=eligibility-summary]')).toContain('均已通过');
      expect((await dossierOf(id)).form).toMatchObject({
        areaM2: 8000,
        incubatedAreaM2: 6000,
        leaseYears: 8,
        independentLegalPerson: true,
      });

      // A file of the wrong type and one too large: the API's Chinese message next to the upload, nothing stored.
      await page.setInputFiles('[data-test=upload-business_licence]', {
        name: '营业执照.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('不是 PDF'),
      });
      const typeError = page.locator('[data-test=upload-error-business_licence]');
      await typeError.waitFor();
      expect(await typeError.textContent()).toMatch(/[\u4e00-\u9fff]/);
      await page.setInputFiles('[data-test=upload-business_licence]', {
        name: '营业执照-扫描件.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.concat([PDF_BYTES, Buffer.alloc(100_000, 0x20)]),
      });
      await page.waitForSelector('[data-test=upload-error-business_licence]:has-text("大小上限")');
      expect((await asApplicant(api().get(`/applications/${id}/attachments`)).expect(200)).body).toEqual([]);

      // Two versions of the licence, both listed.
      await page.setInputFiles('[data-test=upload-business_licence]', {
        name: '营业执照.pdf',
        mimeType: 'application/pdf',
        buffer: PDF_BYTES,
      });
      await page.waitForSelector('[data-test=versions-business_licence]:has-text("v1")');
      expect(await page.locator('[data-test=upload-error-business_licence]').count()).toBe(0);
      await page.setInputFiles('[data-test=upload-business_licence]', {
        name: '营业执照（新）.pdf',
        mimeType: 'application/pdf',
        buffer: PDF_BYTES,
      });
      await page.waitForSelector('[data-test=versions-business_licence]:has-text("v2")');
      const stored = (await asApplicant(api().get(`/applications/${id}/attachments`)).expect(200)).body;
      expect(stored.map((a: { version: number }) => a.version).sort()).toEqual([1, 2]);

      // Two edits at once: a colleague saves first; the screen shows the conflict and keeps what was typed.
      const before = await dossierOf(id);
      await asApplicant(api().patch(`/applications/${id}`))
        .send({ platformType: 'incubator', expectedVersion: before.version, name: '瓯江科创孵化器（同事修改）' })
        .expect(200);
      await fillNumber(page, 'incubatedFirms', 52);
      await page.click('[data-test=save-draft]');
      const conflict = page.locator('[data-test=conflict]');
      await conflict.waitFor();
      expect(await conflict.textContent()).toContain('申报书已被他人修改');
      expect(await page.inputValue('[data-test=field-incubatedFirms] input')).toBe('52');
      expect(await page.inputValue('[data-test=dossier-name]')).toBe('瓯江科创孵化器');
      await page.click('[data-test=save-over-latest]');
      await conflict.waitFor({ state: 'detached' });
      expect(await dossierOf(id)).toMatchObject({ name: '瓯江科创孵化器', form: { incubatedFirms: 52 } });
      await expectCleanScreen(page, 'web-applicant-editor');

      // The pledge, then submit.
      await page.click('[data-test=pledge]');
      await page.click('[data-test=submit]');
      await page.waitForURL(`${test.baseUrl}/app/applicant/dossiers/${id}`);
      await page.waitForSelector('[data-test=current-stage]:has-text("属地初审推荐")');
      expect(await page.textContent('[data-test=stage-deadline]')).toMatch(/\d{4}-\d{2}-\d{2}/);
      const submitted = await dossierOf(id);
      expect(submitted).toMatchObject({ stage: 'county_review', pledgeSigned: true });
      await expectCleanScreen(page, 'web-applicant-dossier');

      // The county returns it; the applicant sees why, revises and resubmits through the screens.
      await api()
        .post(`/applications/${id}/actions`)
        .auth(cast.tokens.countyA, { type: 'bearer' })
        .send({ action: 'return_for_revision', expectedVersion: submitted.version, comment: '请补充场地租赁合同并核实在孵企业数。' })
        .expect(200);
      await page.reload();
      await page.waitForSelector('[data-test=returned]');
      expect(await page.textContent('[data-test=return-reason]')).toContain('请补充场地租赁合同');
      await expectCleanScreen(page, 'web-applicant-dossier-returned');
      await page.click('[data-test=edit-dossier]');
      await page.waitForSelector('[data-test=returned] [data-test=return-reason]');
      await fillNumber(page, 'incubatedFirms', 48);
      await page.setInputFiles('[data-test=upload-site_lease]', { name: '租赁合同.pdf', mimeType: 'application/pdf', buffer: PDF_BYTES });
      await page.waitForSelector('[data-test=versions-site_lease]:has-text("v1")');
      expect(await page.textContent('[data-test=submit]')).toContain('重新提交');
      await page.click('[data-test=submit]');
      await page.waitForURL(`${test.baseUrl}/app/applicant/dossiers/${id}`);
      await page.waitForSelector('[data-test=event][data-action=resubmit]');
      const resubmitted = await dossierOf(id);
      expect(resubmitted).toMatchObject({ stage: 'county_review', form: { incubatedFirms: 48 } });
      expect(resubmitted.round).toBeGreaterThan(submitted.round);
      expect(problems).toEqual([]);
      await context.close();
    },
  );

  browserIt('withdraws a dossier with its reason and appeals a rejection, on a phone', async () => {
    const withdrawn = await submittedDossier(test.baseUrl, cast, callId, '瓯江第二孵化器');
    const rejected = await submittedDossier(test.baseUrl, cast, callId, '瓯江第三孵化器');
    await api()
      .post(`/applications/${rejected.id}/actions`)
      .auth(cast.tokens.countyA, { type: 'bearer' })
      .send({ action: 'reject', expectedVersion: rejected.version, comment: '场地证明材料不实。' })
      .expect(200);
    const draft = await asApplicant(api().post('/applications'))
      .send({ callId, platformType: 'incubator', name: '瓯江第四孵化器', subtype: 'comprehensive', form: { areaM2: 2000 } })
      .expect(201);

    const { page, problems, context } = await openPage(browser!, PHONE);
    await signInThroughScreen(page, test.baseUrl, cast.users.applicantA.email, cast.users.applicantA.password);
    await page.waitForSelector('[data-test=dossier]:has-text("瓯江第二孵化器")');
    await expectCleanScreen(page, 'web-applicant-home-phone');

    await page.goto(`${test.baseUrl}/app/applicant/dossiers/${draft.body.id}/edit`);
    await page.waitForSelector('[data-test="rule-inc.area"][data-passed=false]');
    await expectCleanScreen(page, 'web-applicant-editor-phone');

    // Withdrawal: the reason is required, then kept in the timeline.
    await page.goto(`${test.baseUrl}/app/applicant/dossiers/${withdrawn.id}`);
    await page.click('[data-test=withdraw]');
    await page.click('[data-test=withdraw-confirm]');
    await page.waitForSelector('text=请填写撤回原因。');
    await page.fill('[data-test=withdraw-reason]', '本年度场地改造，暂缓申报。');
    await page.click('[data-test=withdraw-confirm]');
    await page.waitForSelector('[data-test=current-stage]:has-text("已撤回")');
    await page.waitForSelector('.el-dialog', { state: 'hidden' });
    expect((await dossierOf(withdrawn.id)).stage).toBe('withdrawn');
    const timeline = (await asApplicant(api().get(`/applications/${withdrawn.id}/timeline`)).expect(200)).body;
    expect(timeline.events.at(-1)).toMatchObject({ action: 'withdraw', comment: '本年度场地改造，暂缓申报。' });
    await expectCleanScreen(page, 'web-applicant-dossier-phone');

    // The appeal after a rejection, with its window.
    await page.goto(`${test.baseUrl}/app/applicant/dossiers/${rejected.id}`);
    await page.waitForSelector('[data-test=rejection]:has-text("场地证明材料不实")');
    expect(await page.textContent('[data-test=appeal-window]')).toContain('10 个工作日');
    await page.fill('[data-test=appeal-reasons]', '场地证明材料真实有效，租赁合同已在不动产登记中心备案，请予复核。');
    await page.click('[data-test=appeal-submit]');
    await page.waitForSelector('[data-test=appeal-status]:has-text("复核申请已提交")');
    const appeal = (await asApplicant(api().get(`/applications/${rejected.id}/appeal`)).expect(200)).body;
    expect(appeal).toMatchObject({ status: 'lodged' });
    expect(await page.textContent('[data-test=appeal]')).toContain(appeal.windowLastDay);
    expect(problems).toEqual([]);
    await context.close();
  });

  browserIt('lets the owner invite a colleague and file the annual report of a recognised platform', async () => {
    const platform = await recognise(test, {
      type: 'incubator',
      level: 'municipal',
      organisationId: cast.orgA.id,
      name: '鹿城甲科技企业孵化器',
      recognisedOn: '2024-06-30',
    });
    const { page, problems, context } = await openPage(browser!);
    await signInThroughScreen(page, test.baseUrl, cast.users.applicantA.email, cast.users.applicantA.password);
    await page.goto(`${test.baseUrl}/app/applicant/organisation`);
    await page.fill('[data-test=invite-name]', '王五');
    await page.fill('[data-test=invite-email]', `wangwu.${cast.orgA.id.slice(0, 8)}@example.cn`);
    await page.click('[data-test=invite-submit]');
    await page.waitForSelector('[data-test=invited]:has-text("王五")');
    const colleague = await test.app
      .get(DataSource)
      .query(`SELECT organisation_id, role FROM app_user WHERE email = $1`, [`wangwu.${cast.orgA.id.slice(0, 8)}@example.cn`]);
    expect(colleague).toEqual([{ organisation_id: cast.orgA.id, role: 'applicant' }]);

    const card = page.locator('[data-test=platform]', { hasText: '鹿城甲科技企业孵化器' });
    await card.locator('[data-test=report-open]').click();
    await page.fill('[data-test=report-year] input', '2025');
    await page.fill('[data-test=report-incubatedEnterprises] input', '64');
    await page.press('[data-test=report-incubatedEnterprises] input', 'Tab');
    await page.fill('[data-test=report-areaM2] input', '12000');
    await page.press('[data-test=report-areaM2] input', 'Tab');
    await page.click('[data-test=report-submit]');
    await card.locator('[data-test=report-filed]').waitFor();
    const detail = (await asApplicant(api().get(`/platforms/${platform.id}`)).expect(200)).body;
    expect(detail.reports).toEqual([expect.objectContaining({ year: 2025, incubatedEnterprises: 64, areaM2: 12000 })]);
    await expectCleanScreen(page, 'web-applicant-organisation');
    expect(problems).toEqual([]);
    await context.close();
  });
});
