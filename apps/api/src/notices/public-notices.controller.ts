import { Body, Controller, Get, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import {
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiOperation,
  ApiBody,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Throttle } from '@nestjs/throttler';
import { PageQuery, ParseUuidPipe } from '@app/common';
import { ClientIp, Public } from '@app/identity';
import { NoticeErrors, NoticesService } from '@app/notices';
import { readLetter } from './objection-letter';
import { ObjectionThrottlerGuard } from './objection-throttler.guard';
import { ObjectionReceiptDto, ObjectionRequest, PublicNoticeDto, PublicNoticePageDto, mapPublicNotice } from './notices.dto';

const MINUTE = 60_000;
const RECEIPT = /^\d{2}-[2-9A-Z]{8}$/;

/** What anyone may read without an account, and the objections anyone may lodge (DOMAIN.md §8, "public"). */
@ApiTags('public')
@Controller('public/notices')
@Public()
export class PublicNoticesController {
  constructor(private readonly notices: NoticesService) {}

  @ApiOperation({ summary: '正在公示的名单 · Open public notices' })
  @Get()
  @ApiOkResponse({
    type: PublicNoticePageDto,
    description: 'Open notices: name, type, level, county and host organisation of each candidate',
  })
  async list(@Query() query: PageQuery): Promise<PublicNoticePageDto> {
    const page = await this.notices.list(query, true);
    return { ...page, items: page.items.map(mapPublicNotice) };
  }

  @ApiOperation({ summary: '公示详情 · A public notice' })
  @Get(':id')
  @ApiOkResponse({ type: PublicNoticeDto })
  async get(@Param('id', ParseUuidPipe) id: string): Promise<PublicNoticeDto> {
    return mapPublicNotice(await this.notices.get(id));
  }

  @ApiOperation({ summary: '提出异议 · Lodge an objection' })
  @Post(':id/objections')
  @UseGuards(ObjectionThrottlerGuard)
  @Throttle({ default: { limit: 10, ttl: 10 * MINUTE } })
  @ApiCreatedResponse({ type: ObjectionReceiptDto })
  @ApiTooManyRequestsResponse({ description: 'request.rate_limited, with Retry-After' })
  async object(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: ObjectionRequest,
    @ClientIp() ip: string | null,
  ): Promise<ObjectionReceiptDto> {
    const { receipt, lodgedAt } = await this.notices.lodgeObjection(id, body, ip);
    return { receipt, lodgedAt: lodgedAt.toISOString() };
  }

  /** An organisation's sealed letter (加盖公章的书面材料), sent with the objection's receipt during the period, once. */
  @ApiOperation({ summary: '上传单位盖章函 · Upload the sealed letter of an organisation' })
  @Post(':id/objections/:receipt/letter')
  @UseGuards(ObjectionThrottlerGuard)
  @Throttle({ default: { limit: 10, ttl: 10 * MINUTE } })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary', description: '盖章函（PDF）· The sealed letter (PDF)' } },
    },
  })
  @ApiCreatedResponse({ description: 'A PDF (checked by content) up to 5 MB; 413 above, 415 for anything else' })
  async letter(
    @Param('id', ParseUuidPipe) id: string,
    @Param('receipt') receipt: string,
    @Req() request: FastifyRequest,
    @ClientIp() ip: string | null,
  ): Promise<{ receivedAt: string }> {
    if (!RECEIPT.test(receipt)) throw NoticeErrors.objectionNotFound(receipt);
    const { receivedAt } = await this.notices.attachLetter(id, receipt, await readLetter(request), ip);
    return { receivedAt: receivedAt.toISOString() };
  }
}
