import fc from 'fast-check';
import { PLATFORM_LEVELS, type PlatformLevel } from '@app/reference';
import { MEASURES, type TallyChange, type TallyRecord, lineageChanges, operatorChanges, rangesFor } from './tally';

function record(overrides: Partial<TallyRecord>): TallyRecord {
  return {
    id: 'a',
    lineageId: 'a',
    type: 'key_lab',
    level: 'municipal',
    countyCode: 'lucheng',
    industries: ['trad.electrical'],
    recognisedOn: '2023-03-01',
    revokedOn: null,
    professionalOperator: false,
    operatorKey: 'org',
    reports: [],
    ...overrides,
  };
}

/** What the tally says on a day: the sum of changes up to it, per measure. */
function valueOn(changes: TallyChange[], measure: string, day: string, filter: (c: TallyChange) => boolean = () => true): number {
  return changes.filter((c) => c.measure === measure && c.day <= day && filter(c)).reduce((sum, c) => sum + c.delta, 0);
}

describe('lineage counting', () => {
  it('counts a promoted municipal key lab once, at its highest active level', () => {
    const municipal = record({ id: 'm', lineageId: 'm', level: 'municipal', recognisedOn: '2023-03-01' });
    const provincial = record({ id: 'p', lineageId: 'm', level: 'provincial', recognisedOn: '2025-06-01' });
    const changes = lineageChanges([municipal, provincial]);
    expect(valueOn(changes, MEASURES.lineage, '2024-12-31')).toBe(1);
    expect(valueOn(changes, MEASURES.lineage, '2026-01-01')).toBe(1);
    expect(valueOn(changes, MEASURES.lineage, '2026-01-01', (c) => c.level === 'provincial')).toBe(1);
    expect(valueOn(changes, MEASURES.lineage, '2026-01-01', (c) => c.level === 'municipal')).toBe(0);
  });

  it('stops counting a revoked platform on its revocation day', () => {
    const changes = lineageChanges([record({ recognisedOn: '2024-05-01', revokedOn: '2026-03-01' })]);
    expect(valueOn(changes, MEASURES.lineage, '2024-04-30')).toBe(0);
    expect(valueOn(changes, MEASURES.lineage, '2025-12-31')).toBe(1);
    expect(valueOn(changes, MEASURES.lineage, '2026-02-28')).toBe(1);
    expect(valueOn(changes, MEASURES.lineage, '2026-03-01')).toBe(0);
  });

  it('sums the latest report filed by the day, only while the platform is active', () => {
    const changes = lineageChanges([
      record({
        type: 'incubator',
        recognisedOn: '2023-01-10',
        revokedOn: '2026-01-01',
        reports: [
          { year: 2023, filedOn: '2024-03-01', incubatedEnterprises: 40, areaM2: 5000 },
          { year: 2024, filedOn: '2025-03-01', incubatedEnterprises: 55, areaM2: 6000 },
        ],
      }),
    ]);
    expect(valueOn(changes, MEASURES.enterprises, '2024-02-28')).toBe(0);
    expect(valueOn(changes, MEASURES.enterprises, '2024-12-31')).toBe(40);
    expect(valueOn(changes, MEASURES.areaM2, '2025-06-30')).toBe(6000);
    expect(valueOn(changes, MEASURES.enterprises, '2026-01-01')).toBe(0);
  });

  it('counts an operator once across its incubators and maker spaces', () => {
    const changes = operatorChanges([
      record({ id: 'i', type: 'incubator', professionalOperator: true, recognisedOn: '2023-05-01' }),
      record({ id: 's', type: 'maker_space', professionalOperator: true, recognisedOn: '2024-05-01', revokedOn: '2025-01-01' }),
      record({ id: 'k', type: 'key_lab', professionalOperator: true, recognisedOn: '2022-05-01' }),
    ]);
    expect(valueOn(changes, MEASURES.operator, '2023-01-01')).toBe(0);
    expect(valueOn(changes, MEASURES.operator, '2024-06-01')).toBe(1);
    expect(valueOn(changes, MEASURES.operator, '2025-06-01')).toBe(1);
  });

  it('matches a scan of the records on every day, for any lineage history', () => {
    const day = fc.integer({ min: 0, max: 2000 }).map((n) => new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
    const arbitraryRecord = fc.record({
      level: fc.constantFrom(...PLATFORM_LEVELS),
      recognisedOn: day,
      lasts: fc.option(fc.integer({ min: 0, max: 1500 }), { nil: null }),
      industries: fc.subarray(['a', 'b', 'c']),
    });
    fc.assert(
      fc.property(
        fc.array(arbitraryRecord, { minLength: 1, maxLength: 5 }),
        fc.array(day, { minLength: 1, maxLength: 10 }),
        (specs, probes) => {
          const records = specs.map((s, i) => {
            const revokedOn =
              s.lasts === null
                ? null
                : new Date(Date.parse(`${s.recognisedOn}T00:00:00Z`) + s.lasts * 86_400_000).toISOString().slice(0, 10);
            return record({
              id: `r${i}`,
              lineageId: 'L',
              level: s.level as PlatformLevel,
              recognisedOn: s.recognisedOn,
              revokedOn,
              industries: s.industries,
            });
          });
          const changes = lineageChanges(records);
          for (const probe of probes) {
            const active = records.filter((r) => r.recognisedOn <= probe && (r.revokedOn === null || r.revokedOn > probe));
            for (const floor of PLATFORM_LEVELS) {
              const rank = PLATFORM_LEVELS.indexOf(floor);
              const expected = active.some((r) => PLATFORM_LEVELS.indexOf(r.level) >= rank) ? 1 : 0;
              const counted = valueOn(changes, MEASURES.lineage, probe, (c) => PLATFORM_LEVELS.indexOf(c.level as PlatformLevel) >= rank);
              expect(counted).toBe(expected);
            }
            for (const industry of ['a', 'b', 'c']) {
              const expected = active.some((r) => r.industries.includes(industry)) ? 1 : 0;
              expect(valueOn(changes, MEASURES.lineageIndustry, probe, (c) => c.industryCode === industry)).toBe(expected);
            }
          }
        },
      ),
    );
  });
});

describe('rangesFor', () => {
  it('reads only year rows at a year end', () => {
    expect(rangesFor('2025-12-31')).toEqual({ yearBefore: '2026-01-01', month: null, day: null });
  });

  it('reads year and month rows at a month end', () => {
    expect(rangesFor('2025-06-30')).toEqual({ yearBefore: '2025-01-01', month: ['2025-01-01', '2025-06-01'], day: null });
  });

  it('reads year, earlier month and day rows within a month', () => {
    expect(rangesFor('2025-06-15')).toEqual({
      yearBefore: '2025-01-01',
      month: ['2025-01-01', '2025-05-01'],
      day: ['2025-06-01', '2025-06-15'],
    });
    expect(rangesFor('2025-01-15')).toEqual({ yearBefore: '2025-01-01', month: null, day: ['2025-01-01', '2025-01-15'] });
  });
});
