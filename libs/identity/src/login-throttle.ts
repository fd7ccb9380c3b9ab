import { isIP } from 'node:net';
import { Injectable } from '@nestjs/common';
import { IdentityErrors } from './identity.errors';
import { RateLimitStore } from './rate-limit-store';

/**
 * The sign-in limits (ASVS 5.0 V6.3.1, level 2), shared by every replica:
 * - per email, known or not: the first FREE_FAILURES consecutive wrong passwords cost nothing;
 *   after each further one the address waits FIRST_DELAY_MS, doubling up to MAX_DELAY_MS. A right
 *   password after the wait signs in, so nobody can lock an account out; failures are forgotten
 *   FAILURE_MEMORY_MS after the first one or at the next successful sign-in.
 * - per client IP, across all emails (password spraying): IP_MAX_FAILURES failed sign-ins in
 *   IP_WINDOW_MS, then 429 until the window ends.
 */
export const LOGIN_LIMITS = {
  FREE_FAILURES: 5,
  FIRST_DELAY_MS: 1_000,
  MAX_DELAY_MS: 15 * 60_000,
  FAILURE_MEMORY_MS: 24 * 3_600_000,
  IP_MAX_FAILURES: 10,
  IP_WINDOW_MS: 15 * 60_000,
} as const;

/** The wait after the n-th consecutive failure (0 while n is within the free failures). */
export function delayAfterFailures(failures: number): number {
  if (failures < LOGIN_LIMITS.FREE_FAILURES) return 0;
  const doublings = Math.min(failures - LOGIN_LIMITS.FREE_FAILURES, 30);
  return Math.min(LOGIN_LIMITS.FIRST_DELAY_MS * 2 ** doublings, LOGIN_LIMITS.MAX_DELAY_MS);
}

const emailKey = (email: string): string => `login:email:${email}`;
const ipKey = (ip: string): string => `login:ip:${clientNetwork(ip)}`;

@Injectable()
export class LoginThrottle {
  constructor(private readonly store: RateLimitStore) {}

  /**
   * Throws 429 `auth.too_many_attempts` while the IP or the email must wait. The answer is the
   * same for known and unknown emails: the counters are kept per address, not per account.
   */
  async assertMayTry(email: string, ip: string | null): Promise<void> {
    const [ipWait, emailWait] = await Promise.all([ip ? this.store.blockedFor(ipKey(ip)) : 0, this.store.blockedFor(emailKey(email))]);
    const wait = Math.max(ipWait, emailWait);
    if (wait > 0) throw IdentityErrors.tooManyAttempts(Math.ceil(wait / 1000));
  }

  /** Counts a failed sign-in against the email and the IP, and sets their waits. */
  async failed(email: string, ip: string | null): Promise<void> {
    const byEmail = await this.store.hit(emailKey(email), LOGIN_LIMITS.FAILURE_MEMORY_MS);
    const delay = delayAfterFailures(byEmail.hits);
    if (delay > 0) await this.store.block(emailKey(email), delay);
    if (!ip) return;
    const byIp = await this.store.hit(ipKey(ip), LOGIN_LIMITS.IP_WINDOW_MS);
    if (byIp.hits >= LOGIN_LIMITS.IP_MAX_FAILURES) await this.store.block(ipKey(ip), byIp.resetsInMs);
  }

  /** A successful sign-in clears the email's consecutive failures (not the IP's). */
  async succeeded(email: string): Promise<void> {
    await this.store.reset(emailKey(email));
  }
}

/**
 * The unit a client limit counts: an IPv4 address, or an IPv6 /64 (one subscriber's network,
 * whose 2^64 addresses would otherwise each get a fresh allowance). IPv4-mapped IPv6 counts as IPv4.
 */
export function clientNetwork(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIP(ip) !== 6) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') && tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
