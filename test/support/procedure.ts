import request from 'supertest';
import type { DataSource } from 'typeorm';
import type { Organisation, User } from '@app/identity';
import { samplePdf } from '../../libs/applications/src/attachments/testing/sample-files';
import { makeOrganisation, makeUser } from '../../libs/identity/src/testing/identity-fixtures';

/** The people of one procedure: applicants of two organisations, officers of two counties, the bureau. */
export interface Cast {
  tokens: Record<'applicantA' | 'applicantB' | 'countyA' | 'countyB' | 'bureau' | 'leader' | 'expert', string>;
  users: Record<'applicantA' | 'applicantB' | 'countyA' | 'countyB' | 'bureau' | 'leader' | 'expert', User & { password: string }>;
  orgA: Organisation;
  orgB: Organisation;
}

export async function login(baseUrl: string, user: { email: string; password: string }): Promise<string> {
  return (await request(baseUrl).post('/auth/login').send({ email: user.email, password: user.password }).expect(200)).body.accessToken;
}

export async function makeCast(baseUrl: string, db: DataSource): Promise<Cast> {
  const orgA = await makeOrganisation(db, { regionCode: 'lucheng', name: '鹿城甲孵化器有限公司', industryCodes: ['emerg.digital'] });
  const orgB = await makeOrganisation(db, { regionCode: 'ruian', name: '瑞安乙科技有限公司' });
  const users = {
    applicantA: await makeUser(db, {
      role: 'applicant',
      organisationId: orgA.id,
      isOrganisationOwner: true,
      email: `a.${orgA.id.slice(0, 8)}@example.cn`,
    }),
    applicantB: await makeUser(db, { role: 'applicant', organisationId: orgB.id, isOrganisationOwner: true }),
    countyA: await makeUser(db, { role: 'county_officer', regionCode: 'lucheng', email: `lucheng.${orgA.id.slice(0, 8)}@example.cn` }),
    countyB: await makeUser(db, { role: 'county_officer', regionCode: 'ruian' }),
    bureau: await makeUser(db, { role: 'bureau_officer', email: `bureau.${orgA.id.slice(0, 8)}@example.cn` }),
    leader: await makeUser(db, { role: 'leader' }),
    expert: await makeUser(db, { role: 'expert', expertise: ['emerg.digital'] }),
  };
  const tokens = {} as Cast['tokens'];
  for (const [name, user] of Object.entries(users)) tokens[name as keyof Cast['tokens']] = await login(baseUrl, user);
  return { tokens, users, orgA, orgB };
}

/** A minimal but real one-page PDF (uploads are parsed, not just recognised by their first bytes). */
export const PDF_BYTES = samplePdf();

export const INCUBATOR_FORM = {
  independentLegalPerson: true,
  operatingSince: '2022-01-01',
  siteOwned: false,
  leaseYears: 8,
  areaM2: 8000,
  incubatedAreaM2: 6000,
  incubatedFirms: 45,
  professionalOperator: true,
};

/** Opens an incubator call whose window includes now; returns its id. */
export async function openCall(baseUrl: string, bureauToken: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const created = await request(baseUrl)
    .post('/calls')
    .auth(bureauToken, { type: 'bearer' })
    .send({
      platformType: 'incubator',
      level: 'municipal',
      year: 2027,
      title: '2027年度温州市科技企业孵化器认定',
      opensAt: new Date(Date.now() - 86_400_000).toISOString(),
      closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      requiredDocuments: [{ code: 'business_licence', nameZh: '营业执照', nameEn: 'Business licence', required: true }],
      ...overrides,
    })
    .expect(201);
  await request(baseUrl).patch(`/calls/${created.body.id}`).auth(bureauToken, { type: 'bearer' }).send({ status: 'open' }).expect(200);
  return created.body.id;
}
