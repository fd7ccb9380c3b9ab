import { Controller, Get, Module } from '@nestjs/common';
import { createSigner } from 'fast-jwt';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Organisation, User } from '@app/identity';
import { makeOrganisation, makeUser, randomCreditCode } from '../../libs/identity/src/testing/identity-fixtures';
import { type TestApp, startTestApp } from '../support/app';

/** A route that forgot to declare its roles: the global guard must refuse it to everyone. */
@Controller('test-undeclared')
class UndeclaredController {
  @Get()
  secret(): { leaked: true } {
    return { leaked: true };
  }
}

@Module({ controllers: [UndeclaredController] })
class UndeclaredModule {}

const CALLERS = ['admin', 'bureau', 'leader', 'countyA', 'countyB', 'expert', 'applicantA', 'applicantB'] as const;
type Caller = (typeof CALLERS)[number];
const ANONYMOUS = ['no token', 'expired token', 'disabled user'] as const;
type Anonymous = (typeof ANONYMOUS)[number];

interface Route {
  method: 'get' | 'post' | 'patch' | 'put';
  path: () => string;
  body?: () => object;
  /** Status per caller; callers missing here expect 403. */
  allowed: Partial<Record<Caller, number>>;
}

let sequence = 0;
const unique = (): number => ++sequence;

