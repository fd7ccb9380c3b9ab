import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Clock } from '@app/common';
import { Public } from '@app/identity';
import { ReferenceService } from '@app/reference';
import { IndustryDto, PlatformTypeDto, RegionDto, mapIndustry, mapPlatformType, mapRegion } from './dictionaries.dto';

@ApiTags('dictionaries')
@Public()
@Controller()
export class DictionariesController {
  constructor(
    private readonly reference: ReferenceService,
    private readonly clock: Clock,
  ) {}

  @ApiOperation({ summary: '区县与功能区 · Counties and zones' })
  @Get('regions')
  @ApiOkResponse({ type: [RegionDto], description: 'Counties and functional zones valid today' })
  async regions(): Promise<RegionDto[]> {
    return (await this.reference.listRegions(this.clock.now())).map(mapRegion);
  }

  @ApiOperation({ summary: '产业分类 · Industry codes' })
  @Get('industries')
  @ApiOkResponse({ type: [IndustryDto], description: 'The "5+5" industries and "+N" frontier fields valid today' })
  async industries(): Promise<IndustryDto[]> {
    return (await this.reference.listIndustries(this.clock.now())).map(mapIndustry);
  }

  @ApiOperation({ summary: '平台类型及其子类型 · Platform types and their subtypes' })
  @Get('platform-types')
  @ApiOkResponse({ type: [PlatformTypeDto] })
  platformTypes(): PlatformTypeDto[] {
    return this.reference.listPlatformTypes().map(mapPlatformType);
  }
}
