import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { CALENDAR_MAX_DAYS_PER_YEAR, CALENDAR_MAX_YEAR, CALENDAR_MIN_YEAR, type CalendarDay, isIsoDay } from '@app/common';

/** A real date written 'YYYY-MM-DD' ('2026-02-30' fails). */
function IsIsoDay(): PropertyDecorator {
  return ValidateBy({
    name: 'isIsoDay',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isIsoDay(value),
      defaultMessage: () => '日期无效，应为 YYYY-MM-DD。$property must be a valid date written YYYY-MM-DD',
    },
  });
}

export class CalendarYearParams {
  @ApiProperty({ minimum: CALENDAR_MIN_YEAR, maximum: CALENDAR_MAX_YEAR, example: 2026 })
  @Type(() => Number)
  @IsInt()
  @Min(CALENDAR_MIN_YEAR)
  @Max(CALENDAR_MAX_YEAR)
  year: number;
}

export class CalendarDayInputDto {
  @ApiProperty({ example: '2026-10-10', description: 'A date inside the year of the path, YYYY-MM-DD' })
  @IsIsoDay()
  day: string;

  @ApiProperty({ description: 'true: a make-up workday (调休); false: a day off' })
  @IsBoolean()
  working: boolean;

  @ApiPropertyOptional({ example: '国庆节', maxLength: 64, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  nameZh?: string | null;
}

export class ReplaceCalendarYearDto {
  @ApiProperty({
    type: [CalendarDayInputDto],
    maxItems: CALENDAR_MAX_DAYS_PER_YEAR,
    description: 'Every exception to the Monday-to-Friday rule for the year; days not listed follow the rule',
  })
  @IsArray()
  @ArrayMaxSize(CALENDAR_MAX_DAYS_PER_YEAR)
  @ValidateNested({ each: true })
  @Type(() => CalendarDayInputDto)
  days: CalendarDayInputDto[];
}

export class CalendarDayDto {
  @ApiProperty({ example: '2026-10-01' }) day: string;
  @ApiProperty({ description: 'true: a make-up workday (调休); false: a day off' }) working: boolean;
  @ApiProperty({ nullable: true, type: String, example: '国庆节' }) nameZh: string | null;
  @ApiProperty({ enum: ['chinese-days', 'admin'] }) source: string;
}

export class CalendarYearDto {
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ type: [CalendarDayDto] }) days: CalendarDayDto[];
}

export function mapCalendarYear(year: number, days: CalendarDay[]): CalendarYearDto {
  return { year, days: days.map(({ day, working, nameZh, source }) => ({ day, working, nameZh, source })) };
}
