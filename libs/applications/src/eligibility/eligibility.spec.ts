import { defaultRules } from './default-rules';
import { derivedFields, evaluateEligibility } from './eligibility';

const years = (since: string, today: string): unknown => derivedFields({ operatingSince: since }, today).operatingYears;

describe('operatingYears: completed calendar years', () => {
  it('counts a firm exactly one year old as one year old, and one a day short as none', () => {
    expect(years('2025-12-01', '2026-12-01')).toBe(1);
    expect(years('2025-12-02', '2026-12-01')).toBe(0);
    expect(years('2023-12-01', '2026-12-01')).toBe(3);
    expect(years('2023-12-02', '2026-12-01')).toBe(2);
  });

  it('keeps 29 February anniversaries on 1 March in common years, and ignores bad dates', () => {
    expect(years('2024-02-29', '2025-02-28')).toBe(0);
    expect(years('2024-02-29', '2025-03-01')).toBe(1);
    expect(years('2024-02-29', '2028-02-29')).toBe(4);
    expect(years('2027-01-01', '2026-12-01')).toBe(0);
    expect(years('not a date', '2026-12-01')).toBeUndefined();
    expect(years('2026-02-30', '2026-12-01')).toBeUndefined();
  });

  it('lets an incubator operating exactly one year pass its operating rule', () => {
    const rules = defaultRules('incubator', 'municipal').filter((r) => r.field === 'operatingYears');
    expect(rules.length).toBeGreaterThan(0);
    const results = evaluateEligibility(rules, { operatingSince: '2025-12-01' }, '2026-12-01');
    expect(results.find((r) => r.ruleId === 'inc.operating')?.passed).toBe(true);
  });
});
