import type { TallySums } from '@app/registry';
import { LEVELS, type ProgressContext, computeProgress } from './progress';
import type { TargetDefinition } from './target-definition';

const days = ['2022-12-31', '2023-04-14', '2023-12-31', '2024-12-31', '2025-06-30'];

function sums(
  measure: string,
  type: string,
  level: string,
  values: number[],
  dims: { countyCode?: string; industryCode?: string } = {},
): TallySums {
  return {
    key: {
      measure: measure as TallySums['key']['measure'],
      platformType: type,
      level,
      countyCode: dims.countyCode ?? '',
      industryCode: dims.industryCode ?? '',
    },
    values,
  };
}

function context(rows: TallySums[], overrides: Partial<ProgressContext> = {}): ProgressContext {
  return {
    asOf: '2025-06-30',
    days,
    sums: rows,
    counties: [
      { code: 'lucheng', nameZh: '鹿城区' },
      { code: 'longwan', nameZh: '龙湾区' },
    ],
    fivePlusFive: [{ code: 'emerg.digital', nameZh: '数字经济' }],
    levels: LEVELS,
    by: null,
    pipeline: [],
    pipelineAvailable: false,
    ...overrides,
  };
}

const revision = {
  id: 'r',
  value: 10,
  dueOn: '2027-12-31',
  sourceDocumentNumber: '温政发〔2023〕17号',
  sourceDocumentDate: '2023-04-14',
  effectiveFrom: '2023-04-14',
};
const keyLabs: TargetDefinition = { kind: 'count', types: ['key_lab'], levelFloor: 'provincial' };
const target = (definition: TargetDefinition): Parameters<typeof computeProgress>[0] => ({
  code: 'x',
  nameZh: 'x',
  nameEn: 'x',
  unitZh: '家',
  definition,
  revision,
});

describe('computeProgress', () => {
  it('counts only types and levels at or above the floor, with the yearly series and the gap', () => {
    const rows = [
      sums('lineage', 'key_lab', 'municipal', [5, 5, 6, 7, 8]),
      sums('lineage', 'key_lab', 'provincial', [0, 0, 1, 2, 3]),
      sums('lineage', 'incubator', 'national', [9, 9, 9, 9, 9]),
    ];
    const progress = computeProgress(target(keyLabs), context(rows));
    expect(progress.value).toBe(3);
    expect(progress.gap).toBe(7);
    expect(progress.series).toEqual([
      { year: 2023, day: '2023-12-31', value: 1 },
      { year: 2024, day: '2024-12-31', value: 2 },
      { year: 2025, day: '2025-06-30', value: 3 },
    ]);
    expect(progress.plan).toEqual({ from: { day: '2023-04-14', value: 0 }, to: { day: '2027-12-31', value: 10 } });
  });

  it('is at risk below the planned line, on track when the pipeline forecast reaches it', () => {
    const rows = [sums('lineage', 'key_lab', 'provincial', [0, 0, 1, 2, 3])];
    const atRisk = computeProgress(target(keyLabs), context(rows));
    expect(atRisk.plannedValue).toBeGreaterThan(3);
    expect(atRisk.status).toBe('at_risk');
    const pipeline = [{ stage: 'expert_review', nameZh: '专家评审', count: 4, passRate: 0.5 }];
    const onTrack = computeProgress(target(keyLabs), context(rows, { pipeline, pipelineAvailable: true }));
    expect(onTrack.forecast).toMatchObject({ expectedFromPipeline: 2, projected: 5, available: true });
    expect(onTrack.status).toBe('on_track');
  });

  it('names what a coverage target still misses', () => {
    const definition: TargetDefinition = { kind: 'coverage', types: ['incubator'], levelFloor: 'provincial', coverage: 'county' };
    const rows = [
      sums('lineage_county', 'incubator', 'national', [0, 0, 0, 1, 1], { countyCode: 'longwan' }),
      sums('lineage_county', 'incubator', 'municipal', [1, 1, 1, 1, 1], { countyCode: 'lucheng' }),
    ];
    const progress = computeProgress({ ...target(definition), revision: { ...revision, value: 2 } }, context(rows, { by: 'county' }));
    expect(progress.value).toBe(1);
    expect(progress.coverage).toEqual({
      of: 2,
      covered: [{ code: 'longwan', nameZh: '龙湾区' }],
      missing: [{ code: 'lucheng', nameZh: '鹿城区' }],
    });
    expect(progress.breakdown?.items).toEqual([
      { key: 'lucheng', nameZh: '鹿城区', value: 0 },
      { key: 'longwan', nameZh: '龙湾区', value: 1 },
    ]);
  });

  it('has no status without a revision in force, and is missed after its due date', () => {
    const rows = [sums('lineage', 'key_lab', 'provincial', [0, 0, 1, 2, 3])];
    expect(computeProgress({ ...target(keyLabs), revision: null }, context(rows)).status).toBe('no_target');
    expect(computeProgress({ ...target(keyLabs), revision: { ...revision, dueOn: '2025-01-01' } }, context(rows)).status).toBe('missed');
  });
});
