import fc from 'fast-check';
import { aggregate, checkSheet, rankAgainstQuota, trimmedMean, weightedTotal } from './aggregation';
import { defaultRubric } from './rubric';

describe('aggregation', () => {
  it('keeps the trimmed mean between the lowest and the highest value', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 15 }), (values) => {
        const t = trimmedMean(values);
        expect(t).toBeGreaterThanOrEqual(Math.min(...values) - 1e-9);
        expect(t).toBeLessThanOrEqual(Math.max(...values) + 1e-9);
      }),
    );
  });

  it('drops one highest and one lowest total (去掉一个最高分和一个最低分) and decides the pass', () => {
    const rubric = { ...defaultRubric('incubator'), criteria: [{ code: 'x', nameZh: 'x', nameEn: 'x', weight: 1, min: 0, max: 100 }] };
    const result = aggregate(rubric, [{ x: 95 }, { x: 70 }, { x: 72 }, { x: 40 }, { x: 74 }]);
    expect(result).toMatchObject({
      totals: [40, 70, 72, 74, 95],
      trimmedMean: 72,
      mean: 70.2,
      score: 72,
      passed: true,
      spread: 55,
      disagreement: true,
    });
    expect(aggregate({ ...rubric, method: 'mean', passMark: 71 }, [{ x: 95 }, { x: 70 }, { x: 72 }, { x: 40 }, { x: 74 }])).toMatchObject({
      score: 70.2,
      passed: false,
    });
  });

  it('weights criteria by their share of the range', () => {
    const criteria = [
      { code: 'a', nameZh: 'a', nameEn: 'a', weight: 3, min: 0, max: 10 },
      { code: 'b', nameZh: 'b', nameEn: 'b', weight: 1, min: 1, max: 5 },
    ];
    expect(weightedTotal(criteria, { a: 10, b: 1 })).toBe(75);
    expect(weightedTotal(criteria, { a: 5, b: 5 })).toBe(62.5);
  });

  it('names unknown, missing, out-of-range and uncommented low criteria', () => {
    const rubric = defaultRubric('incubator');
    const [first, second, third] = rubric.criteria;
    expect(
      checkSheet(rubric, [
        { criterion: first.code, value: 101 },
        { criterion: second.code, value: 10 },
        { criterion: third.code, value: 10, comment: '场地不足' },
        { criterion: 'nonsense', value: 50 },
      ]),
    ).toEqual([
      { problem: 'out_of_range', criterion: first.code, min: 0, max: 100 },
      { problem: 'comment_required', criterion: second.code, below: 60 },
      { problem: 'unknown_criterion', criterion: 'nonsense' },
      { problem: 'missing_criterion', criterion: rubric.criteria[3].code },
    ]);
  });

  it('ranks by score and admits passing dossiers up to the quota', () => {
    const ranked = rankAgainstQuota(
      [
        { applicationId: 'c', score: 80, passed: true },
        { applicationId: 'a', score: 90, passed: true },
        { applicationId: 'd', score: 60, passed: false },
        { applicationId: 'b', score: 80, passed: true },
      ],
      2,
    );
    expect(ranked.map((r) => [r.applicationId, r.rank, r.withinQuota])).toEqual([
      ['a', 1, true],
      ['b', 2, true],
      ['c', 3, false],
      ['d', 4, false],
    ]);
  });

  it('never admits more than the quota, nor a failed dossier', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ applicationId: fc.uuid(), score: fc.integer({ min: 0, max: 100 }), passed: fc.boolean() })),
        fc.option(fc.nat(10), { nil: null }),
        (results, quota) => {
          const ranked = rankAgainstQuota(results, quota);
          const admitted = ranked.filter((r) => r.withinQuota);
          if (quota !== null) expect(admitted.length).toBeLessThanOrEqual(quota);
          expect(admitted.every((r) => r.passed)).toBe(true);
          for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1].score).toBeGreaterThanOrEqual(ranked[i].score);
        },
      ),
    );
  });
});
