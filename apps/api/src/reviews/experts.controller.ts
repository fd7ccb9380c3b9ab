import { Body, Controller, Get, Param, ParseUUIDPipe, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PageQuery } from '@app/common';
import { type Actor, CurrentActor, Roles } from '@app/identity';
import { ReviewsService } from '@app/reviews';
import { ExpertDto, ExpertPageDto, ExpertProfileRequest, mapExpert } from './reviews.dto';

/** The expert pool: kept by admins, read by the bureau officers who draw from it. */
@ApiTags('reviews')
@ApiBearerAuth()
@Controller('reviews/experts')
export class ExpertsController {
  constructor(private readonly reviews: ReviewsService) {}

  @Get()
  @Roles('admin', 'bureau_officer')
  @ApiOkResponse({ type: ExpertPageDto })
  async list(@Query() query: PageQuery): Promise<ExpertPageDto> {
    const page = await this.reviews.listPool(query);
    return { ...page, items: page.items.map(mapExpert) };
  }

  @Get(':id')
  @Roles('admin', 'bureau_officer')
  @ApiOkResponse({ type: ExpertDto })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<ExpertDto> {
    return mapExpert(await this.reviews.getExpert(id));
  }

  @Put(':id')
  @Roles('admin')
  @ApiOkResponse({ type: ExpertDto })
  async put(
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ExpertProfileRequest,
  ): Promise<ExpertDto> {
    return mapExpert(await this.reviews.putExpertProfile(actor, id, body));
  }
}
