import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '@app/identity';
import { ACCOUNT_SCRIPT, TOKEN_PATTERN, invalidLinkPage, setPasswordPage, verifyEmailPage } from './account-pages';

/** The pages behind the links of account and reminder mails; each page acts only through the JSON API. */
@ApiExcludeController()
@Public()
@Controller()
export class AccountPagesController {
  @Get('auth/password/reset')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  resetPassword(@Query('token') token: unknown, @Res({ passthrough: true }) reply: FastifyReply): string {
    return this.withToken(token, reply, setPasswordPage);
  }

  @Get('auth/verify-email')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  verifyEmail(@Query('token') token: unknown, @Res({ passthrough: true }) reply: FastifyReply): string {
    return this.withToken(token, reply, verifyEmailPage);
  }

  @Get('auth/pages/account.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'no-cache')
  script(): string {
    return ACCOUNT_SCRIPT;
  }

  private withToken(token: unknown, reply: FastifyReply, page: (token: string) => string): string {
    if (typeof token === 'string' && TOKEN_PATTERN.test(token)) return page(token);
    void reply.status(400);
    return invalidLinkPage();
  }
}
