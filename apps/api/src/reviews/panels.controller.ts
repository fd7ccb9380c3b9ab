import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ParseUuidPipe } from '@app/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { type Actor, CurrentActor, Roles } from '@app/identity';
import { ReviewsService } from '@app/reviews';
import { CallsService } from '@app/applications';
import { DrawPanelRequest, DrawPanelsRequest, PanelBatchDto, PanelDto, RedrawPanelRequest, mapPanel } from './reviews.dto';
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

  @ApiOperation({ summary: '抽取评审专家 · Draw a panel' })
  @Post(':id/panel')
  @Roles('bureau_officer')
  @ApiCreatedResponse({ type: PanelDto, description: 'The panel with its seed; scores sealed' })
  async draw(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string, @Body() body: DrawPanelRequest): Promise<PanelDto> {
    return mapPanel(await this.reviews.drawPanel(actor, await this.dossiers.factsFor(actor, id), body));
  }

  @ApiOperation({ summary: "查看评审组 · Get a dossier's panel" })
  @Get(':id/panel')
  @Roles('bureau_officer')
  @ApiOkResponse({ type: PanelDto, description: "The current round's panel; before its draw, the latest of an earlier round (see round)" })
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<PanelDto> {
    const dossier = await this.dossiers.factsFor(actor, id);
    return mapPanel(await this.reviews.panelFor(dossier));
  }

  @ApiOperation({ summary: '补抽空缺专家 · Redraw the vacant seats of a panel' })
  @Post(':id/panel/redraw')
  @HttpCode(200)
  @Roles('bureau_officer')
  @ApiOkResponse({ type: PanelDto, description: 'The panel with the new seats; the redraw and its seed are listed in redraws' })
  async redraw(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string, @Body() body: RedrawPanelRequest): Promise<PanelDto> {
    return mapPanel(await this.reviews.redrawVacancies(actor, await this.dossiers.factsFor(actor, id), body));
  }

  @ApiOperation({ summary: '结束评审 · Close a panel' })
  @Post(':id/panel/close')
  @HttpCode(200)
  @Roles('bureau_officer')
  @ApiOkResponse({ type: PanelDto, description: 'The closed panel with its aggregate' })
  async close(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<PanelDto> {
    const dossier = await this.dossiers.factsFor(actor, id);
    return mapPanel(await this.reviews.closePanel(actor, dossier));
  }
}

/** Panels for many dossiers of a call, drawn at once. */
@ApiTags('reviews')
@ApiBearerAuth()
@Controller('calls')
export class CallPanelsController {
  constructor(
    private readonly calls: CallsService,
    private readonly dossiers: ReviewDossiers,
    private readonly reviews: ReviewsService,
  ) {}

  @ApiOperation({ summary: '批量抽取评审专家 · Draw the panels of many dossiers of a call' })
  @Post(':id/panels')
  @Roles('bureau_officer')
  @ApiCreatedResponse({ type: PanelBatchDto, description: 'One panel per dossier, each drawn with its own recorded seed; all or none' })
  async drawMany(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: DrawPanelsRequest,
  ): Promise<PanelBatchDto> {
    const call = await this.calls.get(actor, id);
    const dossiers = await this.dossiers.forBatch(actor, call.id, body.applicationIds);
    const views = await this.reviews.drawPanels(actor, call.id, dossiers, { seed: body.seed, onlyUndrawn: !body.applicationIds });
    return { callId: call.id, panels: views.map(mapPanel) };
  }
}
