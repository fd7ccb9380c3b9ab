import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { PageQuery, ParseUuidPipe } from '@app/common';
import { type Actor, CurrentActor, Roles } from '@app/identity';
import { ReviewsService } from '@app/reviews';
import { ExpertDto, ExpertPageDto, ExpertProfileRequest, mapExpert } from './reviews.dto';

/** The expert pool: kept by admins, read by the bureau officers who draw from it. */
@ApiTags('reviews')
@ApiBearerAuth()
@Controller('reviews/experts')
export class ExpertsController {
  constructor(private readonly reviews: ReviewsService) {}

  @ApiOperation({ summary: '专家库 · List experts' })
  @Get()
  @Roles('admin', 'bureau_officer')
  @ApiOkResponse({ type: ExpertPageDto })
  async list(@Query() query: PageQuery): Promise<ExpertPageDto> {
    const page = await this.reviews.listPool(query);
    return { ...page, items: page.items.map(mapExpert) };
  }

  @ApiOperation({ summary: '查看专家 · Get an expert' })
  @Get(':id')
  @Roles('admin', 'bureau_officer')
  @ApiOkResponse({ type: ExpertDto })
  async get(@Param('id', ParseUuidPipe) id: string): Promise<ExpertDto> {
    return mapExpert(await this.reviews.getExpert(id));
  }

  @ApiOperation({ summary: '登记或修改专家 · Record or update an expert' })
  @Put(':id')
  @Roles('admin')
  @ApiOkResponse({ type: ExpertDto })
  async put(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string, @Body() body: ExpertProfileRequest): Promise<ExpertDto> {
    return mapExpert(await this.reviews.putExpertProfile(actor, id, body));
  }
}
