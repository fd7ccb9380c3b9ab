import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { clientNetwork } from '@app/identity';

/**
 * Rate limits on the mail-sending and password-guessing routes, per client IP and (when the body
 * names one) per email, counted in the store all replicas share. The client IP is the socket's
 * unless TRUST_PROXY names the proxy in front. The sign-in limits per email and per IP across
 * emails are the LoginThrottle's (libs/identity).
 */
@Injectable()
export class AuthThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const body = request.body as { email?: unknown } | undefined;
    const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
    return `${typeof request.ip === 'string' ? clientNetwork(request.ip) : ''}|${email}`;
  }
}
