import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AccessGuard, IdentityModule } from '@app/identity';
import { AuthThrottlerGuard } from './auth-throttler.guard';
import { AuthController } from './auth.controller';
import { MeController } from './me.controller';

/** Sign-in routes, and the global access guard: every route of the API is denied unless it declares @Public or @Roles. */
@Module({
  imports: [IdentityModule, ThrottlerModule.forRoot([{ name: 'default', ttl: 60_000, limit: 10 }])],
  controllers: [AuthController, MeController],
  providers: [{ provide: APP_GUARD, useExisting: AccessGuard }, AuthThrottlerGuard],
})
export class AuthApiModule {}
