import { Controller, Get, Redirect } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@app/identity';

/** Where the leaders' dashboard lives now: a screen of the web app (apps/web/src/views/leader). Old links and bookmarks lead there. */
export const DASHBOARD_SCREEN = '/app/leader';

@ApiExcludeController()
@Public()
@Controller('dashboard')
export class DashboardController {
  @Get()
  @Redirect(DASHBOARD_SCREEN, 302)
  page(): void {}
}
