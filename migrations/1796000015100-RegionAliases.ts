import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Other names of the regions, accepted wherever a region name is read (the registry import). The
 * seed plan (温政发〔2023〕17号) writes 温州高新区〈经开区〉 and 温州海经区; spreadsheets kept by the
 * counties use the former and short names. 温州湾新区 merges 温州高新区 and 温州经开区 (DOMAIN.md §3);
 * 浙南产业集聚区 was folded into 温州经开区; 温州海经区 (温州海洋经济发展示范区) grew out of the
 * 瓯江口产业集聚区 (瓯江口新区). Bracketed forms need no entry: lookups normalise the brackets.
 */
const ALIASES: Record<string, string[]> = {
  lucheng: ['鹿城'],
  longwan: ['龙湾'],
  ouhai: ['瓯海'],
  dongtou: ['洞头'],
  ruian: ['瑞安'],
  yueqing: ['乐清'],
  longgang: ['龙港'],
  yongjia: ['永嘉'],
  pingyang: ['平阳'],
  cangnan: ['苍南'],
  wencheng: ['文成'],
  taishun: ['泰顺'],
  wenzhou_bay: [
    '温州高新区',
    '温州经开区',
    '温州高新区（经开区）',
    '温州国家高新区',
    '温州高新技术产业开发区',
    '温州经济技术开发区',
    '浙南产业集聚区',
  ],
  marine_economy: ['温州海洋经济发展示范区', '海经区', '瓯江口产业集聚区', '瓯江口新区'],
};

export class RegionAliases1796000015100 implements MigrationInterface {
  name = 'RegionAliases1796000015100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "region" ADD "aliases" text array NOT NULL DEFAULT '{}'`);
    for (const [code, aliases] of Object.entries(ALIASES)) {
      await queryRunner.query(`UPDATE "region" SET "aliases" = $2 WHERE "code" = $1`, [code, aliases]);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "region" DROP COLUMN "aliases"`);
  }
}
