import { assertPasswordAcceptable, hashPassword, newOpaqueToken, sha256, verifyPassword } from './secrets';

describe('secrets', () => {
  it('hashes passwords with argon2id and verifies them', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    await expect(verifyPassword(hash, 'correct horse battery')).resolves.toBe(true);
    await expect(verifyPassword(hash, 'correct horse batterY')).resolves.toBe(false);
    await expect(verifyPassword('not-a-hash', 'x')).resolves.toBe(false);
  });

  it('makes random tokens whose stored form is their SHA-256', () => {
    const a = newOpaqueToken();
    const b = newOpaqueToken();
    expect(a.token).not.toBe(b.token);
    expect(a.hash).toBe(sha256(a.token));
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it.each([
    ['short-pass', 'auth.weak_password'],
    ['aaaaaaaaaaaaaaaa', 'auth.weak_password'],
    ['zhangsan-2027-pass', 'auth.weak_password'],
    ['x'.repeat(129), 'auth.weak_password'],
  ])('refuses the weak password %s', (password, code) => {
    expect(() => assertPasswordAcceptable(password, 'zhangsan@example.cn')).toThrow(expect.objectContaining({ code }));
  });

  it('accepts a long passphrase', () => {
    expect(() => assertPasswordAcceptable('Ouflow-Demo-2027!', 'zhangsan@example.cn')).not.toThrow();
  });
});
