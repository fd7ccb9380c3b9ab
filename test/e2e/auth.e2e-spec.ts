import { DataSource } from 'typeorm';
import request from 'supertest';
import { completeCreditCode } from '@app/identity';
import { makeOrganisation, makeUser, randomCreditCode, TEST_PASSWORD } from '../../libs/identity/src/testing/identity-fixtures';
import { type TestApp, startTestApp } from '../support/app';
import { waitFor } from '../support/wait';

interface Mail {
  recipient_email: string;
  event: string;
  data: Record<string, unknown>;
  secret_keys: string[];
  locale: string;
}

function registration(overrides: { organisation?: Record<string, unknown>; user?: Record<string, unknown> } = {}): Record<string, unknown> {
  return {
    organisation: {
      creditCode: randomCreditCode('330382'),
      name: '乐清测试电气有限公司',
      legalForm: 'enterprise',
      regionCode: 'yueqing',
      industryCodes: ['trad.electrical'],
      address: '浙江省乐清市测试路8号',
      contactName: '张三',
      contactPhone: '0577-61234567',
      ...overrides.organisation,
    },
    user: {
      email: `reg-${Math.random().toString(36).slice(2, 10)}@example.cn`,
      name: '张三',
      password: 'Strong-Passphrase-2027',
      ...overrides.user,
    },
  };
}

