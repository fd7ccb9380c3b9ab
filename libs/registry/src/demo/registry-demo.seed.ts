import type { DataSource } from 'typeorm';
import type { AppConfig } from '@app/config';
import { type Actor, User } from '@app/identity';
import type { PlatformLevel, PlatformTypeCode } from '@app/reference';
import { Platform } from '../platform.entity';
import type { RegistryService } from '../registry.service';

/** Marks demo records: their document numbers end with this. */
export const DEMO_DOCUMENT_SUFFIX = '（演示）';

const COUNTIES = [
  'lucheng',
  'longwan',
  'ouhai',
  'dongtou',
  'ruian',
  'yueqing',
  'longgang',
  'yongjia',
  'pingyang',
  'cangnan',
  'wencheng',
  'taishun',
  'wenzhou_bay',
];
const INDUSTRIES = [
  'trad.electrical',
  'trad.footwear',
  'trad.apparel',
  'trad.auto_parts',
  'trad.pump_valve',
  'emerg.digital',
  'emerg.intelligent_equipment',
  'emerg.life_health',
  'emerg.new_energy',
  'emerg.new_materials',
];
const TYPE_NAMES: Record<PlatformTypeCode, string> = {
  new_rd_institution: '研究院',
  incubator: '科技企业孵化器',
  maker_space: '众创空间',
  key_lab: '重点实验室',
};
const COUNTY_NAMES: Record<string, string> = {
  lucheng: '鹿城',
  longwan: '龙湾',
  ouhai: '瓯海',
  dongtou: '洞头',
  ruian: '瑞安',
  yueqing: '乐清',
  longgang: '龙港',
  yongjia: '永嘉',
  pingyang: '平阳',
  cangnan: '苍南',
  wencheng: '文成',
  taishun: '泰顺',
  wenzhou_bay: '温州湾',
};
const FIELD_NAMES = ['电气', '鞋业', '服装', '汽摩配', '泵阀', '数字经济', '智能装备', '生命健康', '新能源', '新材料'];

/** How many of each kind, per year 2023-2026, and at which level: shaped like a plausible registry. */
const PLAN: [type: PlatformTypeCode, level: PlatformLevel, perYear: number[]][] = [
  ['new_rd_institution', 'municipal', [9, 8, 8, 6]],
  ['new_rd_institution', 'provincial', [2, 3, 3, 2]],
  ['incubator', 'municipal', [5, 5, 4, 3]],
  ['incubator', 'provincial', [6, 6, 7, 5]],
  ['incubator', 'national', [1, 1, 1, 1]],
  ['maker_space', 'provincial', [5, 5, 6, 4]],
  ['maker_space', 'national', [1, 1, 0, 1]],
  ['key_lab', 'municipal', [22, 20, 18, 15]],
  ['key_lab', 'provincial', [3, 3, 4, 3]],
];

/** Counties without provincial incubation in the demo, so the coverage table shows gaps. */
const NO_PROVINCIAL_INCUBATION = new Set(['wencheng', 'taishun']);

/**
 * Recognised platforms for embedded mode, spread over counties, types, levels and 2023-2026, a few
 * revoked and one key lab promoted, so the dashboard shows real numbers. Idempotent: does nothing
 * when demo platforms exist. Never runs when NODE_ENV=production.
 */
