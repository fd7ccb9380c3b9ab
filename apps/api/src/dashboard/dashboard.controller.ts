import { readFileSync } from 'node:fs';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@app/identity';
import { DASHBOARD_HTML } from './dashboard.page';
import { DASHBOARD_SCRIPT } from './dashboard.script';

/**
 * The leaders' dashboard: a static page and its script. The page holds no data: it signs in and
 * reads the public API with the user's token, so the API's access rules apply (403 for other roles).
 * Scripts are served from here because the CSP allows only same-origin scripts, none inline.
 */
@ApiExcludeController()
@Public()
@Controller('dashboard')
export class DashboardController {
  private echarts: Buffer | null = null;

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-cache')
  page(): string {
    return DASHBOARD_HTML;
  }

  @Get('dashboard.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'no-cache')
  script(): string {
    return DASHBOARD_SCRIPT;
  }

  @Get('echarts.min.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'public, max-age=86400')
  echartsScript(): Buffer {
    this.echarts ??= readFileSync(require.resolve('echarts/dist/echarts.min.js'));
    return this.echarts;
  }
}
