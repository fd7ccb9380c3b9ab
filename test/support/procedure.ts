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

/** A pool of experts of the dossiers' field, logged in: enough for the default panel of 5 with its reserves. */
export async function makeExperts(baseUrl: string, db: DataSource, n = 7): Promise<{ id: string; token: string }[]> {
  const experts: { id: string; token: string }[] = [];
  for (let i = 0; i < n; i++) {
    const user = await makeUser(db, {
      role: 'expert',
      name: `评审专家${i}`,
      expertise: ['emerg.digital'],
      employerName: `温州理工学院${i}`,
    });
    experts.push({ id: user.id, token: await login(baseUrl, user) });
  }
  return experts;
}

/**
 * The expert review of one dossier over HTTP: the bureau draws a panel, every seated expert
 * declares no conflict and scores `value` on each criterion, the bureau closes the panel. Returns the closed panel.
 */
export async function reviewByPanel(
  baseUrl: string,
  bureauToken: string,
  experts: { id: string; token: string }[],
  applicationId: string,
  value: number,
): Promise<{ id: string; result: { score: number; passed: boolean } }> {
  const drawn = await request(baseUrl).post(`/applications/${applicationId}/panel`).auth(bureauToken, { type: 'bearer' }).send({});
  if (drawn.status !== 201) throw new Error(`draw: ${JSON.stringify(drawn.body)}`);
  const criteria: { code: string }[] = drawn.body.rubric.criteria;
  for (const seat of drawn.body.seats as { assignmentId: string; expertId: string; active: boolean }[]) {
    if (!seat.active) continue;
    const token = experts.find((e) => e.id === seat.expertId)?.token;
    if (!token) throw new Error(`no token for the seated expert ${seat.expertId}`);
    await request(baseUrl)
      .post(`/reviews/assignments/${seat.assignmentId}/declaration`)
      .auth(token, { type: 'bearer' })
      .send({ conflict: false })
      .expect(200);
    await request(baseUrl)
      .post(`/reviews/assignments/${seat.assignmentId}/score`)
      .auth(token, { type: 'bearer' })
      .send({ scores: criteria.map((c) => ({ criterion: c.code, value, comment: value < 60 ? '条件不足' : undefined })) })
      .expect(200);
  }
  const closed = await request(baseUrl)
    .post(`/applications/${applicationId}/panel/close`)
    .auth(bureauToken, { type: 'bearer' })
    .expect(200);
  return closed.body;
}

/**
 * The site inspection of one dossier over HTTP: the bureau sets a team (itself, the county officer,
 * one expert), every checklist item verified and the `result`; each member signs. Returns the signed inspection.
 */
export async function inspectSite(
  baseUrl: string,
  team: { bureau: { id: string; token: string }; county: { id: string; token: string }; expert: { id: string; token: string } },
  applicationId: string,
  result: 'passed' | 'failed' = 'passed',
): Promise<{ id: string; status: string; result: string }> {
  const path = `/applications/${applicationId}/inspection`;
  const created = await request(baseUrl)
    .post(path)
    .auth(team.bureau.token, { type: 'bearer' })
    .send({ visitDate: '2027-05-20', team: [{ userId: team.bureau.id }, { userId: team.county.id }, { userId: team.expert.id }] });
  if (created.status !== 200) throw new Error(`inspection: ${JSON.stringify(created.body)}`);
  const items = (created.body.checklist as { code: string }[]).map((i) => ({ code: i.code, status: 'verified' }));
  await request(baseUrl).post(path).auth(team.bureau.token, { type: 'bearer' }).send({ items, result }).expect(200);
  let signed = created;
  for (const member of [team.bureau, team.county, team.expert])
    signed = await request(baseUrl).post(`${path}/sign`).auth(member.token, { type: 'bearer' }).expect(200);
  return signed.body;
}

/**
 * From expert review to `approved` over HTTP, as the procedure runs it: a closed panel and its result, a signed
 * inspection and its result, the meeting's decision signed off by the leader and released with the call's batch.
 * The dossier must be applicantA's (countyA inspects).
 */
export async function reviewAndApprove(
  baseUrl: string,
  cast: Cast,
  experts: { id: string; token: string }[],
  applicationId: string,
  callId: string,
): Promise<void> {
  const bureau = (r: request.Test): request.Test => r.auth(cast.tokens.bureau, { type: 'bearer' });
  const act = async (action: string): Promise<void> => {
    const { version } = (await bureau(request(baseUrl).get(`/applications/${applicationId}`)).expect(200)).body;
    const moved = await bureau(request(baseUrl).post(`/applications/${applicationId}/actions`)).send({ action, expectedVersion: version });
    if (moved.status !== 200) throw new Error(`${action}: ${JSON.stringify(moved.body)}`);
  };
  await reviewByPanel(baseUrl, cast.tokens.bureau, experts, applicationId, 86);
  await act('record_expert_result');
  await inspectSite(
    baseUrl,
    {
      bureau: { id: cast.users.bureau.id, token: cast.tokens.bureau },
      county: { id: cast.users.countyA.id, token: cast.tokens.countyA },
      expert: experts[experts.length - 1],
    },
    applicationId,
  );
  await act('record_inspection');
  await bureau(request(baseUrl).post(`/applications/${applicationId}/decision`))
    .send({ outcome: 'approve', meeting: { kind: 'director_office_meeting', date: '2027-06-10', reference: '局长办公会纪要〔2027〕5号' } })
    .expect(201);
  await request(baseUrl).post(`/applications/${applicationId}/decision/sign-off`).auth(cast.tokens.leader, { type: 'bearer' }).expect(200);
  await bureau(request(baseUrl).post(`/calls/${callId}/releases`)).expect(201);
}

/**
 * applicantA's incubator dossier (field `emerg.digital`) drafted, pledged, with its business licence, submitted; returns its id and
 * version. `form` overrides fields of INCUBATOR_FORM (a national call's thresholds are higher).
 */
export async function submittedDossier(
  baseUrl: string,
  cast: Cast,
  callId: string,
  name: string,
  form: Record<string, unknown> = {},
): Promise<{ id: string; version: number }> {
  const applicant = (r: request.Test): request.Test => r.auth(cast.tokens.applicantA, { type: 'bearer' });
  const created = await applicant(request(baseUrl).post('/applications'))
    .send({ callId, name, subtype: 'comprehensive', industries: ['emerg.digital'], form: { ...INCUBATOR_FORM, ...form } })
    .expect(201);
  const id: string = created.body.id;
  const signed = await applicant(request(baseUrl).patch(`/applications/${id}`))
    .send({ expectedVersion: created.body.version, pledgeSigned: true })
    .expect(200);
  await applicant(request(baseUrl).post(`/applications/${id}/attachments`))
    .field('documentCode', 'business_licence')
    .attach('file', PDF_BYTES, { filename: '营业执照.pdf', contentType: 'application/pdf' })
    .expect(201);
  const submitted = await applicant(request(baseUrl).post(`/applications/${id}/submit`))
    .send({ expectedVersion: signed.body.version })
    .expect(200);
  return { id, version: submitted.body.version };
}