export async function seedRegistryDemo(
  dataSource: DataSource,
  registry: RegistryService,
  config: Pick<AppConfig, 'nodeEnv'>,
): Promise<{ created: number }> {
  if (config.nodeEnv === 'production') return { created: 0 };
  const existing = await dataSource
    .getRepository(Platform)
    .createQueryBuilder('p')
    .where('p.document_number LIKE :suffix', { suffix: `%${DEMO_DOCUMENT_SUFFIX}` })
    .getCount();
  if (existing > 0) return { created: 0 };
  let created = 0;
  let serial = 0;
  const made: Platform[] = [];
  await dataSource.transaction(async (manager) => {
    for (const [type, level, perYear] of PLAN) {
      for (const [offset, count] of perYear.entries()) {
        const year = 2023 + offset;
        for (let i = 0; i < count; i++) {
          serial += 1;
          const eligible =
            level !== 'municipal' && (type === 'incubator' || type === 'maker_space')
              ? COUNTIES.filter((c) => !NO_PROVINCIAL_INCUBATION.has(c))
              : COUNTIES;
          const region = eligible[(serial * 7 + i) % eligible.length];
          const industryIndex = (serial * 3 + offset) % INDUSTRIES.length;
          const month = String(((serial * 5) % 11) + 1).padStart(2, '0');
          const day = String(((serial * 11) % 27) + 1).padStart(2, '0');
          const recognisedOn = `${year}-${month}-${day}`;
          const platform = await registry.recordRecognition(manager, {
            applicationId: null,
            type,
            level,
            subtype: null,
            name: `温州${COUNTY_NAMES[region]}${FIELD_NAMES[industryIndex]}${TYPE_NAMES[type]}（第${serial}号）`,
            organisationId: null,
            organisationName: `温州${COUNTY_NAMES[region]}${FIELD_NAMES[industryIndex]}科技有限公司`,
            creditCode: null,
            regionCode: region,
            industries: [INDUSTRIES[industryIndex]],
            recognisedOn,
            documentNumber: `温科发〔${year}〕${(serial % 40) + 10}号${DEMO_DOCUMENT_SUFFIX}`,
            professionalOperator: (type === 'incubator' || type === 'maker_space') && serial % 2 === 0,
          });
          made.push(platform);
          created += 1;
        }
      }
    }
    // One municipal key lab of 2023 promoted to provincial in 2025: it keeps its record and counts once.
    const promoted = made.find((p) => p.type === 'key_lab' && p.level === 'municipal' && p.recognisedOn.startsWith('2023'));
    if (promoted) {
      await registry.recordRecognition(manager, {
        applicationId: null,
        type: 'key_lab',
        level: 'provincial',
        subtype: null,
        name: `${promoted.name.replace(/（第\d+号）$/, '')}（省级）`,
        organisationId: null,
        organisationName: promoted.organisationName,
        creditCode: null,
        regionCode: promoted.regionCode,
        industries: promoted.industries,
        recognisedOn: '2025-06-18',
        documentNumber: `浙科发〔2025〕21号${DEMO_DOCUMENT_SUFFIX}`,
        promotedFromId: promoted.id,
      });
      created += 1;
    }
  });
  // A few revoked (in 2024-2026), through the same path as the bureau's revocations.
  const admin = await dataSource.getRepository(User).findOne({ where: { role: 'admin' }, order: { createdAt: 'ASC' } });
  if (admin) {
    const actor: Actor = { userId: admin.id, role: 'admin', organisationId: null, regionCode: null, sessionId: 'demo-seed', ip: null };
    const revocations: [number, string, 'ceased' | 'failed_twice' | 'criteria_not_met'][] = [
      [3, '2024-09-30', 'ceased'],
      [20, '2025-12-15', 'failed_twice'],
      [45, '2026-03-31', 'criteria_not_met'],
      [60, '2026-06-30', 'ceased'],
    ];
    for (const [index, revokedOn, reason] of revocations) {
      const platform = made[index];
      if (platform && platform.recognisedOn < revokedOn) {
        await registry.revoke(actor, platform.id, {
          reason,
          revokedOn,
          documentNumber: `温科发〔${revokedOn.slice(0, 4)}〕99号${DEMO_DOCUMENT_SUFFIX}`,
        });
      }
    }
    // Last year's annual reports of the incubators and maker spaces (filed today), for the sums.
    const lastYear = new Date().getFullYear() - 1;
    for (const [index, platform] of made.entries()) {
      if ((platform.type === 'incubator' || platform.type === 'maker_space') && Number(platform.recognisedOn.slice(0, 4)) <= lastYear) {
        await registry.fileReport(actor, platform.id, {
          year: lastYear,
          incubatedEnterprises: 30 + ((index * 17) % 90),
          areaM2: 6000 + ((index * 1311) % 24000),
        });
      }
    }
  }
  return { created };
}
