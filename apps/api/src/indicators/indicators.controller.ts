import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { type Actor, CurrentActor, Roles } from '@app/identity';
import { IndicatorsService } from '@app/targets';
import { IndicatorDto, IndicatorEntryDto, mapIndicator } from './indicators.dto';

@ApiTags('targets')
@ApiBearerAuth()
@Controller('indicators')
export class IndicatorsController {
  constructor(private readonly indicators: IndicatorsService) {}

  @ApiOperation({ summary: '指标 · List indicators' })
  @Get()
  @Roles('admin', 'bureau_officer', 'leader')
  @ApiOkResponse({ type: [IndicatorDto], description: "The plan's nine city indicators with milestones and recorded values" })
  async list(): Promise<IndicatorDto[]> {
    return (await this.indicators.list()).map(mapIndicator);
  }

  /** The bureau records these figures each year (DOMAIN.md §2), so bureau officers may enter them, as admins may. */
  @ApiOperation({ summary: '录入指标 · Record indicators' })
  @Put()
  @Roles('admin', 'bureau_officer')
  @ApiOkResponse({
    type: [IndicatorDto],
    description: "Records a year's values (replacing that year's earlier ones; the audit log keeps them)",
  })
  async record(@CurrentActor() actor: Actor, @Body() body: IndicatorEntryDto): Promise<IndicatorDto[]> {
    return (await this.indicators.record(actor, body)).map(mapIndicator);
  }
}
