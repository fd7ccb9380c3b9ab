import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PageQuery, ParseUuidPipe } from '@app/common';
import { type Actor, CurrentActor, Roles } from '@app/identity';
import { NoticesService } from '@app/notices';
import { Idempotent } from '../idempotency/idempotent';
import { NoticeProcedure } from './notice-procedure';
import {
  NoticeDto,
  NoticePageDto,
  ObjectionDecisionRequest,
  ObjectionDto,
  PublishNoticeRequest,
  mapNotice,
  mapObjection,
} from './notices.dto';

/** Public notices as the bureau runs them: publishing, and the objections with their objectors' identities. */
@ApiTags('notices')
@ApiBearerAuth()
@Controller('notices')
export class NoticesController {
  constructor(
    private readonly procedure: NoticeProcedure,
    private readonly notices: NoticesService,
  ) {}

  @ApiOperation({ summary: '发布公示 · Publish a public notice' })
  @Post()
  @Idempotent()
  @Roles('bureau_officer')
  @ApiCreatedResponse({ type: NoticeDto, description: 'Every candidate is now in public_notice; the notice closes itself at its end' })
  async publish(@CurrentActor() actor: Actor, @Body() body: PublishNoticeRequest): Promise<NoticeDto> {
    return mapNotice(await this.procedure.publish(actor, body));
  }

  @ApiOperation({ summary: '公示列表 · Notices' })
  @Get()
  @Roles('bureau_officer')
  @ApiOkResponse({ type: NoticePageDto })
  async list(@Query() query: PageQuery): Promise<NoticePageDto> {
    const page = await this.notices.list(query);
    return { ...page, items: page.items.map(mapNotice) };
  }

  @ApiOperation({ summary: '异议列表 · The objections to a notice' })
  @Get(':id/objections')
  @Roles('bureau_officer')
  @ApiOkResponse({ type: [ObjectionDto], description: 'With the objectors’ identities: each read is audited' })
  async objections(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<ObjectionDto[]> {
    return (await this.notices.objections(actor, id)).map(mapObjection);
  }

  @ApiOperation({ summary: '下载异议单位盖章函 · Download the sealed letter of an objection' })
  @Get(':id/objections/:objectionId/letter')
  @Roles('bureau_officer')
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The organisation’s sealed letter, as an attachment; each read is audited' })
  async letter(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUuidPipe) id: string,
    @Param('objectionId', ParseUuidPipe) objectionId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const letter = await this.notices.letter(actor, id, objectionId);
    void reply.headers({
      'content-type': 'application/pdf',
      'content-length': letter.length,
      'content-disposition': 'attachment; filename="objection-letter.pdf"',
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    });
    return new StreamableFile(letter);
  }

  @ApiOperation({ summary: '异议调查结论 · Decide an objection' })
  @Post(':id/objections/:objectionId/decision')
  @HttpCode(200)
  @Idempotent()
  @Roles('bureau_officer')
  @ApiOkResponse({ type: ObjectionDto, description: 'Upheld: the candidate goes back to decision, or is rejected' })
  async decide(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUuidPipe) id: string,
    @Param('objectionId', ParseUuidPipe) objectionId: string,
    @Body() body: ObjectionDecisionRequest,
  ): Promise<ObjectionDto> {
    return mapObjection(await this.procedure.decideObjection(actor, id, objectionId, body));
  }
}
