import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { DomainError } from '@app/common';

/** A random token for a link or a refresh token: 256 bits, URL-safe. Only its SHA-256 is stored. */
export function newOpaqueToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: sha256(token) };
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/** Length is what matters (NIST 800-63B); a few obviously weak shapes are refused too. */
export function assertPasswordAcceptable(password: string, email: string): void {
  const weak = (reason: string): DomainError =>
    new DomainError('validation', 'auth.weak_password', `密码强度不足：${reason}`, { minLength: PASSWORD_MIN_LENGTH });
  if (password.length < PASSWORD_MIN_LENGTH)
    throw weak(`至少${PASSWORD_MIN_LENGTH}个字符。The password needs at least ${PASSWORD_MIN_LENGTH} characters.`);
  if (password.length > PASSWORD_MAX_LENGTH)
    throw weak(`最多${PASSWORD_MAX_LENGTH}个字符。The password may have at most ${PASSWORD_MAX_LENGTH} characters.`);
  if (new Set(password).size < 4) throw weak('不能由少数几个字符重复组成。The password repeats too few characters.');
  const local = email.split('@')[0]?.toLowerCase() ?? '';
  if (local.length >= 4 && password.toLowerCase().includes(local))
    throw weak('不能包含邮箱用户名。The password must not contain your email name.');
}

/** argon2id (the library's default algorithm) with OWASP's minimum: 19 MiB, 2 passes, 1 lane. */
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Verified against when the email is unknown, so that a miss costs as much time as a wrong password. */
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('ouflow-timing-equaliser');
  await verifyPassword(await dummyHash, password);
}
