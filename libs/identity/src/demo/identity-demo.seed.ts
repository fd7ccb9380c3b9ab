import { randomUUID } from 'node:crypto';
import { type DataSource, Like } from 'typeorm';
import type { AppConfig } from '@app/config';
import { completeCreditCode } from '../credit-code';
import { Organisation } from '../organisation.entity';
import type { LegalForm, Role } from '../roles';
import { hashPassword } from '../secrets';
import { User } from '../user.entity';

export const DEMO_EMAIL_DOMAIN = 'demo.ouflow.cn';

export interface DemoAccount {
  email: string;
  role: Role;
  name: string;
  scope: string;
}

/** 行政区划码 of the counties; zones register with their parent county's bureau. */
const DIVISION: Record<string, string> = {
  lucheng: '330302',
  longwan: '330303',
  ouhai: '330304',
  dongtou: '330305',
  ruian: '330381',
  yueqing: '330382',
  longgang: '330383',
  yongjia: '330324',
  pingyang: '330326',
  cangnan: '330327',
  wencheng: '330328',
  taishun: '330329',
  wenzhou_bay: '330303',
  marine_economy: '330305',
};

const REGIONS: [code: string, nameZh: string][] = [
  ['lucheng', '鹿城区'],
  ['longwan', '龙湾区'],
  ['ouhai', '瓯海区'],
  ['dongtou', '洞头区'],
  ['ruian', '瑞安市'],
  ['yueqing', '乐清市'],
  ['longgang', '龙港市'],
  ['yongjia', '永嘉县'],
  ['pingyang', '平阳县'],
  ['cangnan', '苍南县'],
  ['wencheng', '文成县'],
  ['taishun', '泰顺县'],
  ['wenzhou_bay', '温州湾新区'],
  ['marine_economy', '温州海经区'],
];

/** Fictional organisations, one per "5+5" industry, spread over counties and a zone. */
const ORGANISATIONS: [key: string, name: string, legalForm: LegalForm, region: string, industry: string][] = [
  ['electrical', '乐清瓯江电气科技有限公司', 'enterprise', 'yueqing', 'trad.electrical'],
  ['footwear', '温州鹿城鞋业创新有限公司', 'enterprise', 'lucheng', 'trad.footwear'],
  ['apparel', '瓯海时尚服装设计有限公司', 'enterprise', 'ouhai', 'trad.apparel'],
  ['autoparts', '瑞安汽摩配智造有限公司', 'enterprise', 'ruian', 'trad.auto_parts'],
  ['pumpvalve', '龙湾泵阀研究院有限公司', 'enterprise', 'longwan', 'trad.pump_valve'],
  ['digital', '温州湾数字经济产业发展有限公司', 'enterprise', 'wenzhou_bay', 'emerg.digital'],
  ['equipment', '平阳智能装备科技有限公司', 'enterprise', 'pingyang', 'emerg.intelligent_equipment'],
  ['health', '温州瓯越生命健康研究院', 'research_institute', 'lucheng', 'emerg.life_health'],
  ['energy', '龙港新能源汽车部件有限公司', 'enterprise', 'longgang', 'emerg.new_energy'],
  ['materials', '苍南新材料科技有限公司', 'enterprise', 'cangnan', 'emerg.new_materials'],
];

const EXPERTS: [name: string, expertise: string[], employer: string][] = [
  ['陈志远', ['trad.electrical', 'emerg.intelligent_equipment'], '浙江大学'],
  ['林晓梅', ['emerg.life_health'], '温州医科大学'],
  ['黄建国', ['trad.pump_valve', 'trad.auto_parts'], '浙江工业大学'],
  ['周雅琴', ['emerg.digital'], '温州大学'],
  ['吴海波', ['emerg.new_energy', 'emerg.new_materials'], '中国科学院宁波材料技术与工程研究所'],
  ['郑丽华', ['trad.footwear', 'trad.apparel'], '温州职业技术学院'],
];

/**
 * Demo people for embedded mode, all sharing DEMO_PASSWORD: admin, bureau officer, leader, one
 * county officer per county and zone, six experts, ten applicant organisations with one user each.
 * Idempotent: creates nothing when the demo admin exists. Never runs when NODE_ENV=production.
 * Returns the demo accounts (for the start-up banner) and whether this call created them.
 */
export async function seedIdentityDemo(dataSource: DataSource, config: AppConfig): Promise<{ created: boolean; accounts: DemoAccount[] }> {
  if (config.nodeEnv === 'production') return { created: false, accounts: [] };
  const users = dataSource.getRepository(User);
  if (await users.exists({ where: { email: `admin@${DEMO_EMAIL_DOMAIN}` } })) {
    const existing = await users.find({ where: { email: Like(`%@${DEMO_EMAIL_DOMAIN}`) }, order: { createdAt: 'ASC', email: 'ASC' } });
    return {
      created: false,
      accounts: existing.map((u) => ({ email: u.email, role: u.role, name: u.name, scope: u.regionCode ?? u.expertise.join(', ') })),
    };
  }
  // One hash for all: the accounts share one demo password, and argon2 takes ~50 ms a hash.
  const passwordHash = await hashPassword(config.demoPassword);
  const now = new Date();
  const accounts: DemoAccount[] = [];
  await dataSource.transaction(async (manager) => {
    const addUser = async (email: string, name: string, role: Role, scope: string, fields: Partial<User> = {}): Promise<void> => {
      await manager.insert(User, { id: randomUUID(), email, name, role, locale: 'zh-CN', passwordHash, emailVerifiedAt: now, ...fields });
      accounts.push({ email, role, name, scope });
    };
    await addUser(`admin@${DEMO_EMAIL_DOMAIN}`, '系统管理员', 'admin', 'system');
    await addUser(`bureau@${DEMO_EMAIL_DOMAIN}`, '市科技局 王科员', 'bureau_officer', 'city');
    await addUser(`leader@${DEMO_EMAIL_DOMAIN}`, '市科技局 赵局长', 'leader', 'city (read-only)');
    for (const [code, nameZh] of REGIONS) {
      await addUser(`county.${code}@${DEMO_EMAIL_DOMAIN}`, `${nameZh}科技局`, 'county_officer', code, { regionCode: code });
    }
    for (const [index, [name, expertise, employer]] of EXPERTS.entries()) {
      await addUser(`expert${index + 1}@${DEMO_EMAIL_DOMAIN}`, name, 'expert', expertise.join(', '), { expertise, employerName: employer });
    }
    for (const [index, [key, name, legalForm, region, industry]] of ORGANISATIONS.entries()) {
      const id = randomUUID();
      const first17 = `${legalForm === 'enterprise' ? '91' : '12'}${DIVISION[region]}MA2H${String(index + 1).padStart(5, '0')}`;
      await manager.insert(Organisation, {
        id,
        creditCode: completeCreditCode(first17),
        name,
        legalForm,
        regionCode: region,
        industryCodes: [industry],
        address: `浙江省温州市${REGIONS.find(([code]) => code === region)?.[1] ?? ''}示范路${index + 1}号`,
        contactName: '联系人',
        contactPhone: `0577-8800${String(index + 1).padStart(4, '0')}`,
        contactEmail: `applicant.${key}@${DEMO_EMAIL_DOMAIN}`,
      });
      await addUser(`applicant.${key}@${DEMO_EMAIL_DOMAIN}`, `${name} 申报联系人`, 'applicant', `${name} (${region})`, {
        organisationId: id,
        isOrganisationOwner: true,
      });
    }
  });
  return { created: true, accounts };
}
