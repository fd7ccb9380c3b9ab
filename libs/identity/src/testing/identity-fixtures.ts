import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { completeCreditCode, CREDIT_CODE_CHARSET } from '../credit-code';
import { Organisation } from '../organisation.entity';
import { hashPassword } from '../secrets';
import { User } from '../user.entity';

/** Test factories (not exported from the lib): rows with sensible defaults and overrides. */
export const TEST_PASSWORD = 'Test-Password-2027!';

const hashes = new Map<string, Promise<string>>();
function cachedHash(password: string): Promise<string> {
  let hash = hashes.get(password);
  if (!hash) {
    hash = hashPassword(password);
    hashes.set(password, hash);
  }
  return hash;
}

export function randomCreditCode(division = '330302'): string {
  const body = Array.from(randomBytes(9), (b) => CREDIT_CODE_CHARSET[b % CREDIT_CODE_CHARSET.length]).join('');
  return completeCreditCode(`91${division}${body}`);
}

export async function makeOrganisation(dataSource: DataSource, overrides: Partial<Organisation> = {}): Promise<Organisation> {
  const organisation = dataSource.getRepository(Organisation).create({
    id: randomUUID(),
    creditCode: randomCreditCode(),
    name: `测试单位${randomBytes(3).toString('hex')}`,
    legalForm: 'enterprise',
    regionCode: 'lucheng',
    industryCodes: ['trad.electrical'],
    address: '温州市测试路1号',
    contactName: '联系人',
    contactPhone: '0577-88000000',
    contactEmail: null,
    ...overrides,
  });
  await dataSource.getRepository(Organisation).insert(organisation);
  return organisation;
}

export async function makeUser(
  dataSource: DataSource,
  overrides: Partial<User> & { password?: string } = {},
): Promise<User & { password: string }> {
  const { password = TEST_PASSWORD, ...fields } = overrides;
  const user = dataSource.getRepository(User).create({
    id: randomUUID(),
    email: `u-${randomBytes(5).toString('hex')}@test.ouflow.cn`,
    name: '测试用户',
    role: 'bureau_officer',
    locale: 'zh-CN',
    passwordHash: await cachedHash(password),
    emailVerifiedAt: new Date(),
    ...fields,
  });
  await dataSource.getRepository(User).insert(user);
  return Object.assign(user, { password });
}
