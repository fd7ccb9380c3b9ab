import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ParseUuidPipe } from '@app/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Roles } from '@app/identity';
import { NotificationsAdminService } from '@app/notifications';
import {
  DeliveryDto,
  DeliveryPageDto,
  DeliveryQuery,
  OutboxPageDto,
  OutboxQuery,
  PreviewRequest,
  RenderedMailDto,
  TemplateDto,
  mapDelivery,
  mapOutbox,
  mapRendered,
} from './notifications.dto';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
@Roles('admin')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsAdminService) {}

  @ApiOperation({ summary: '待发邮件 · Mails waiting to be sent' })
  @Get('outbox')
  @ApiOkResponse({ type: OutboxPageDto })
  async outbox(@Query() query: OutboxQuery): Promise<OutboxPageDto> {
    const page = await this.notifications.listOutbox({ topic: query.topic, pending: query.pending }, query);
    return { ...page, items: page.items.map(mapOutbox) };
  }

  @ApiOperation({ summary: '邮件投递记录 · Mail deliveries' })
  @Get('deliveries')
  @ApiOkResponse({ type: DeliveryPageDto })
  async deliveries(@Query() query: DeliveryQuery): Promise<DeliveryPageDto> {
    const page = await this.notifications.listDeliveries(query, query);
    return { ...page, items: page.items.map(mapDelivery) };
  }

  @ApiOperation({ summary: '重试发送失败的邮件 · Retry a dead mail' })
  @Post(':id/retry')
  @HttpCode(202)
  @ApiOkResponse({ type: DeliveryDto, description: 'The dead delivery, queued again' })
  async retry(@Param('id', ParseUuidPipe) id: string): Promise<DeliveryDto> {
    return mapDelivery(await this.notifications.retry(id));
  }

  @ApiOperation({ summary: '邮件模板 · Mail templates' })
  @Get('templates')
  @ApiOkResponse({ type: [TemplateDto] })
  templates(): TemplateDto[] {
    return this.notifications.listTemplates();
  }

  @ApiOperation({ summary: '预览邮件 · Preview a mail' })
  @Post('preview')
  @HttpCode(200)
  @ApiOkResponse({ type: RenderedMailDto })
  preview(@Body() body: PreviewRequest): RenderedMailDto {
    return mapRendered(this.notifications.preview(body.event, body.locale ?? 'zh-CN', body.data));
  }
}
