import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
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

  @Get('regions')
  @ApiOkResponse({ type: [RegionDto], description: 'Counties and functional zones valid today' })
  async regions(): Promise<RegionDto[]> {
    return (await this.reference.listRegions(this.clock.now())).map(mapRegion);
  }

  @Get('industries')
  @ApiOkResponse({ type: [IndustryDto], description: 'The "5+5" industries and "+N" frontier fields valid today' })
  async industries(): Promise<IndustryDto[]> {
    return (await this.reference.listIndustries(this.clock.now())).map(mapIndustry);
  }

  @Get('platform-types')
  @ApiOkResponse({ type: [PlatformTypeDto] })
  platformTypes(): PlatformTypeDto[] {
    return this.reference.listPlatformTypes().map(mapPlatformType);
  }
}