describe('access matrix (HTTP)', () => {
  let test: TestApp;
  let db: DataSource;
  const tokens = {} as Record<Caller | Anonymous, string | null>;
  let orgA: Organisation; // lucheng, applicantA's
  let orgB: Organisation; // ruian, applicantB's
  let memberA: User;

  beforeAll(async () => {
    test = await startTestApp({ extraModules: [UndeclaredModule] });
    db = test.app.get(DataSource);
    orgA = await makeOrganisation(db, { regionCode: 'lucheng', name: '鹿城甲单位' });
    orgB = await makeOrganisation(db, { regionCode: 'ruian', name: '瑞安乙单位' });
    memberA = await makeUser(db, { role: 'applicant', organisationId: orgA.id });
    const users: Record<Caller, Partial<User>> = {
      admin: { role: 'admin' },
      bureau: { role: 'bureau_officer' },
      leader: { role: 'leader' },
      countyA: { role: 'county_officer', regionCode: 'lucheng' },
      countyB: { role: 'county_officer', regionCode: 'ruian' },
      expert: { role: 'expert', expertise: ['emerg.digital'], employerName: '温州大学' },
      applicantA: { role: 'applicant', organisationId: orgA.id, isOrganisationOwner: true },
      applicantB: { role: 'applicant', organisationId: orgB.id, isOrganisationOwner: true },
    };
    for (const caller of CALLERS) {
      const user = await makeUser(db, users[caller]);
      tokens[caller] = (
        await request(test.baseUrl).post('/auth/login').send({ email: user.email, password: user.password }).expect(200)
      ).body.accessToken;
    }
    tokens['no token'] = null;
    // A correctly signed token of a live session whose 15 minutes are over.
    const expiredUser = await makeUser(db);
    const live = (
      await request(test.baseUrl).post('/auth/login').send({ email: expiredUser.email, password: expiredUser.password }).expect(200)
    ).body;
    const { sid } = JSON.parse(Buffer.from(live.accessToken.split('.')[1], 'base64url').toString());
    const sign = createSigner({
      key: test.config.jwtSecret,
      algorithm: 'HS256',
      iss: 'ouflow',
      expiresIn: 15 * 60_000,
      clockTimestamp: Date.now() - 3_600_000,
    });
    tokens['expired token'] = sign({ sub: expiredUser.id, sid, role: 'admin' });
    // A user disabled by an admin while signed in: the token stops working at once.
    const disabled = await makeUser(db, { role: 'admin' });
    tokens['disabled user'] = (
      await request(test.baseUrl).post('/auth/login').send({ email: disabled.email, password: disabled.password }).expect(200)
    ).body.accessToken;
    await request(test.baseUrl).get('/me').set('authorization', `Bearer ${tokens['disabled user']}`).expect(200);
    await request(test.baseUrl)
      .patch(`/users/${disabled.id}`)
      .set('authorization', `Bearer ${tokens.admin}`)
      .send({ disabled: true })
      .expect(200);
  });

  afterAll(async () => {
    await test?.close();
  });

  const call = (route: Route, token: string | null): request.Test => {
    let req = request(test.baseUrl)[route.method](route.path());
    if (token) req = req.set('authorization', `Bearer ${token}`);
    return route.body ? req.send(route.body()) : req;
  };

  const STAFF_READ = { admin: 200, bureau: 200, leader: 200 } as const;
  const ROUTES: Record<string, Route> = {
    'GET /me': { method: 'get', path: () => '/me', allowed: Object.fromEntries(CALLERS.map((c) => [c, 200])) },
    'GET /users': {
      method: 'get',
      path: () => '/users',
      allowed: { ...STAFF_READ, countyA: 200, countyB: 200, applicantA: 200, applicantB: 200 },
    },
    "GET /users/:id (applicant of A's org)": {
      method: 'get',
      path: () => `/users/${memberA.id}`,
      allowed: { ...STAFF_READ, countyA: 200, countyB: 404, applicantA: 200, applicantB: 404 },
    },
    'POST /users': {
      method: 'post',
      path: () => '/users',
      body: () => ({ email: `staff-${unique()}@example.cn`, name: '新员工', role: 'bureau_officer' }),
      allowed: { admin: 201 },
    },
    'PATCH /users/:id': { method: 'patch', path: () => `/users/${memberA.id}`, body: () => ({ name: '改名' }), allowed: { admin: 200 } },
    'GET /organisations': {
      method: 'get',
      path: () => '/organisations',
      allowed: { ...STAFF_READ, countyA: 200, countyB: 200, applicantA: 200, applicantB: 200 },
    },
    'GET /organisations/:id (A, lucheng)': {
      method: 'get',
      path: () => `/organisations/${orgA.id}`,
      allowed: { ...STAFF_READ, countyA: 200, countyB: 404, applicantA: 200, applicantB: 404 },
    },
    'POST /organisations': {
      method: 'post',
      path: () => '/organisations',
      body: () => ({
        creditCode: randomCreditCode(),
        name: `新单位${unique()}`,
        legalForm: 'university',
        regionCode: 'ouhai',
        industryCodes: ['emerg.life_health'],
        address: '瓯海区测试路',
        contactName: '联系人',
        contactPhone: '0577-86000000',
      }),
      allowed: { admin: 201, bureau: 201 },
    },
    'PATCH /organisations/:id (A)': {
      method: 'patch',
      path: () => `/organisations/${orgA.id}`,
      body: () => ({ contactName: `联系人${unique()}` }),
      allowed: { admin: 200, bureau: 200, applicantA: 200, applicantB: 404 },
    },
    'POST /organisations/:id/invitations (A)': {
      method: 'post',
      path: () => `/organisations/${orgA.id}/invitations`,
      body: () => ({ email: `member-${unique()}@example.cn`, name: '新成员' }),
      allowed: { applicantA: 201, applicantB: 404 },
    },
    'GET /audit': { method: 'get', path: () => '/audit', allowed: { admin: 200 } },
    'POST /auth/password/change (wrong current password)': {
      method: 'post',
      path: () => '/auth/password/change',
      body: () => ({ currentPassword: 'not-the-password', newPassword: 'Another-Password-2027' }),
      allowed: Object.fromEntries(CALLERS.map((c) => [c, 400])),
    },
    'GET /calendar/:year': { method: 'get', path: () => '/calendar/2026', allowed: Object.fromEntries(CALLERS.map((c) => [c, 200])) },
    'PUT /calendar/:year (empty body)': { method: 'put', path: () => '/calendar/2026', body: () => ({}), allowed: { admin: 400 } },
  };

  it.each(Object.keys(ROUTES))('%s answers each role with its expected status', async (name) => {
    const route = ROUTES[name];
    const mismatches: string[] = [];
    for (const caller of CALLERS) {
      const expected = route.allowed[caller] ?? 403;
      const response = await call(route, tokens[caller]);
      if (response.status !== expected)
        mismatches.push(`${caller}: expected ${expected}, got ${response.status} ${JSON.stringify(response.body).slice(0, 160)}`);
      if (response.status === 403) expect(response.body.error.code).toMatch(/^(auth\.forbidden|organisation\.)/);
    }
    for (const anonymous of ANONYMOUS) {
      const response = await call(route, tokens[anonymous]);
      if (response.status !== 401) mismatches.push(`${anonymous}: expected 401, got ${response.status}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('POST /auth/logout needs a live session', async () => {
    for (const anonymous of ANONYMOUS) {
      await call({ method: 'post', path: () => '/auth/logout', allowed: {} }, tokens[anonymous]).expect(401);
    }
  });

  it("lists only what each caller's scope allows", async () => {
    const list = async (
      caller: Caller,
      path: string,
    ): Promise<{ items: { id: string; regionCode: string; organisationId: string | null }[]; total: number }> =>
      (await request(test.baseUrl).get(path).set('authorization', `Bearer ${tokens[caller]}`).expect(200)).body;
    expect((await list('applicantA', '/organisations')).items.map((o) => o.id)).toEqual([orgA.id]);
    expect((await list('applicantB', '/organisations')).items.map((o) => o.id)).toEqual([orgB.id]);
    expect((await list('countyA', '/organisations')).items.every((o) => o.regionCode === 'lucheng')).toBe(true);
    expect((await list('countyB', '/organisations')).items.map((o) => o.id)).toEqual([orgB.id]);
    expect((await list('admin', '/organisations')).total).toBeGreaterThanOrEqual(3);

    const usersOfA = await list('applicantA', '/users?pageSize=100');
    expect(usersOfA.items.length).toBeGreaterThanOrEqual(2);
    expect(usersOfA.items.every((u) => u.organisationId === orgA.id)).toBe(true);
    const usersOfB = await list('applicantB', '/users');
    expect(usersOfB.items.every((u) => u.organisationId === orgB.id)).toBe(true);
    const countyBUsers = await list('countyB', '/users?pageSize=100');
    expect(countyBUsers.items.some((u) => u.organisationId === orgA.id)).toBe(false);
    expect(countyBUsers.items.some((u) => u.organisationId === orgB.id)).toBe(true);
  });

  it('refuses applicants changing the fields only the bureau may change', async () => {
    const response = await request(test.baseUrl)
      .patch(`/organisations/${orgA.id}`)
      .set('authorization', `Bearer ${tokens.applicantA}`)
      .send({ regionCode: 'ruian' })
      .expect(403);
    expect(response.body.error).toMatchObject({ code: 'organisation.field_not_editable', details: { fields: ['regionCode'] } });
  });

  it('paginates lists with a maximum page size of 100', async () => {
    const page = await request(test.baseUrl).get('/users?page=1&pageSize=2').set('authorization', `Bearer ${tokens.admin}`).expect(200);
    expect(page.body).toMatchObject({ page: 1, pageSize: 2, total: expect.any(Number) });
    expect(page.body.items).toHaveLength(2);
    await request(test.baseUrl).get('/users?pageSize=101').set('authorization', `Bearer ${tokens.admin}`).expect(400);
  });

  it('refuses a route without declared roles to everyone, admins included, and audits the denial', async () => {
    const denied = await request(test.baseUrl).get('/test-undeclared').set('authorization', `Bearer ${tokens.admin}`).expect(403);
    expect(denied.body.error.code).toBe('auth.forbidden');
    await request(test.baseUrl).get('/test-undeclared').expect(403);
    const [row] = await db.query(
      `SELECT actor_role, summary FROM audit_event WHERE action = 'access.denied' AND summary->>'route' = '/test-undeclared' ORDER BY id LIMIT 1`,
    );
    expect(row).toMatchObject({ actor_role: 'admin', summary: { method: 'GET', allowed: [] } });
  });

  it('keeps health, dictionaries and the API docs public', async () => {
    for (const path of ['/health', '/regions', '/industries', '/platform-types', '/docs/openapi.json']) {
      await request(test.baseUrl).get(path).expect(200);
    }
    const docs = await request(test.baseUrl).get('/docs').redirects(2);
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger');
  });
});
