import { Controller, Get, Header, Query, Redirect } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@app/identity';
import { WEB_APP_PATH } from '../web-app';

/** The token as a mail carries it (URL-safe base64, as the API's TokenDto accepts); anything else is dropped, never echoed. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

/** Where each link of an account mail now opens: a screen of the web app (apps/web, views/public). */
export const ACCOUNT_SCREENS = {
  setPassword: `${WEB_APP_PATH}account/reset`,
  verifyEmail: `${WEB_APP_PATH}account/verify-email`,
} as const;

/** The screen with the token when it looks like one; without it (the screen then says the link is broken) otherwise. */
export function screenFor(screen: string, token: unknown): string {
  return typeof token === 'string' && TOKEN_PATTERN.test(token) ? `${screen}?token=${token}` : screen;
}

/**
 * The paths that mails sent before the web app carried (issue 12 served small pages here): each now
 * leads to the web app's screen, so links in mails already sent keep working. Opening a link changes
 * nothing; only the screen's button does (mail scanners follow links).
 */
@ApiExcludeController()
@Public()
@Controller()
export class AccountLinksController {
  @Get('auth/password/reset')
  @Redirect(ACCOUNT_SCREENS.setPassword, 302)
  @Header('cache-control', 'no-store')
  @Header('referrer-policy', 'no-referrer')
  resetPassword(@Query('token') token: unknown): { url: string } {
    return { url: screenFor(ACCOUNT_SCREENS.setPassword, token) };
  }

  @Get('auth/verify-email')
  @Redirect(ACCOUNT_SCREENS.verifyEmail, 302)
  @Header('cache-control', 'no-store')
  @Header('referrer-policy', 'no-referrer')
  verifyEmail(@Query('token') token: unknown): { url: string } {
    return { url: screenFor(ACCOUNT_SCREENS.verifyEmail, token) };
  }
}
