import fc from 'fast-check';
import { type DossierForDraw, type PoolExpert, avoidanceFindings } from './avoidance';
import { drawPanel } from './draw';
import { seededRandom } from './seeded-random';

const FIELDS = ['emerg.digital', 'emerg.life_health', 'trad.electrical', 'trad.footwear'];
const COUNTIES = ['lucheng', 'ruian', 'ouhai'];
const ORGS = [
  { id: '00000000-0000-4000-8000-000000000001', name: '甲公司', creditCode: '91330302MA000000A1' },
  { id: '00000000-0000-4000-8000-000000000002', name: '乙公司', creditCode: '91330302MA000000B2' },
  { id: '00000000-0000-4000-8000-000000000003', name: '丙大学', creditCode: null },
];

const orgKey = fc.constantFrom(...ORGS).map((o) => ({ name: o.name, creditCode: o.creditCode }));

const expertArb = fc.record({
  id: fc.uuid(),
  expertise: fc.subarray(FIELDS),
  employer: fc.oneof(orgKey, fc.constant({ name: '温州大学', creditCode: null })),
  county: fc.option(fc.constantFrom(...COUNTIES), { nil: null }),
  available: fc.boolean(),
  yearlyCap: fc.integer({ min: 0, max: 12 }),
  reviewsThisYear: fc.integer({ min: 0, max: 12 }),
  declaredLinks: fc.array(
    orgKey.map((o) => ({ ...o, until: null })),
    { maxLength: 2 },
  ),
  pastPanels: fc.array(
    fc.record({
      organisationId: fc.constantFrom(...ORGS.map((o) => o.id)),
      drawnOn: fc.constantFrom('2019-05-01', '2024-03-01', '2026-01-15'),
    }),
    { maxLength: 2 },
  ),
}) satisfies fc.Arbitrary<PoolExpert>;

const poolArb = fc.uniqueArray(expertArb, { selector: (e) => e.id, maxLength: 30 });

const dossierArb = fc.record({
  org: fc.constantFrom(...ORGS),
  host: fc.option(orgKey, { nil: null }),
  county: fc.constantFrom(...COUNTIES),
  industries: fc.subarray(FIELDS),
});

const settingsArb = fc.record({
  sameCounty: fc.boolean(),
  recentPanelYears: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
});

function dossierOf(d: {
  org: (typeof ORGS)[number];
  host: DossierForDraw['hostUnit'];
  county: string;
  industries: string[];
}): DossierForDraw {
  return {
    applicationId: '10000000-0000-4000-8000-000000000000',
    organisationId: d.org.id,
    applicant: { name: d.org.name, creditCode: d.org.creditCode },
    hostUnit: d.host,
    county: d.county,
    industries: d.industries,
  };
}

describe('the panel draw', () => {
  it('replays the same draw from the same seed and pool, whatever order the pool comes in', () => {
    fc.assert(
      fc.property(fc.string(), poolArb, dossierArb, settingsArb, fc.infiniteStream(fc.integer()), (seed, pool, d, avoidance, order) => {
        const request = { seed, dossier: dossierOf(d), members: 5, reserves: 2, avoidance, overrides: new Map(), today: '2026-12-01' };
        const shuffled = pool
          .map((e) => ({ e, k: order.next().value }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.e);
        expect(drawPanel({ ...request, pool: shuffled })).toEqual(drawPanel({ ...request, pool }));
      }),
    );
  });

  it('never seats an expert who is avoided, unavailable, over their cap, or seated twice', () => {
    fc.assert(
      fc.property(fc.string(), poolArb, dossierArb, settingsArb, (seed, pool, d, avoidance) => {
        const dossier = dossierOf(d);
        const result = drawPanel({ seed, pool, dossier, members: 5, reserves: 2, avoidance, overrides: new Map(), today: '2026-12-01' });
        const drawn = [...result.members, ...result.reserves];
        expect(new Set(drawn).size).toBe(drawn.length);
        for (const id of drawn) {
          const expert = pool.find((e) => e.id === id)!;
          expect(avoidanceFindings(expert, dossier, avoidance, '2026-12-01')).toEqual([]);
          expect(expert.available).toBe(true);
          expect(expert.reviewsThisYear).toBeLessThan(expert.yearlyCap);
        }
        // Every eligible expert is either drawn or was not needed: seats are filled while experts remain.
        const eligible = pool.length - result.excluded.length;
        expect(drawn.length).toBe(Math.min(7, eligible));
      }),
    );
  });

  it('fills seats from the dossier fields first', () => {
    const pool: PoolExpert[] = Array.from({ length: 12 }, (_, i) => ({
      id: `00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`,
      expertise: i < 5 ? ['emerg.digital'] : ['trad.footwear'],
      employer: { name: `单位${i}`, creditCode: null },
      county: null,
      available: true,
      yearlyCap: 10,
      reviewsThisYear: 0,
      declaredLinks: [],
      pastPanels: [],
    }));
    const dossier = dossierOf({ org: ORGS[0], host: null, county: 'lucheng', industries: ['emerg.digital'] });
    const avoidance = { sameCounty: false, recentPanelYears: null };
    const result = drawPanel({
      seed: 'fields',
      pool,
      dossier,
      members: 5,
      reserves: 2,
      avoidance,
      overrides: new Map(),
      today: '2026-12-01',
    });
    expect(result.members.map((id) => pool.find((e) => e.id === id)!.expertise[0])).toEqual(Array(5).fill('emerg.digital'));
    expect(result.reserves).toHaveLength(2);
  });

  it('names each exclusion and seats an overridden expert only with the reason kept', () => {
    const employed: PoolExpert = {
      id: '00000000-0000-4000-8000-000000000099',
      expertise: ['emerg.digital'],
      employer: { name: '甲 公司', creditCode: null },
      county: 'lucheng',
      available: true,
      yearlyCap: 10,
      reviewsThisYear: 0,
      declaredLinks: [],
      pastPanels: [{ organisationId: ORGS[0].id, drawnOn: '2025-06-01' }],
    };
    const dossier = dossierOf({ org: ORGS[0], host: null, county: 'lucheng', industries: ['emerg.digital'] });
    const avoidance = { sameCounty: true, recentPanelYears: 2 };
    const base = { seed: 's', pool: [employed], dossier, members: 1, reserves: 0, avoidance, today: '2026-12-01' };
    expect(drawPanel({ ...base, overrides: new Map() })).toMatchObject({
      members: [],
      excluded: [{ expertId: employed.id, reasons: ['same_employer', 'same_county', 'recent_panel'] }],
    });
    expect(drawPanel({ ...base, overrides: new Map([[employed.id, '该领域仅此一位专家']]) })).toMatchObject({
      members: [employed.id],
      overridden: [{ expertId: employed.id, waived: ['same_employer', 'same_county', 'recent_panel'], reason: '该领域仅此一位专家' }],
    });
  });
});

describe('the seeded random stream', () => {
  it('gives the same numbers for the same seed and stays below its bound', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 50 }), (seed, bounds) => {
        const a = seededRandom(seed);
        const b = seededRandom(seed);
        for (const bound of bounds) {
          const value = a.below(bound);
          expect(value).toBe(b.below(bound));
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThan(bound);
        }
      }),
    );
  });

  it('spreads picks over the whole range', () => {
    const random = seededRandom('uniform');
    const counts = Array(5).fill(0);
    for (let i = 0; i < 5000; i++) counts[random.below(5)] += 1;
    for (const count of counts) expect(count).toBeGreaterThan(850);
  });
});
