import request from 'supertest';
import { DataSource } from 'typeorm';
import { type TestApp, startTestApp } from '../support/app';
import { type Cast, makeCast, openCall } from '../support/procedure';

type Provenance = { document: string; article: string | null } | 'assumption' | 'call';

describe('a call shows where each default rule and duration comes from (HTTP)', () => {
  let test: TestApp;
  let db: DataSource;
  let cast: Cast;

  beforeAll(async () => {
    test = await startTestApp();
    db = test.app.get(DataSource);
    cast = await makeCast(test.baseUrl, db);
  });

  afterAll(async () => {
    await test?.close();
  });

  const getCall = async (id: string, who: keyof Cast['tokens'] = 'applicantA'): Promise<request.Response> =>
    request(test.baseUrl).get(`/calls/${id}`).auth(cast.tokens[who], { type: 'bearer' }).expect(200);

  const isProvenance = (source: unknown): boolean =>
    source === 'assumption' ||
    (typeof source === 'object' &&
      source !== null &&
      typeof (source as { document: unknown }).document === 'string' &&
      (source as { document: string }).document.length > 0 &&
      ((source as { article: unknown }).article === null || typeof (source as { article: unknown }).article === 'string'));

  it('gives every eligibility rule its document and article, or assumption; every duration the default’s source or call', async () => {
    const id = await openCall(test.baseUrl, cast.tokens.bureau, { stageDurations: { formal_review: 7 } });
    const { body } = await getCall(id);
    expect(body.eligibilityRules.length).toBeGreaterThan(0);
    for (const rule of body.eligibilityRules as { id: string; source: Provenance }[]) {
      expect({ id: rule.id, valid: isProvenance(rule.source) }).toEqual({ id: rule.id, valid: true });
    }
    const area = body.eligibilityRules.find((r: { id: string }) => r.id === 'inc.area');
    expect(area.source).toEqual({ document: expect.stringContaining('温州市科技企业孵化器认定管理办法（2018年）'), article: null });
    expect(body.stageDurations).toMatchObject({ formal_review: 7, public_notice: 5, county_review: 10 });
    expect(body.stageDurationSources).toEqual({
      county_review: 'assumption',
      formal_review: 'call',
      expert_review: 'assumption',
      site_inspection: 'assumption',
      decision: 'assumption',
      public_notice: { document: expect.stringContaining('DOMAIN.md §5'), article: null },
      revision: 'assumption',
    });
  });

  it('names the national document for a national call’s thresholds and says assumption for the NRI placeholders', async () => {
    const national = await openCall(test.baseUrl, cast.tokens.bureau, { level: 'national', title: '2027年度国家级孵化器推荐' });
    const rules: { id: string; source: Provenance }[] = (await getCall(national)).body.eligibilityRules;
    expect(rules.map((r) => r.id)).toEqual(expect.arrayContaining(['inc.n.operating', 'inc.n.area']));
    for (const rule of rules) expect(rule.source).toEqual({ document: expect.stringContaining('国科发区〔2018〕300号'), article: null });

    const nri = await openCall(test.baseUrl, cast.tokens.bureau, { platformType: 'new_rd_institution', title: '2027年度新型研发机构认定' });
    const nriRules: { source: Provenance }[] = (await getCall(nri)).body.eligibilityRules;
    expect(nriRules.every((r) => r.source === 'assumption')).toBe(true);
  });

  it('still shows a source for rules stored before sources were kept', async () => {
    const id = await openCall(test.baseUrl, cast.tokens.bureau);
    await db.query(
      `UPDATE call SET eligibility_rules = (SELECT jsonb_agg(r - 'source') FROM jsonb_array_elements(eligibility_rules) r) WHERE id = $1`,
      [id],
    );
    const [stored] = await db.query(`SELECT eligibility_rules FROM call WHERE id = $1`, [id]);
    expect(stored.eligibility_rules.some((r: { source?: unknown }) => r.source !== undefined)).toBe(false);
    const rules: { id: string; source: Provenance }[] = (await getCall(id, 'bureau')).body.eligibilityRules;
    expect(rules.find((r) => r.id === 'inc.firms')?.source).toEqual({ document: expect.stringContaining('2018'), article: null });
  });
});
