import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsDecimalNumber } from '@app/common';
import { INDICATOR_YEARS, type IndicatorView } from '@app/targets';

class IndicatorValueInput {
  @ApiProperty({ example: 'rd_gdp_ratio' })
  @IsString()
  @Matches(/^[a-z0-9_.]{1,48}$/, { message: '指标代码无效。Invalid indicator code.' })
  code: string;

  @ApiProperty({ example: 3.1 })
  @IsDecimalNumber(2)
  @Min(-1e12)
  @Max(1e12)
  value: number;
}

export class IndicatorEntryDto {
  @ApiProperty({ example: 2025 })
  @IsInt()
  @Min(INDICATOR_YEARS.from)
  @Max(INDICATOR_YEARS.to)
  year: number;

  @ApiProperty({ type: [IndicatorValueInput] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => IndicatorValueInput)
  values: IndicatorValueInput[];
}

class IndicatorYearDto {
  @ApiProperty() year: number;
  @ApiProperty({ nullable: true, type: Number }) milestone: number | null;
  @ApiProperty({ description: 'Milestone between two of the plan, on the straight line' }) interpolated: boolean;
  @ApiProperty({ nullable: true, type: Number }) value: number | null;
  @ApiProperty({ nullable: true, type: Boolean }) met: boolean | null;
}

export class IndicatorDto {
  @ApiProperty() code: string;
  @ApiProperty() nameZh: string;
  @ApiProperty() nameEn: string;
  @ApiProperty() unit: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'The plan milestones by year (2022 baseline)',
    example: { 2022: 2.6, 2023: 2.7, 2025: 3.0, 2027: 3.4 },
  })
  milestones: Record<string, number>;
  @ApiProperty({ type: [IndicatorYearDto] }) years: IndicatorYearDto[];
}

export function mapIndicator(view: IndicatorView): IndicatorDto {
  return {
    code: view.indicator.code,
    nameZh: view.indicator.nameZh,
    nameEn: view.indicator.nameEn,
    unit: view.indicator.unit,
    milestones: Object.fromEntries(view.milestones.map((m) => [String(m.year), m.value])),
    years: view.years,
  };
}
