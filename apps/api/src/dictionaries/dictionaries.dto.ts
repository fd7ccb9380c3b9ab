import { ApiProperty } from '@nestjs/swagger';
import type { Industry, PlatformTypeInfo, Region } from '@app/reference';

export class RegionDto {
  @ApiProperty({ example: 'lucheng' }) code: string;
  @ApiProperty({ example: '鹿城区' }) nameZh: string;
  @ApiProperty({ example: 'Lucheng District' }) nameEn: string;
  @ApiProperty({ enum: ['county', 'zone'] }) kind: string;
  @ApiProperty({ nullable: true, type: String, example: 'longwan' }) parentCountyCode: string | null;
  @ApiProperty({ description: 'Parent county not yet confirmed' }) parentProvisional: boolean;
  @ApiProperty({ description: 'One of the five mountain counties (山区5县)' }) mountain: boolean;
  @ApiProperty({
    type: [String],
    example: ['温州高新区', '温州经开区'],
    description: 'Other names accepted wherever a region name is read (imports)',
  })
  aliases: string[];
  @ApiProperty({ example: '2023-01-01' }) validFrom: string;
  @ApiProperty({ nullable: true, type: String }) validTo: string | null;
}

export class IndustryDto {
  @ApiProperty({ example: 'trad.electrical' }) code: string;
  @ApiProperty({ example: '电气' }) nameZh: string;
  @ApiProperty({ example: 'Electrical equipment' }) nameEn: string;
  @ApiProperty({ enum: ['traditional', 'emerging', 'frontier'] }) group: string;
  @ApiProperty({ description: 'Counts toward the "5+5" coverage target' }) inFivePlusFive: boolean;
}

class SubtypeDto {
  @ApiProperty() code: string;
  @ApiProperty() nameZh: string;
  @ApiProperty() nameEn: string;
}

export class PlatformTypeDto {
  @ApiProperty({ enum: ['new_rd_institution', 'incubator', 'maker_space', 'key_lab'] }) code: string;
  @ApiProperty() nameZh: string;
  @ApiProperty() nameEn: string;
  @ApiProperty({ enum: ['municipal', 'provincial', 'national'], isArray: true }) levels: string[];
  @ApiProperty({ type: [SubtypeDto] }) subtypes: SubtypeDto[];
}

export function mapRegion(region: Region): RegionDto {
  const { code, nameZh, nameEn, kind, parentCountyCode, parentProvisional, mountain, aliases, validFrom, validTo } = region;
  return { code, nameZh, nameEn, kind, parentCountyCode, parentProvisional, mountain, aliases: [...aliases], validFrom, validTo };
}

export function mapIndustry(industry: Industry): IndustryDto {
  const { code, nameZh, nameEn, group, inFivePlusFive } = industry;
  return { code, nameZh, nameEn, group, inFivePlusFive };
}

export function mapPlatformType(type: PlatformTypeInfo): PlatformTypeDto {
  const { code, nameZh, nameEn, levels, subtypes } = type;
  return { code, nameZh, nameEn, levels: [...levels], subtypes: subtypes.map((s) => ({ ...s })) };
}
