import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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

  @Get('outbox')
  @ApiOkResponse({ type: OutboxPageDto })
  async outbox(@Query() query: OutboxQuery): Promise<OutboxPageDto> {
    const page = await this.notifications.listOutbox({ topic: query.topic, pending: query.pending }, query);
    return { ...page, items: page.items.map(mapOutbox) };
  }

  @Get('deliveries')
  @ApiOkResponse({ type: DeliveryPageDto })
  async deliveries(@Query() query: DeliveryQuery): Promise<DeliveryPageDto> {
    const page = await this.notifications.listDeliveries(query, query);
    return { ...page, items: page.items.map(mapDelivery) };
  }

  @Post(':id/retry')
  @HttpCode(202)
  @ApiOkResponse({ type: DeliveryDto, description: 'The dead delivery, queued again' })
  async retry(@Param('id', new ParseUUIDPipe()) id: string): Promise<DeliveryDto> {
    return mapDelivery(await this.notifications.retry(id));
  }

  @Get('templates')
  @ApiOkResponse({ type: [TemplateDto] })
  templates(): TemplateDto[] {
    return this.notifications.listTemplates();
  }

  @Post('preview')
  @HttpCode(200)
  @ApiOkResponse({ type: RenderedMailDto })
  preview(@Body() body: PreviewRequest): RenderedMailDto {
    return mapRendered(this.notifications.preview(body.event, body.locale ?? 'zh-CN', body.data));
  }
}
