import { assertPasswordAcceptable } from './password-policy';
import { hashPassword, newOpaqueToken, sha256, verifyPassword } from './secrets';

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

  const context = { email: 'zhangsan@example.cn', name: 'Zhang Wei', organisationName: 'Acme Optics' };

  it.each([
    ['short-pass', undefined],
    ['aaaaaaaaaaaaaaaa', 'strength'],
    ['123456789012', 'strength'],
    ['password1234', 'strength'],
    ['qwertyuiop12', 'strength'],
    ['zhangsan-2027-pass', 'personal'],
    ['my-zhang wei-horse-battery', 'personal'],
    ['Acme Optics rocks 2027!', 'personal'],
    ['x'.repeat(129), undefined],
  ])('refuses the weak password %s', (password, check) => {
    expect(() => assertPasswordAcceptable(password, context)).toThrow(
      expect.objectContaining({ code: 'auth.weak_password', details: expect.objectContaining(check ? { check } : {}) }),
    );
  });

  it('says why in Chinese first, then English', () => {
    expect(() => assertPasswordAcceptable('password1234', context)).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/^密码强度不足：容易被猜到。The password is easy to guess\. 与常见密码过于相似。/),
        details: expect.objectContaining({
          score: expect.any(Number),
          minScore: 3,
          feedback: expect.arrayContaining([expect.stringMatching(/^[^A-Za-z]+。/)]),
        }),
      }),
    );
  });

  it.each(['Ouflow-Demo-2027!', 'correct-horse-battery-staple', 'Strong-Passphrase-2027'])('accepts the passphrase %s', (password) => {
    expect(() => assertPasswordAcceptable(password, context)).not.toThrow();
  });
});
