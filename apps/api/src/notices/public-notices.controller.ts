import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import { PageQuery } from '@app/common';
import { ClientIp, Public } from '@app/identity';
import { NoticesService } from '@app/notices';
import { RetryAfterInterceptor } from '../auth/retry-after.interceptor';
import { ObjectionThrottlerGuard } from './objection-throttler.guard';
import { ObjectionReceiptDto, ObjectionRequest, PublicNoticeDto, PublicNoticePageDto, mapPublicNotice } from './notices.dto';

const MINUTE = 60_000;

/** What anyone may read without an account, and the objections anyone may lodge (DOMAIN.md §8, "public"). */
@ApiTags('public')
@Controller('public/notices')
@Public()
export class PublicNoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Get()
  @ApiOkResponse({
    type: PublicNoticePageDto,
    description: 'Open notices: name, type, level, county and host organisation of each candidate',
  })
  async list(@Query() query: PageQuery): Promise<PublicNoticePageDto> {
    const page = await this.notices.list(query, true);
    return { ...page, items: page.items.map(mapPublicNotice) };
  }

  @Get(':id')
  @ApiOkResponse({ type: PublicNoticeDto })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<PublicNoticeDto> {
    return mapPublicNotice(await this.notices.get(id));
  }

  @Post(':id/objections')
  @UseGuards(ObjectionThrottlerGuard)
  @UseInterceptors(RetryAfterInterceptor)
  @Throttle({ default: { limit: 10, ttl: 10 * MINUTE } })
  @ApiCreatedResponse({ type: ObjectionReceiptDto })
  @ApiTooManyRequestsResponse({ description: 'request.rate_limited, with Retry-After' })
  async object(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ObjectionRequest,
    @ClientIp() ip: string | null,
  ): Promise<ObjectionReceiptDto> {
    const { receipt, lodgedAt } = await this.notices.lodgeObjection(id, body, ip);
    return { receipt, lodgedAt: lodgedAt.toISOString() };
  }
}
