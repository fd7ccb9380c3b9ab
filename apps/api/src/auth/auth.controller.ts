import { Body, Controller, Header, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import { type Actor, AuthService, ClientIp, CurrentActor, Public, ROLES, Roles } from '@app/identity';
import { ApiErrors } from '../openapi';
import { AuthThrottlerGuard } from './auth-throttler.guard';
import {
  ChangePasswordDto,
  ForgotPasswordDto,
  LoginDto,
  LoginResultDto,
  RefreshDto,
  RegisterDto,
  RegisteredDto,
  ResetPasswordDto,
  TokenDto,
  TokensDto,
  mapMe,
} from './auth.dto';

const MINUTE = 60_000;
/** Answers carrying tokens must never be kept by a browser or proxy cache. */
const NO_STORE = ['Cache-Control', 'no-store'] as const;

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @ApiOperation({ summary: '注册申报单位及其首个用户 · Register an organisation and its first user' })
  @Post('register')
  @Public()
  @UseGuards(AuthThrottlerGuard)
  @Throttle({ default: { limit: 20, ttl: 10 * MINUTE } })
  @ApiOkResponse({ type: RegisteredDto, description: 'Organisation and first user stored; a verification email is queued' })
  async register(@Body() body: RegisterDto, @ClientIp() ip: string | null): Promise<RegisteredDto> {
    return { ...(await this.auth.register(body, ip)), emailVerificationRequired: true };
  }

  @ApiOperation({ summary: '验证邮箱 · Verify an email address' })
  @Post('verify-email')
  @Public()
  @HttpCode(200)
  @UseGuards(AuthThrottlerGuard)
  @Throttle({ default: { limit: 20, ttl: MINUTE } })
  async verifyEmail(@Body() body: TokenDto, @ClientIp() ip: string | null): Promise<{ verified: true }> {
    await this.auth.verifyEmail(body.token, ip);
    return { verified: true };
  }

  @ApiOperation({ summary: '登录 · Sign in' })
  @Post('login')
  @Public()
  @ApiErrors(401, 403)
  @HttpCode(200)
  @Header(...NO_STORE)
  @UseGuards(AuthThrottlerGuard)
  @Throttle({ default: { limit: 10, ttl: MINUTE } })
  @ApiOkResponse({ type: LoginResultDto })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts (auth.too_many_attempts or request.rate_limited), with Retry-After' })
  async login(@Body() body: LoginDto, @ClientIp() ip: string | null): Promise<LoginResultDto> {
    const { user, ...tokens } = await this.auth.login(body.email, body.password, ip);
    return { ...tokens, user: mapMe({ ...user, userId: user.id }) };
  }

  @ApiOperation({ summary: '刷新访问令牌 · Refresh the access token' })
  @Post('refresh')
  @Public()
  @ApiErrors(401, 403)
  @HttpCode(200)
  @Header(...NO_STORE)
  @ApiOkResponse({ type: TokensDto, description: 'New access and refresh tokens; the old refresh token is spent' })
  refresh(@Body() body: RefreshDto, @ClientIp() ip: string | null): Promise<TokensDto> {
    return this.auth.refresh(body.refreshToken, ip);
  }

  @ApiOperation({ summary: '退出登录 · Sign out' })
  @Post('logout')
  @Roles(...ROLES)
  @ApiBearerAuth()
  @HttpCode(204)
  logout(@CurrentActor() actor: Actor): Promise<void> {
    return this.auth.logout(actor);
  }

  @ApiOperation({ summary: '申请重置密码 · Ask for a password reset' })
  @Post('password/forgot')
  @Public()
  @HttpCode(202)
  @UseGuards(AuthThrottlerGuard)
  @Throttle({ default: { limit: 5, ttl: 10 * MINUTE } })
  async forgotPassword(@Body() body: ForgotPasswordDto, @ClientIp() ip: string | null): Promise<{ accepted: true }> {
    await this.auth.forgotPassword(body.email, ip);
    return { accepted: true };
  }

  @ApiOperation({ summary: '重置密码 · Reset the password' })
  @Post('password/reset')
  @Public()
  @HttpCode(204)
  @UseGuards(AuthThrottlerGuard)
  @Throttle({ default: { limit: 10, ttl: MINUTE } })
  resetPassword(@Body() body: ResetPasswordDto, @ClientIp() ip: string | null): Promise<void> {
    return this.auth.resetPassword(body.token, body.password, ip);
  }

  @ApiOperation({ summary: '修改密码 · Change the password' })
  @Post('password/change')
  @Roles(...ROLES)
  @ApiBearerAuth()
  @HttpCode(204)
  changePassword(@CurrentActor() actor: Actor, @Body() body: ChangePasswordDto): Promise<void> {
    return this.auth.changePassword(actor, body.currentPassword, body.newPassword);
  }
}
