import request from 'supertest';
import { DataSource } from 'typeorm';
import { completeCreditCode } from '@app/identity';
import { type TestApp, startTestApp } from '../support/app';
import { recognise, signIn } from '../support/registry-fixtures';

interface Progress {
  code: string;
  value: number;
  gap: number | null;
  target: { value: number; sourceDocumentNumber: string } | null;
  series: { year: number; value: number }[];
  coverage: { of: number; covered: { code: string }[]; missing: { code: string; nameZh: string }[] } | null;
  breakdown: { by: string; items: { key: string; value: number }[] } | null;
  forecast: {
    available: boolean;
    projected: number;
    expectedFromPipeline: number;
    pipeline: { stage: string; count: number; passRate: number }[];
  };
  status: string;
}

describe('targets: progress on constructed histories', () => {
  let test: TestApp;
  let db: DataSource;
  let leader: string;
  let admin: string;
  let bureau: string;

  const progress = async (query: string): Promise<Map<string, Progress>> => {
    const response = await request(test.baseUrl).get(`/targets/progress${query}`).set('authorization', leader).expect(200);
    return new Map((response.body.targets as Progress[]).map((t) => [t.code, t]));
  };
  const of = async (code: string, query: string): Promise<Progress> => {
    const found = (await progress(query)).get(code);
    if (!found) throw new Error(`no progress for ${code}`);
    return found;
  };

  beforeAll(async () => {
    test = await startTestApp();
    db = test.app.get(DataSource);
    [leader, admin, bureau] = await Promise.all([signIn(test, 'leader'), signIn(test, 'admin'), signIn(test, 'bureau_officer')]);
  });

  afterAll(async () => {
    await test?.close();
  });

  it('counts a platform revoked in 2026 in 2025 and not in 2027', async () => {
    const nri = await recognise(test, { type: 'new_rd_institution', level: 'provincial', recognisedOn: '2024-05-10' });
    await request(test.baseUrl)
      .post(`/platforms/${nri.id}/revocation`)
      .set('authorization', bureau)
      .send({ reason: 'ceased', revokedOn: '2026-03-01', documentNumber: '温科发〔2026〕3号' })
      .expect(200);
    expect((await of('nri.total', '?asOf=2025-12-31')).value).toBe(1);
    expect((await of('nri.provincial', '?asOf=2026-02-28')).value).toBe(1);
    expect((await of('nri.total', '?asOf=2026-03-01')).value).toBe(0);
    const in2027 = await of('nri.total', '?asOf=2027-06-30');
    expect(in2027.value).toBe(0);
    expect(in2027.series.map((s) => [s.year, s.value])).toEqual([
      [2023, 0],
      [2024, 1],
      [2025, 1],
      [2026, 0],
      [2027, 0],
    ]);
    // The history stays: the registry still shows it, revoked, with its date and reason.
    const shown = await request(test.baseUrl).get(`/platforms/${nri.id}`).set('authorization', leader).expect(200);
    expect(shown.body).toMatchObject({ status: 'revoked', revokedOn: '2026-03-01', revocationReason: 'ceased' });
  });

  it('counts a promoted municipal key lab once toward key_lab.municipal_plus', async () => {
    const municipal = await recognise(test, { type: 'key_lab', level: 'municipal', recognisedOn: '2023-03-01' });
    await recognise(test, {
      type: 'key_lab',
      level: 'provincial',
      recognisedOn: '2025-06-01',
      promotedFromId: municipal.id,
      name: `${municipal.name}（省级）`,
    });
    const before = await of('key_lab.municipal_plus', '?asOf=2024-12-31');
    expect(before.value).toBe(1);
    const after = await of('key_lab.municipal_plus', '?asOf=2025-12-31&by=level');
    expect(after.value).toBe(1);
    expect(after.breakdown?.items).toEqual(
      expect.arrayContaining([
        { key: 'municipal', nameZh: '市级', value: 0 },
        { key: 'provincial', nameZh: '省级', value: 1 },
      ]),
    );
    // Both records stay in the registry, linked.
    const shown = await request(test.baseUrl).get(`/platforms/${municipal.id}`).set('authorization', leader).expect(200);
    expect(shown.body.promotedTo).toHaveLength(1);
    expect(shown.body.status).toBe('active');
    const rows = await db.query(`SELECT count(*)::int AS n FROM platform WHERE type = 'key_lab'`);
    expect(rows[0].n).toBe(2);
  });

  it("counts a zone's incubator toward its parent county's coverage", async () => {
    const zoneIncubator = await recognise(test, {
      type: 'incubator',
      level: 'provincial',
      regionCode: 'wenzhou_bay',
      recognisedOn: '2024-09-01',
    });
    expect(zoneIncubator.countyCode).toBe('longwan');
    const coverage = await of('incubation.county_coverage', '?asOf=2025-01-01&by=county');
    expect(coverage.value).toBe(1);
    expect(coverage.coverage?.covered.map((c) => c.code)).toEqual(['longwan']);
    expect(coverage.coverage?.missing).toHaveLength(11);
    expect(coverage.coverage?.missing.map((c) => c.nameZh)).toContain('鹿城区');
    expect(coverage.breakdown?.items.find((i) => i.key === 'longwan')?.value).toBe(1);
    const counted = await of('incubation.provincial_plus', '?asOf=2025-01-01&by=county');
    expect(counted.value).toBe(1);
    expect(counted.breakdown?.items.find((i) => i.key === 'longwan')?.value).toBe(1);
    // Before its recognition the county was not covered.
    expect((await of('incubation.county_coverage', '?asOf=2024-08-31')).value).toBe(0);
  });

  it("changes today's gap with a target revision and leaves the 2024 view as it was", async () => {
    const today = (await of('key_lab.municipal_plus', '')).value;
    const before2024 = await of('key_lab.municipal_plus', '?asOf=2024-12-31');
    expect(before2024.target?.value).toBe(150);
    expect(before2024.target?.sourceDocumentNumber).toBe('温政发〔2023〕17号');
    expect((await of('key_lab.municipal_plus', '')).gap).toBe(150 - today);

    const revised = await request(test.baseUrl)
      .put('/targets/key_lab.municipal_plus')
      .set('authorization', admin)
      .send({ value: 100, dueOn: '2027-12-31', sourceDocumentNumber: '温科发〔2025〕8号', sourceDocumentDate: '2025-03-01' })
      .expect(200);
    expect(revised.body.revisions).toHaveLength(2);
    expect(revised.body.current).toMatchObject({ value: 100, sourceDocumentNumber: '温科发〔2025〕8号' });

    const now = await of('key_lab.municipal_plus', '');
    expect(now.target?.value).toBe(100);
    expect(now.gap).toBe(100 - today);
    const after2024 = await of('key_lab.municipal_plus', '?asOf=2024-12-31');
    expect(after2024).toEqual(before2024);
  });

  it('names the "5+5" industries still missing a new R&D institution', async () => {
    await recognise(test, {
      type: 'new_rd_institution',
      level: 'municipal',
      industries: ['emerg.digital', 'trad.pump_valve'],
      recognisedOn: '2025-02-01',
    });
    const coverage = await of('nri.industry_coverage', '?asOf=2025-12-31');
    expect(coverage.coverage?.of).toBe(10);
    expect(coverage.coverage?.covered.map((c) => c.code).sort()).toEqual(['emerg.digital', 'trad.electrical', 'trad.pump_valve']);
    expect(coverage.coverage?.missing.map((c) => c.nameZh)).toContain('鞋业');
    expect(coverage.status).toBe('at_risk');
    // Its due date was the end of 2025: after it, an unmet coverage target is missed.
    expect((await of('nri.industry_coverage', '?asOf=2026-01-05')).status).toBe('missed');
  });

  it('sums incubated enterprises from the latest annual reports and counts operators once', async () => {
    const creditCode = completeCreditCode('91330302MA2H00001');
    const incubator = await recognise(test, {
      type: 'incubator',
      level: 'municipal',
      recognisedOn: '2023-06-01',
      creditCode,
      professionalOperator: true,
    });
    await recognise(test, { type: 'maker_space', level: 'provincial', recognisedOn: '2023-07-01', creditCode, professionalOperator: true });
    const base = (await of('incubation.enterprises', '')).value;
    await request(test.baseUrl)
      .post(`/platforms/${incubator.id}/reports`)
      .set('authorization', bureau)
      .send({ year: 2025, incubatedEnterprises: 42, areaM2: 8000.5 })
      .expect(201);
    expect((await of('incubation.enterprises', '')).value).toBe(base + 42);
    expect((await of('incubation.area_m2', '')).value).toBeGreaterThanOrEqual(8000.5);
    expect((await of('incubation.operators', '')).value).toBe(1);
  });

  it("forecasts from the dossiers in the procedure, weighted by each stage's pass rate", async () => {
    const before = await of('nri.total', '');
    const rows = [...Array(3).fill('formal_review'), ...Array(2).fill('decision'), 'draft', 'rejected'];
    for (const [i, stage] of rows.entries()) {
      await db.query(
        `INSERT INTO application (id, call_id, platform_type, level, year, organisation_id, region_code, name, stage, round, workflow_id, version, created_by, submitted_at)
         VALUES (gen_random_uuid(), gen_random_uuid(), 'new_rd_institution', 'municipal', 2027, gen_random_uuid(), 'lucheng', $1, $2, 1, 'new_rd_institution.municipal@1', 1, gen_random_uuid(), now() - interval '1 day')`,
        [`预测测试${i}`, stage],
      );
    }
    const after = await of('nri.total', '');
    expect(after.forecast.available).toBe(true);
    // No closed dossiers yet to learn from: the priors apply (formal review 0.7, decision 0.9); drafts and closed ones do not count.
    expect(after.forecast.pipeline.map(({ stage, count, passRate }) => ({ stage, count, passRate }))).toEqual([
      { stage: 'formal_review', count: 3, passRate: 0.7 },
      { stage: 'decision', count: 2, passRate: 0.9 },
    ]);
    expect(after.forecast.expectedFromPipeline - before.forecast.expectedFromPipeline).toBeCloseTo(3 * 0.7 + 2 * 0.9, 5);
    expect(after.value).toBe(before.value);
  });

  it('agrees with a scan of the registry on many days', async () => {
    const counties = ['lucheng', 'ruian', 'wenzhou_bay', 'taishun'];
    const types = ['new_rd_institution', 'incubator', 'maker_space', 'key_lab'] as const;
    for (let i = 0; i < 40; i++) {
      const type = types[i % 4];
      const level = i % 3 === 0 && type !== 'new_rd_institution' ? 'national' : i % 2 === 0 ? 'provincial' : 'municipal';
      const recognisedOn = `${2023 + (i % 4)}-${String((i % 10) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`;
      const platform = await recognise(test, { type, level, regionCode: counties[i % 4], recognisedOn, industries: ['emerg.life_health'] });
      if (i % 5 === 0) {
        const revokedOn = `${Number(recognisedOn.slice(0, 4)) + 1}-06-30`;
        await request(test.baseUrl)
          .post(`/platforms/${platform.id}/revocation`)
          .set('authorization', bureau)
          .send({ reason: 'criteria_not_met', revokedOn })
          .expect(200);
      }
    }
    for (const day of ['2023-06-15', '2023-12-31', '2024-07-01', '2025-03-31', '2025-12-31', '2026-02-14', '2027-01-01']) {
      const all = await progress(`?asOf=${day}`);
      const scan = async (types: string[], levels: string[]): Promise<number> =>
        (
          await db.query(
            `SELECT count(DISTINCT lineage_id)::int AS n FROM platform
              WHERE type = ANY($1) AND level = ANY($2) AND recognised_on <= $3 AND (revoked_on IS NULL OR revoked_on > $3)`,
            [types, levels, day],
          )
        )[0].n;
      expect(all.get('nri.total')?.value).toBe(await scan(['new_rd_institution'], ['municipal', 'provincial']));
      expect(all.get('incubation.provincial_plus')?.value).toBe(await scan(['incubator', 'maker_space'], ['provincial', 'national']));
      // A lineage counts once at its highest active level, so count lineages with any active key lab.
      expect(all.get('key_lab.municipal_plus')?.value).toBe(await scan(['key_lab'], ['municipal', 'provincial', 'national']));
    }
  });
});