describe('auth (HTTP)', () => {
  let test: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    test = await startTestApp({
      // Each test signs in from an address of its own (X-Forwarded-For from the loopback proxy):
      // failed sign-ins count per IP across accounts, and one test's failures must not limit the next.
      env: {
        BODY_LIMIT_BYTES: '16384',
        ADMIN_EMAIL: 'first.admin@ouflow.cn',
        ADMIN_PASSWORD: 'First-Admin-Pass-2027',
        TRUST_PROXY: 'loopback',
      },
    });
    db = test.app.get(DataSource);
  });

  afterAll(async () => {
    await test?.close();
  });

  let clientIp = '';
  let ipCounter = 0;
  beforeEach(() => {
    ipCounter += 1;
    clientIp = `198.51.100.${ipCounter}`;
  });

  const http = (): ReturnType<typeof request> => request(test.baseUrl);
  const mailsTo = async (email: string): Promise<Mail[]> =>
    db.query(
      `SELECT recipient_email, event, data, secret_keys, locale FROM notification_delivery WHERE recipient_email = $1 ORDER BY created_at`,
      [email],
    );
  const counts = async (): Promise<{ organisations: number; users: number; mails: number }> => {
    const [row] = await db.query(
      `SELECT (SELECT count(*) FROM organisation)::int AS organisations, (SELECT count(*) FROM app_user)::int AS users, (SELECT count(*) FROM notification_delivery)::int AS mails`,
    );
    return row;
  };
  const login = (email: string, password: string): request.Test =>
    request(test.baseUrl).post('/auth/login').set('x-forwarded-for', clientIp).send({ email, password });

  it('creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD at start-up', async () => {
    const response = await login('first.admin@ouflow.cn', 'First-Admin-Pass-2027').expect(200);
    expect(response.body.user).toMatchObject({ role: 'admin', email: 'first.admin@ouflow.cn' });
  });

  it('registers an organisation and its first user, emails a verification token, and signs in only after verification', async () => {
    const body = registration({ user: { locale: 'en' } });
    const user = body.user as { email: string; password: string };
    const created = await http().post('/auth/register').send(body).expect(201);
    expect(created.body).toEqual({ organisationId: expect.any(String), userId: expect.any(String), emailVerificationRequired: true });

    const [mail] = await mailsTo(user.email);
    expect(mail).toMatchObject({ event: 'account.verify_email', locale: 'en', secret_keys: ['token'] });
    const token = mail.data.token as string;
    const [stored] = await db.query(`SELECT token_hash FROM account_token WHERE user_id = $1`, [created.body.userId]);
    expect(stored.token_hash).not.toBe(token);

    const early = await login(user.email, user.password).expect(403);
    expect(early.body.error.code).toBe('auth.email_not_verified');

    await http().post('/auth/verify-email').send({ token }).expect(200, { verified: true });
    const reused = await http().post('/auth/verify-email').send({ token }).expect(400);
    expect(reused.body.error.code).toBe('auth.invalid_token');

    const signedIn = await login(user.email, user.password).expect(200);
    expect(signedIn.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 900,
      user: { role: 'applicant', organisationId: created.body.organisationId, isOrganisationOwner: true },
    });
    const me = await http().get('/me').set('authorization', `Bearer ${signedIn.body.accessToken}`).expect(200);
    expect(me.body).toMatchObject({ email: user.email, role: 'applicant', locale: 'en' });
  });

  it.each([
    ['too short', '9133038212345678', 'length'],
    ['a forbidden letter', '91330382MA2HOOOO1X', 'charset'],
    ['an unknown registration authority', completeCreditCode('B1330382MA2H00001'), 'registration_authority'],
    ['a wrong check digit', '91350100M000100Y44', 'check_digit'],
  ])('refuses a credit code with %s, saying which check failed, and stores nothing', async (_label, creditCode, check) => {
    const before = await counts();
    const response = await http()
      .post('/auth/register')
      .send(registration({ organisation: { creditCode } }))
      .expect(400);
    expect(response.body.error).toMatchObject({ code: 'organisation.invalid_credit_code', details: { field: 'creditCode', check } });
    expect(response.body.error.message).toMatch(/统一社会信用代码/);
    expect(await counts()).toEqual(before);
  });

  it('refuses a duplicate organisation, a duplicate email, a weak password, unknown fields, unknown regions and oversized bodies; nothing stored', async () => {
    const first = registration();
    await http().post('/auth/register').send(first).expect(201);
    const before = await counts();

    const duplicateOrg = await http()
      .post('/auth/register')
      .send(registration({ organisation: { creditCode: (first.organisation as { creditCode: string }).creditCode } }))
      .expect(409);
    expect(duplicateOrg.body.error.code).toBe('organisation.duplicate_credit_code');

    const duplicateEmail = await http()
      .post('/auth/register')
      .send(registration({ user: { email: (first.user as { email: string }).email } }))
      .expect(409);
    expect(duplicateEmail.body.error.code).toBe('user.duplicate_email');

    const weak = await http()
      .post('/auth/register')
      .send(registration({ user: { password: 'short1!' } }))
      .expect(400);
    expect(weak.body.error).toMatchObject({ code: 'auth.weak_password', details: { minLength: 12 } });
    for (const password of ['123456789012', 'password1234']) {
      const guessable = await http()
        .post('/auth/register')
        .send(registration({ user: { password } }))
        .expect(400);
      expect(guessable.body.error).toMatchObject({ code: 'auth.weak_password', details: { check: 'strength', minScore: 3 } });
      expect(guessable.body.error.message).toMatch(/^密码强度不足：容易被猜到。The password is easy to guess\./);
    }
    const personal = await http()
      .post('/auth/register')
      .send(registration({ organisation: { name: 'Lucheng Photonics 有限公司' }, user: { password: 'lucheng photonics 有限公司 2027' } }))
      .expect(400);
    expect(personal.body.error).toMatchObject({ code: 'auth.weak_password', details: { check: 'personal' } });

    const unknownField = await http()
      .post('/auth/register')
      .send({ ...registration(), role: 'admin' })
      .expect(400);
    expect(unknownField.body.error).toMatchObject({ code: 'request.validation_failed', details: { fields: [{ field: 'role' }] } });
    const nestedUnknown = await http()
      .post('/auth/register')
      .send(registration({ user: { role: 'admin' } }))
      .expect(400);
    expect(nestedUnknown.body.error.details.fields).toEqual([expect.objectContaining({ field: 'user.role' })]);

    const region = await http()
      .post('/auth/register')
      .send(registration({ organisation: { regionCode: 'shanghai' } }))
      .expect(400);
    expect(region.body.error.code).toBe('reference.unknown_region');
    const industry = await http()
      .post('/auth/register')
      .send(registration({ organisation: { industryCodes: ['trad.steel'] } }))
      .expect(400);
    expect(industry.body.error.code).toBe('reference.unknown_industry');

    const missing = await http().post('/auth/register').send({ organisation: {} }).expect(400);
    expect(missing.body.error.code).toBe('request.validation_failed');

    const huge = await http()
      .post('/auth/register')
      .send(registration({ organisation: { address: 'x'.repeat(20_000) } }))
      .expect(413);
    expect(huge.body.error.code).toBe('request.too_large');

    expect(await counts()).toEqual(before);
  });

  it('refuses bad login input with 400, unknown emails and wrong passwords with the same 401', async () => {
    const user = await makeUser(db);
    const before = await db.query(`SELECT count(*)::int AS n FROM auth_session`);
    const unknownField = await http().post('/auth/login').send({ email: user.email, password: user.password, remember: true }).expect(400);
    expect(unknownField.body.error.details.fields).toEqual([expect.objectContaining({ field: 'remember' })]);
    await http().post('/auth/login').send({ email: user.email }).expect(400);
    await http()
      .post('/auth/login')
      .send({ email: user.email, password: 'x'.repeat(20_000) })
      .expect(413);
    const unknown = await login('nobody@example.cn', TEST_PASSWORD).expect(401);
    const wrong = await login(user.email, 'Wrong-Password-2027').expect(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body.error.code).toBe('auth.invalid_credentials');
    expect(await db.query(`SELECT count(*)::int AS n FROM auth_session`)).toEqual(before);
  });

  it('slows an address down after 5 wrong passwords, doubling the wait, without locking it; unknown addresses alike', async () => {
    const user = await makeUser(db);
    const unknown = 'nobody-slowed@example.cn';
    // The wait is the address's, whichever client asks: each phase comes from another IP.
    const from = (ip: string, email: string, password: string): request.Test => {
      clientIp = ip;
      return login(email, password);
    };
    // Each wait is checked right after the failure that set it: the first one lasts only a second.
    for (let i = 0; i < 5; i++) await from('198.51.100.201', user.email, `Wrong-Password-${i}-2027`).expect(401);
    const slowed = await from('198.51.100.201', user.email, user.password).expect(429);
    for (let i = 0; i < 5; i++) await from('198.51.100.202', unknown, `Wrong-Password-${i}-2027`).expect(401);
    const slowedUnknown = await from('198.51.100.202', unknown, user.password).expect(429);
    // Known and unknown addresses answer alike: same status, code, message and wait.
    expect(slowed.body.error).toMatchObject({ code: 'auth.too_many_attempts', details: { retryAfterSeconds: 1 } });
    expect(slowedUnknown.body).toEqual(slowed.body);
    expect(slowed.headers['retry-after']).toBe('1');
    expect(slowedUnknown.headers['retry-after']).toBe('1');

    // After the wait, one more wrong password doubles it.
    await waitFor(async () => (await from('198.51.100.203', user.email, 'Wrong-Password-6-2027')).status === 401, {
      timeoutMs: 5_000,
      intervalMs: 300,
      what: 'the first wait to end',
    });
    const doubled = await from('198.51.100.203', user.email, user.password).expect(429);
    expect(doubled.headers['retry-after']).toBe('2');

    // The right password after the wait signs in: nobody can lock the owner out.
    await waitFor(async () => (await from('198.51.100.204', user.email, user.password)).status === 200, {
      timeoutMs: 6_000,
      intervalMs: 300,
      what: 'the doubled wait to end',
    });
    // Success clears the address's failures: the next wrong password is a plain 401 again.
    await from('198.51.100.204', user.email, 'Wrong-Password-7-2027').expect(401);
    const [row] = await db.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'auth.login_failed' AND object_id = $1 AND summary->>'reason' = 'throttled'`,
      [user.id],
    );
    expect(row.n).toBeGreaterThanOrEqual(2);
  });

  it('limits failed sign-ins from one IP across accounts (password spraying) with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await login(`sprayed-${i}@example.cn`, 'Spring-Password-2027!')).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    const limited = await login('sprayed-last@example.cn', 'Spring-Password-2027!').expect(429);
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect(limited.body.error.code).toBe('auth.too_many_attempts');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(800);
    // Another client is not affected, and the limited IP cannot sign in with a right password either until the window ends.
    const user = await makeUser(db);
    await login(user.email, user.password).expect(429);
    clientIp = '203.0.113.77';
    await login(user.email, user.password).expect(200);
  });

  it('rate-limits login requests per client and email, whatever they hold', async () => {
    // Bodies without a password: refused (400) before any password check, so only the throttler counts them.
    const email = 'nobody-ratelimit@example.cn';
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await http().post('/auth/login').set('x-forwarded-for', clientIp).send({ email })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400));
    expect(statuses.slice(10)).toEqual([429, 429]);
    const limited = await http().post('/auth/login').set('x-forwarded-for', clientIp).send({ email }).expect(429);
    expect(limited.body.error.code).toBe('request.rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('rotates refresh tokens; reusing a spent one revokes the whole session', async () => {
    const user = await makeUser(db);
    const first = (await login(user.email, user.password).expect(200)).body;
    const second = (await http().post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)).body;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    await http().get('/me').set('authorization', `Bearer ${second.accessToken}`).expect(200);

    const reuse = await http().post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
    expect(reuse.body.error.code).toBe('auth.invalid_refresh_token');
    // The family is revoked: the newest refresh token and the access token die too.
    await http().post('/auth/refresh').send({ refreshToken: second.refreshToken }).expect(401);
    const dead = await http().get('/me').set('authorization', `Bearer ${second.accessToken}`).expect(401);
    expect(dead.body.error.code).toBe('auth.session_ended');
    const [stored] = await db.query(`SELECT count(*)::int AS n FROM refresh_token WHERE token_hash = $1`, [first.refreshToken]);
    expect(stored.n).toBe(0);
  });

  it('ends the session on logout', async () => {
    const user = await makeUser(db);
    const tokens = (await login(user.email, user.password).expect(200)).body;
    await http().post('/auth/logout').set('authorization', `Bearer ${tokens.accessToken}`).expect(204);
    await http().get('/me').set('authorization', `Bearer ${tokens.accessToken}`).expect(401);
    await http().post('/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(401);
  });

  it('changes the password, ending the other sessions but not the current one', async () => {
    const user = await makeUser(db);
    const current = (await login(user.email, user.password).expect(200)).body;
    const other = (await login(user.email, user.password).expect(200)).body;
    const auth = `Bearer ${current.accessToken}`;
    const wrong = await http()
      .post('/auth/password/change')
      .set('authorization', auth)
      .send({ currentPassword: 'nope-nope-nope', newPassword: 'New-Password-2027!' })
      .expect(400);
    expect(wrong.body.error.code).toBe('auth.wrong_password');
    await http()
      .post('/auth/password/change')
      .set('authorization', auth)
      .send({ currentPassword: user.password, newPassword: 'short' })
      .expect(400);
    await http()
      .post('/auth/password/change')
      .set('authorization', auth)
      .send({ currentPassword: user.password, newPassword: 'New-Password-2027!' })
      .expect(204);
    await http().get('/me').set('authorization', auth).expect(200);
    await http().get('/me').set('authorization', `Bearer ${other.accessToken}`).expect(401);
    await login(user.email, user.password).expect(401);
    await login(user.email, 'New-Password-2027!').expect(200);
  });

  it('resets a forgotten password by email, once; unknown addresses get the same answer and no mail', async () => {
    const user = await makeUser(db);
    const session = (await login(user.email, user.password).expect(200)).body;
    await http().post('/auth/password/forgot').send({ email: 'nobody@example.cn' }).expect(202, { accepted: true });
    expect(await mailsTo('nobody@example.cn')).toEqual([]);
    await http().post('/auth/password/forgot').send({ email: user.email.toUpperCase() }).expect(202, { accepted: true });
    const [mail] = await mailsTo(user.email);
    expect(mail).toMatchObject({ event: 'account.password_reset', secret_keys: ['token'] });
    const token = mail.data.token as string;
    await http().post('/auth/password/reset').send({ token, password: 'weak' }).expect(400);
    const guessable = await http().post('/auth/password/reset').send({ token, password: 'password1234' }).expect(400);
    expect(guessable.body.error.details.check).toBe('strength');
    await http().post('/auth/password/reset').send({ token, password: 'Reset-Password-2027!' }).expect(204);
    const again = await http().post('/auth/password/reset').send({ token, password: 'Other-Password-2027!' }).expect(400);
    expect(again.body.error.code).toBe('auth.invalid_token');
    await http().get('/me').set('authorization', `Bearer ${session.accessToken}`).expect(401);
    await login(user.email, 'Reset-Password-2027!').expect(200);
  });

  it('lets an admin create a staff account that receives a set-password email', async () => {
    const admin = await makeUser(db, { role: 'admin' });
    const auth = `Bearer ${(await login(admin.email, admin.password).expect(200)).body.accessToken}`;
    const bad = await http()
      .post('/users')
      .set('authorization', auth)
      .send({ email: 'officer@example.cn', name: '李四', role: 'county_officer' })
      .expect(400);
    expect(bad.body.error.code).toBe('user.invalid_scope');
    const mixed = await http()
      .post('/users')
      .set('authorization', auth)
      .send({ email: 'officer@example.cn', name: '李四', role: 'county_officer', regionCode: 'ruian', expertise: ['trad.electrical'] })
      .expect(400);
    expect(mixed.body.error.details.fields).toEqual(['expertise']);
    const created = await http()
      .post('/users')
      .set('authorization', auth)
      .send({ email: 'Officer@Example.cn', name: '李四', role: 'county_officer', regionCode: 'ruian' })
      .expect(201);
    expect(created.body).toMatchObject({ email: 'officer@example.cn', role: 'county_officer', regionCode: 'ruian', emailVerified: false });
    await login('officer@example.cn', 'anything-at-all-1').expect(401);
    const [mail] = await mailsTo('officer@example.cn');
    expect(mail).toMatchObject({ event: 'account.set_password', secret_keys: ['token'] });
    await http().post('/auth/password/reset').send({ token: mail.data.token, password: 'County-Staff-Pass-2027' }).expect(204);
    const me = (await login('officer@example.cn', 'County-Staff-Pass-2027').expect(200)).body.user;
    expect(me).toMatchObject({ role: 'county_officer', regionCode: 'ruian' });

    const expert = await http()
      .post('/users')
      .set('authorization', auth)
      .send({
        email: 'expert@example.cn',
        name: '专家',
        role: 'expert',
        expertise: ['emerg.digital'],
        employerName: '温州大学',
        employerCreditCode: '91350100M000100Y43',
      })
      .expect(201);
    expect(expert.body).toMatchObject({ expertise: ['emerg.digital'], employerCreditCode: '91350100M000100Y43' });
  });

  it("lets an organisation's first user invite members; other members may not invite", async () => {
    const organisation = await makeOrganisation(db);
    const owner = await makeUser(db, { role: 'applicant', organisationId: organisation.id, isOrganisationOwner: true });
    const member = await makeUser(db, { role: 'applicant', organisationId: organisation.id });
    const ownerAuth = `Bearer ${(await login(owner.email, owner.password).expect(200)).body.accessToken}`;
    const memberAuth = `Bearer ${(await login(member.email, member.password).expect(200)).body.accessToken}`;
    const denied = await http()
      .post(`/organisations/${organisation.id}/invitations`)
      .set('authorization', memberAuth)
      .send({ email: 'x@example.cn', name: '某人' })
      .expect(403);
    expect(denied.body.error.code).toBe('organisation.not_owner');
    const invited = await http()
      .post(`/organisations/${organisation.id}/invitations`)
      .set('authorization', ownerAuth)
      .send({ email: 'colleague@example.cn', name: '王五' })
      .expect(201);
    expect(invited.body).toMatchObject({ role: 'applicant', organisationId: organisation.id, isOrganisationOwner: false });
    const [mail] = await mailsTo('colleague@example.cn');
    expect(mail).toMatchObject({ event: 'account.member_invitation', data: { organisationName: organisation.name } });
    const named = await http()
      .post('/auth/password/reset')
      .send({ token: mail.data.token, password: `${organisation.name}-Joins-2027` })
      .expect(400);
    expect(named.body.error.details.check).toBe('personal');
    await http().post('/auth/password/reset').send({ token: mail.data.token, password: 'Member-Joins-Pass-2027' }).expect(204);
    await login('colleague@example.cn', 'Member-Joins-Pass-2027').expect(200);
  });
});
