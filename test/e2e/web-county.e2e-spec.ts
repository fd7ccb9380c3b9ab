import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Browser } from 'playwright-core';
import { type TestApp, startTestApp } from '../support/app';
import { browserIt, keepScreenshot, launchBrowser, openPage, seriousAxeViolations, signInThroughScreen } from '../support/browser';
import { type Cast, PDF_BYTES, makeCast, openCall, submittedDossier } from '../support/procedure';

/** An Element Plus input by its data-test (on the native input, or on its wrapper for pickers). */
const field = (name: string): string => `:is(input,textarea)[data-test=${name}], [data-test=${name}] :is(input,textarea)`;

describe('the county officer screens (apps/web views/county)', () => {
  let test: TestApp;
  let browser: Browser | undefined;
  let cast: Cast;
  let callId: string;

  beforeAll(async () => {
    test = await startTestApp();
    browser = await launchBrowser().catch(() => undefined);
    cast = await makeCast(test.baseUrl, test.app.get(DataSource));
    callId = await openCall(test.baseUrl, cast.tokens.bureau, {
      requiredDocuments: [
        { code: 'business_licence', nameZh: '营业执照', nameEn: 'Business licence', required: true },
        { code: 'recommendation_letter', nameZh: '县（市、区）推荐函', nameEn: 'Recommendation letter', required: true },
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  const county = (r: request.Test): request.Test => r.auth(cast.tokens.countyA, { type: 'bearer' });

  browserIt(
    'lists the county’s dossiers by deadline, shows a PDF in the page, recommends with the letter, and survives a 409 race keeping the comment',
    async () => {
      const first = await submittedDossier(test.baseUrl, cast, callId, '鹿城云谷孵化器');
      const second = await submittedDossier(test.baseUrl, cast, callId, '鹿城江滨孵化器');
      const { page, problems, context } = await openPage(browser!);
      await signInThroughScreen(page, test.baseUrl, cast.users.countyA.email, cast.users.countyA.password);
      expect(page.url()).toBe(`${test.baseUrl}/app/county`);

      // The worklist: both dossiers, with working days left.
      await page.waitForSelector(`[data-test=open-${first.id}]`);
      await page.waitForSelector(`[data-test=open-${second.id}]`);
      expect(await page.locator('[data-test=days-left]').count()).toBe(2);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await keepScreenshot(page, 'web-county-worklist');

      // The dossier view: form, documents (the licence PDF shown in a frame from a blob: URL typed application/pdf), timeline.
      await page.click(`[data-test=open-${first.id}]`);
      await page.waitForSelector('[data-test=dossier-name]');
      expect(await page.textContent('[data-test=dossier-stage]')).toContain('属地初审推荐');
      expect(await page.textContent('[data-test=dossier-form]')).toContain('在孵企业数');
      await page.click('[data-test=view-business_licence]');
      const frame = await page.waitForSelector('[data-test=pdf-frame]');
      expect(await frame.getAttribute('src')).toMatch(/^blob:/);
      // Chromium's PDF viewer, not its blocked-frame page, shows the file (no sandbox: see AttachmentViewer.vue).
      const shown = await frame.contentFrame();
      expect(shown!.url()).toMatch(/^blob:/);
      await shown!.waitForSelector('body[style*="rgb(40,40,40)"]', { state: 'attached' });
      expect(await seriousAxeViolations(page)).toEqual([]);
      await keepScreenshot(page, 'web-county-dossier');
      await page.click('[data-test=viewer-close]');

      // Recommend without the letter: the API's Chinese message next to the upload; then with it.
      await page.fill(field('action-comment'), '材料齐全，同意推荐。');
      await page.click('[data-test=action-recommend]');
      await page.waitForSelector('text=推荐前须上传县（市、区）推荐函');
      expect(await page.inputValue(field('action-comment'))).toBe('材料齐全，同意推荐。');
      await page.setInputFiles('[data-test=letter-file]', { name: '推荐函.pdf', mimeType: 'application/pdf', buffer: PDF_BYTES });
      await page.click('[data-test=action-recommend]');
      await page.waitForSelector('[data-test=dossier-stage]:has-text("形式审查")');
      const recommended = (await county(request(test.baseUrl).get(`/applications/${first.id}`)).expect(200)).body;
      expect(recommended.stage).toBe('formal_review');
      const attachments = (await county(request(test.baseUrl).get(`/applications/${first.id}/attachments`)).expect(200)).body;
      expect(attachments.map((a: { documentCode: string }) => a.documentCode)).toContain('recommendation_letter');

      // A race: the second dossier is open on the screen when the same county returns it through the API.
      await page.goto(`${test.baseUrl}/app/county/dossiers/${second.id}`);
      await page.waitForSelector('[data-test=action-reject]');
      await county(request(test.baseUrl).post(`/applications/${second.id}/actions`))
        .send({ action: 'return_for_revision', expectedVersion: second.version, comment: '请补充场地租赁合同。' })
        .expect(200);
      await page.fill(field('action-comment'), '不符合申报条件。');
      await page.click('[data-test=action-reject]');
      const stale = await page.waitForSelector('[data-test=stale]');
      expect(await stale.textContent()).toMatch(/[\u4e00-\u9fff]/);
      await page.waitForSelector('[data-test=dossier-stage]:has-text("退回补正")');
      expect(await page.inputValue(field('action-comment'))).toBe('不符合申报条件。');
      expect((await county(request(test.baseUrl).get(`/applications/${second.id}`)).expect(200)).body.stage).toBe('revision');
      await keepScreenshot(page, 'web-county-stale');
      expect(problems).toEqual([]);
      await context.close();
    },
  );
});
