import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ParseUuidPipe } from '@app/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { CallsService } from '@app/applications';
import { type Actor, CurrentActor, ROLES, Roles } from '@app/identity';
import { CallDto, CallPageDto, CallQuery, CreateCallRequest, UpdateCallRequest, mapCall } from './calls.dto';
import { Idempotent } from '../idempotency/idempotent';

@ApiTags('calls')
@ApiBearerAuth()
@Controller('calls')
export class CallsController {
  constructor(private readonly calls: CallsService) {}

  @ApiOperation({ summary: '申报通知列表 · List calls' })
  @Get()
  @Roles(...ROLES)
  @ApiOkResponse({ type: CallPageDto })
  async list(@CurrentActor() actor: Actor, @Query() query: CallQuery): Promise<CallPageDto> {
    const page = await this.calls.list(actor, query, query);
    return { ...page, items: page.items.map(mapCall) };
  }

  @ApiOperation({ summary: '创建申报通知 · Create a call' })
  @Post()
  @Idempotent()
  @Roles('bureau_officer')
  @ApiCreatedResponse({ type: CallDto })
  async create(@CurrentActor() actor: Actor, @Body() body: CreateCallRequest): Promise<CallDto> {
    return mapCall(await this.calls.create(actor, body));
  }

  @ApiOperation({ summary: '查看申报通知 · Get a call' })
  @Get(':id')
  @Roles(...ROLES)
  @ApiOkResponse({ type: CallDto })
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<CallDto> {
    return mapCall(await this.calls.get(actor, id));
  }

  @ApiOperation({ summary: '修改、发布或关闭申报通知 · Update, open or close a call' })
  @Patch(':id')
  @Idempotent()
  @Roles('bureau_officer')
  @ApiOkResponse({ type: CallDto })
  async update(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string, @Body() body: UpdateCallRequest): Promise<CallDto> {
    return mapCall(await this.calls.update(actor, id, body));
  }
}
