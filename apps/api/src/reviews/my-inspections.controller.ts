import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PageQuery, ParseUuidPipe } from '@app/common';
import { type Actor, CurrentActor, Roles } from '@app/identity';
import { InspectionsService } from '@app/reviews';
import { MyInspectionDto, MyInspectionPageDto, mapMyInspection } from './my-inspections.dto';
import { ReviewDossiers } from './review-dossiers';

/** The site inspections of the caller's teams, for the members who have no dossier screen to sign them from. */
@ApiTags('reviews')
@ApiBearerAuth()
@Controller('reviews/inspections')
export class MyInspectionsController {
  constructor(
    private readonly inspections: InspectionsService,
    private readonly dossiers: ReviewDossiers,
  ) {}

  @ApiOperation({ summary: '我参与的现场考察 · My site inspections' })
  @Get()
  @Roles('bureau_officer', 'county_officer', 'expert')
  @ApiOkResponse({ type: MyInspectionPageDto, description: 'Newest first; only the inspections whose team names the caller' })
  async list(@CurrentActor() actor: Actor, @Query() query: PageQuery): Promise<MyInspectionPageDto> {
    const page = await this.inspections.inspectionsOf(actor, query);
    const items = [];
    for (const inspection of page.items) {
      const { application, attachments } = await this.dossiers.forInspectionMember(actor, inspection.applicationId);
      items.push(mapMyInspection(actor.userId, inspection, application, attachments));
    }
    return { ...page, items };
  }

  @ApiOperation({ summary: '查看我参与的现场考察 · One of my site inspections' })
  @Get(':id')
  @Roles('bureau_officer', 'county_officer', 'expert')
  @ApiOkResponse({ type: MyInspectionDto, description: '404 unless the caller is on its team' })
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<MyInspectionDto> {
    const inspection = await this.inspections.inspectionOf(actor, id);
    const { application, attachments } = await this.dossiers.forInspectionMember(actor, inspection.applicationId);
    return mapMyInspection(actor.userId, inspection, application, attachments);
  }
}
