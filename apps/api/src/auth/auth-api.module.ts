import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AccessGuard, IdentityModule, RateLimitStore } from '@app/identity';
import { AuthThrottlerGuard } from './auth-throttler.guard';
import { AuthController } from './auth.controller';
import { AccountLinksController } from './account-links.controller';
import { MeController } from './me.controller';
import { SharedThrottlerStorage } from './shared-throttler-storage';

/** Sign-in routes, and the global access guard: every route of the API is denied unless it declares @Public or @Roles. */
@Module({
  imports: [
    IdentityModule,
    // Counted in Redis or PostgreSQL, shared by every replica (not in this process's memory).
    ThrottlerModule.forRootAsync({
      imports: [IdentityModule],
      inject: [RateLimitStore],
      useFactory: (store: RateLimitStore) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: 10 }],
        storage: new SharedThrottlerStorage(store),
      }),
    }),
  ],
  controllers: [AuthController, MeController, AccountLinksController],
  providers: [{ provide: APP_GUARD, useExisting: AccessGuard }, AuthThrottlerGuard],
})
export class AuthApiModule {}
