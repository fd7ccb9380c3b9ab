import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { NotificationsModule } from '@app/notifications';
import { Industry, Region } from '@app/reference';
import { AccessGuard } from './access.guard';
import { AccessTokens } from './access-tokens';
import { AccountToken } from './account-token.entity';
import { AccountTokensService } from './account-tokens.service';
import { AdminBootstrap } from './admin-bootstrap';
import { AuthSession } from './auth-session.entity';
import { AuthService } from './auth.service';
import { Organisation } from './organisation.entity';
import { LoginThrottle } from './login-throttle';
import { OrganisationsService } from './organisations.service';
import { RateLimitStore, SharedRateLimitStore } from './rate-limit-store';
import { RefreshToken } from './refresh-token.entity';
import { SessionPrincipals } from './session-principals';
import { User } from './user.entity';
import { UserRecipientsModule } from './user-recipients';
import { UsersService } from './users.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Organisation, User, AuthSession, RefreshToken, AccountToken, Region, Industry]),
    AuditModule,
    NotificationsModule,
    // Tells notifications who an audience is, over identity's own table.
    UserRecipientsModule,
  ],
  providers: [
    AccessTokens,
    SessionPrincipals,
    AccountTokensService,
    AuthService,
    UsersService,
    OrganisationsService,
    AccessGuard,
    AdminBootstrap,
    SharedRateLimitStore,
    { provide: RateLimitStore, useExisting: SharedRateLimitStore },
    LoginThrottle,
  ],
  exports: [AccessTokens, SessionPrincipals, AuthService, UsersService, OrganisationsService, AccessGuard, AuditModule, RateLimitStore],
})
export class IdentityModule {}
