import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';

/**
 * Rate limits on the mail-sending and password-guessing routes, per client IP and (when the body
 * names one) per email. In memory, so per API replica: the database lockout (5 wrong passwords
 * lock the account for 15 minutes) is the limit that holds across replicas.
 */
@Injectable()
export class AuthThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const body = request.body as { email?: unknown } | undefined;
    const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
    return `${String(request.ip)}|${email}`;
  }
}
