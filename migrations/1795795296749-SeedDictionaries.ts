import type { MigrationInterface, QueryRunner } from 'typeorm';

// Regions and industries of DOMAIN.md §3-4. Later changes are new migrations or admin edits, never edits here.
const REGIONS: [code: string, zh: string, en: string, kind: string, parent: string | null, provisional: boolean, mountain: boolean][] = [
  ['lucheng', '鹿城区', 'Lucheng District', 'county', null, false, false],
  ['longwan', '龙湾区', 'Longwan District', 'county', null, false, false],
  ['ouhai', '瓯海区', 'Ouhai District', 'county', null, false, false],
  ['dongtou', '洞头区', 'Dongtou District', 'county', null, false, false],
  ['ruian', '瑞安市', "Rui'an City", 'county', null, false, false],
  ['yueqing', '乐清市', 'Yueqing City', 'county', null, false, false],
  ['longgang', '龙港市', 'Longgang City', 'county', null, false, false],
  ['yongjia', '永嘉县', 'Yongjia County', 'county', null, false, true],
  ['pingyang', '平阳县', 'Pingyang County', 'county', null, false, true],
  ['cangnan', '苍南县', 'Cangnan County', 'county', null, false, true],
  ['wencheng', '文成县', 'Wencheng County', 'county', null, false, true],
  ['taishun', '泰顺县', 'Taishun County', 'county', null, false, true],
  ['wenzhou_bay', '温州湾新区', 'Wenzhou Bay New Area', 'zone', 'longwan', false, false],
  ['marine_economy', '温州海经区', 'Wenzhou Marine Economy Development Zone', 'zone', 'dongtou', true, false],
];

const INDUSTRIES: [code: string, zh: string, en: string, group: string, fivePlusFive: boolean][] = [
  ['trad.electrical', '电气', 'Electrical equipment', 'traditional', true],
  ['trad.footwear', '鞋业', 'Footwear', 'traditional', true],
  ['trad.apparel', '服装', 'Apparel', 'traditional', true],
  ['trad.auto_parts', '汽摩配', 'Auto and motorcycle parts', 'traditional', true],
  ['trad.pump_valve', '泵阀', 'Pumps and valves', 'traditional', true],
  ['emerg.digital', '数字经济', 'Digital economy', 'emerging', true],
  ['emerg.intelligent_equipment', '智能装备', 'Intelligent equipment', 'emerging', true],
  ['emerg.life_health', '生命健康', 'Life and health', 'emerging', true],
  ['emerg.new_energy', '新能源(智能网联汽车)', 'New energy (intelligent connected vehicles)', 'emerging', true],
  ['emerg.new_materials', '新材料', 'New materials', 'emerging', true],
  ['frontier.regenerative_medicine', '再生医学', 'Regenerative medicine', 'frontier', false],
  ['frontier.low_altitude', '低空经济', 'Low-altitude economy', 'frontier', false],
];

export class SeedDictionaries1795795296749 implements MigrationInterface {
  name = 'SeedDictionaries1795795296749';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const [index, [code, zh, en, kind, parent, provisional, mountain]] of REGIONS.entries()) {
      await queryRunner.query(
        `INSERT INTO "region" ("code", "name_zh", "name_en", "kind", "parent_county_code", "parent_provisional", "mountain", "valid_from", "sort_order")
         VALUES ($1, $2, $3, $4, $5, $6, $7, '2000-01-01', $8)`,
        [code, zh, en, kind, parent, provisional, mountain, index + 1],
      );
    }
    for (const [index, [code, zh, en, group, fivePlusFive]] of INDUSTRIES.entries()) {
      await queryRunner.query(
        `INSERT INTO "industry" ("code", "name_zh", "name_en", "industry_group", "in_five_plus_five", "valid_from", "sort_order")
         VALUES ($1, $2, $3, $4, $5, '2000-01-01', $6)`,
        [code, zh, en, group, fivePlusFive, index + 1],
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "industry"`);
    await queryRunner.query(`DELETE FROM "region"`);
  }
}
