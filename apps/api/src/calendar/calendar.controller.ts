import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { CalendarService } from '@app/common';
import { ROLES, Roles } from '@app/identity';
import { CalendarYearDto, CalendarYearParams, ReplaceCalendarYearDto, mapCalendarYear } from './calendar.dto';

@ApiTags('calendar')
@Controller('calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @ApiOperation({ summary: '某年的工作日历 · The working-day calendar of a year' })
  @Get(':year')
  @Roles(...ROLES)
  @ApiOkResponse({ type: CalendarYearDto, description: 'Statutory holidays and make-up workdays (调休) of the year' })
  async getYear(@Param() { year }: CalendarYearParams): Promise<CalendarYearDto> {
    return mapCalendarYear(year, await this.calendar.getYear(year));
  }

  @ApiOperation({ summary: "替换某年的节假日与调休 · Replace a year's holidays and make-up days" })
  @Put(':year')
  @Roles('admin')
  @ApiOkResponse({ type: CalendarYearDto, description: 'The year as stored after the replacement' })
  @ApiBadRequestResponse({ description: 'Invalid date, day outside the year, duplicate day or unknown field; nothing is stored' })
  async replaceYear(@Param() { year }: CalendarYearParams, @Body() body: ReplaceCalendarYearDto): Promise<CalendarYearDto> {
    return mapCalendarYear(year, await this.calendar.replaceYear(year, body.days));
  }
}
