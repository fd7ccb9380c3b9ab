import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Roles } from '@app/identity';
import { ReviewsService } from '@app/reviews';
import { DrawPanelRequest, PanelDto, mapPanel } from './reviews.dto';
import { ReviewDossiers } from './review-dossiers';

/** A dossier's expert panel: drawn, watched and closed by bureau officers. */
@ApiTags('reviews')
@ApiBearerAuth()
@Controller('applications')
export class PanelsController {
  constructor(
    private readonly dossiers: ReviewDossiers,
    private readonly reviews: ReviewsService,
  ) {}

  @Post(':id/panel')
  @Roles('bureau_officer')
  @ApiCreatedResponse({ type: PanelDto, description: 'The panel with its seed; scores sealed' })
  async draw(
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: DrawPanelRequest,
  ): Promise<PanelDto> {
    return mapPanel(await this.reviews.drawPanel(actor, await this.dossiers.factsFor(actor, id), body));
  }

  @Get(':id/panel')
  @Roles('bureau_officer')
  @ApiOkResponse({ type: PanelDto })
  async get(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string): Promise<PanelDto> {
    const dossier = await this.dossiers.factsFor(actor, id);
    return mapPanel(await this.reviews.panelFor(dossier.applicationId));
  }

  @Post(':id/panel/close')
  @HttpCode(200)
  @Roles('bureau_officer')
  @ApiOkResponse({ type: PanelDto, description: 'The closed panel with its aggregate' })
  async close(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string): Promise<PanelDto> {
    const dossier = await this.dossiers.factsFor(actor, id);
    return mapPanel(await this.reviews.closePanel(actor, dossier.applicationId));
  }
}
