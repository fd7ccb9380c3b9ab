import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { clientNetwork } from '@app/identity';

/** Objections are counted per client network (the IP, or its /64 for IPv6) in the store all replicas share. */
@Injectable()
export class ObjectionThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    return `objection|${typeof request.ip === 'string' ? clientNetwork(request.ip) : ''}`;
  }
}
