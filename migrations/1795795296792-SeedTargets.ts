import type { MigrationInterface, QueryRunner } from 'typeorm';

// Targets of 温政发〔2023〕17号 (DOMAIN.md §2), its nine city indicators, and default evaluation
// thresholds (DOMAIN.md §7). Later changes are revisions made through the API, never edits here.
const PLAN = '温政发〔2023〕17号';
const PLAN_DATE = '2023-04-14';

const TARGETS: [code: string, zh: string, en: string, unit: string, definition: object, value: number, due: string][] = [
  ['nri.total', '新型研发机构', 'New R&D institutions, any level', '家', { kind: 'count', types: ['new_rd_institution'], levelFloor: 'municipal' }, 70, '2027-12-31'],
  ['nri.provincial', '省级新型研发机构', 'Provincial new R&D institutions', '家', { kind: 'count', types: ['new_rd_institution'], levelFloor: 'provincial' }, 18, '2027-12-31'],
  [
    'nri.industry_coverage',
    '"5+5"产业新型研发机构覆盖',
    '"5+5" industries with a new R&D institution',
    '个产业',
    { kind: 'coverage', types: ['new_rd_institution'], levelFloor: 'municipal', coverage: 'industry' },
    10,
    '2025-12-31',
  ],
  [
    'incubation.provincial_plus',
    '省级以上孵化器和众创空间',
    'Provincial-level or higher incubators and maker spaces',
    '家',
    { kind: 'count', types: ['incubator', 'maker_space'], levelFloor: 'provincial' },
    80,
    '2027-12-31',
  ],
  [
    'incubation.county_coverage',
    '省级以上孵化器（众创空间）县域全覆盖',
    'Counties with a provincial-level incubator or maker space',
    '个县（市、区）',
    { kind: 'coverage', types: ['incubator', 'maker_space'], levelFloor: 'provincial', coverage: 'county' },
    12,
    '2027-12-31',
  ],
  ['incubation.operators', '专业运营机构', 'Professional operating organisations', '家', { kind: 'operators', levelFloor: 'municipal' }, 100, '2027-12-31'],
  [
    'incubation.enterprises',
    '在孵企业',
    'Incubated enterprises (latest annual reports)',
    '家',
    { kind: 'sum', types: ['incubator', 'maker_space'], levelFloor: 'municipal', field: 'incubated_enterprises' },
    10000,
    '2027-12-31',
  ],
  [
    'incubation.area_m2',
    '孵化场地面积',
    'Incubation area (latest annual reports)',
    '平方米',
    { kind: 'sum', types: ['incubator', 'maker_space'], levelFloor: 'municipal', field: 'area_m2' },
    10000000,
    '2027-12-31',
  ],
  ['key_lab.municipal_plus', '市级以上重点实验室', 'Municipal-level or higher key laboratories', '家', { kind: 'count', types: ['key_lab'], levelFloor: 'municipal' }, 150, '2027-12-31'],
];

// 九大重点科技创新指标: 2022 baseline and the 2023, 2025, 2027 milestones.
const INDICATORS: [code: string, zh: string, en: string, unit: string, milestones: [number, number, number, number]][] = [
  ['rd_gdp_ratio', 'R&D经费占地区生产总值的比重', 'R&D expenditure as a share of GDP', '%', [2.6, 2.7, 3.0, 3.4]],
  ['rd_personnel_per_10k', '每万名就业人员中研发人员', 'R&D personnel per 10,000 employed', '人年', [110, 120, 130, 140]],
  ['industrial_rd_intensity', '规上工业企业研究开发经费占营业收入比重', 'R&D spend of industrial enterprises above scale as a share of revenue', '%', [3.32, 3.41, 3.51, 3.6]],
  ['high_tech_enterprises', '高新技术企业累计数', 'High-tech enterprises (cumulative)', '家', [3700, 4300, 5500, 6500]],
  ['tech_smes', '省科技型中小企业累计数', 'Provincial technology SMEs (cumulative)', '家', [14700, 16500, 20000, 22000]],
  ['high_tech_value_added_share', '高新技术产业增加值占规上工业增加值的比重', 'High-tech industry share of industrial value added', '%', [66.8, 67, 68, 70]],
  ['technology_trade', '技术交易额', 'Technology trade volume', '亿元', [256, 330, 500, 560]],
  ['new_incubation_area', '年新增孵化器（众创空间）孵化场地面积', 'New incubation area per year', '万平方米', [152, 180, 150, 150]],
  ['high_tech_investment_growth', '高新技术产业投资增速', 'Growth of high-tech industry investment', '%', [9.6, 15, 15, 15]],
];
const MILESTONE_YEARS = [2022, 2023, 2025, 2027];

// Grade A >= 90, B >= 70, C >= 60, else D; reports for year Y due 31 March of Y+1; key labs have a
// three-year build period; rectification lasts six months. Defaults, to confirm per year.
const THRESHOLDS: [type: string, buildYears: number][] = [
  ['new_rd_institution', 0],
  ['incubator', 0],
  ['maker_space', 0],
  ['key_lab', 3],
];

export class SeedTargets1795795296792 implements MigrationInterface {
  name = 'SeedTargets1795795296792';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const [index, [code, zh, en, unit, definition, value, due]] of TARGETS.entries()) {
      await queryRunner.query(`INSERT INTO "target" ("code", "name_zh", "name_en", "unit_zh", "definition", "sort_order") VALUES ($1, $2, $3, $4, $5, $6)`, [
        code,
        zh,
        en,
        unit,
        JSON.stringify(definition),
        index + 1,
      ]);
      await queryRunner.query(
        `INSERT INTO "target_revision" ("id", "target_code", "value", "due_on", "source_document_number", "source_document_date", "effective_from", "note")
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7)`,
        [`7a2e0000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`, code, value, due, PLAN, PLAN_DATE, '温州市科技创新"八大抓手"实施方案（2023—2027年）'],
      );
    }
    for (const [index, [code, zh, en, unit, milestones]] of INDICATORS.entries()) {
      await queryRunner.query(`INSERT INTO "city_indicator" ("code", "name_zh", "name_en", "unit", "sort_order") VALUES ($1, $2, $3, $4, $5)`, [code, zh, en, unit, index + 1]);
      for (const [i, year] of MILESTONE_YEARS.entries()) {
        await queryRunner.query(`INSERT INTO "city_indicator_milestone" ("indicator_code", "year", "value", "source_document_number") VALUES ($1, $2, $3, $4)`, [
          code,
          year,
          milestones[i],
          PLAN,
        ]);
      }
    }
    for (const [type, buildYears] of THRESHOLDS) {
      await queryRunner.query(
        `INSERT INTO "evaluation_threshold" ("platform_type", "from_year", "excellent_min", "good_min", "pass_min", "report_due", "build_period_years", "rectification_months")
         VALUES ($1, 2000, 90, 70, 60, '03-31', $2, 6)`,
        [type, buildYears],
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "evaluation_threshold"`);
    await queryRunner.query(`DELETE FROM "city_indicator_value"`);
    await queryRunner.query(`DELETE FROM "city_indicator_milestone"`);
    await queryRunner.query(`DELETE FROM "city_indicator"`);
    await queryRunner.query(`DELETE FROM "target_revision"`);
    await queryRunner.query(`DELETE FROM "target"`);
  }
}
