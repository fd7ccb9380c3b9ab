import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { PageQuery, ParseUuidPipe } from '@app/common';
import { type Actor, CurrentActor, Roles } from '@app/identity';
import { ReviewsService } from '@app/reviews';
import {
  AssignmentDto,
  AssignmentPageDto,
  DeclarationDto,
  DeclarationRequest,
  ExpertDossierDto,
  ScoreRequest,
  mapAssignment,
  mapExpertDossier,
} from './reviews.dto';
import { ReviewDossiers } from './review-dossiers';

/** An expert's own seats: declare first, then read the dossier and score it. */
@ApiTags('reviews')
@ApiBearerAuth()
@Controller('reviews/assignments')
export class AssignmentsController {
  constructor(
    private readonly reviews: ReviewsService,
    private readonly dossiers: ReviewDossiers,
  ) {}

  @ApiOperation({ summary: '我的评审任务 · My assignments' })
  @Get()
  @Roles('expert')
  @ApiOkResponse({ type: AssignmentPageDto })
  async list(@CurrentActor() actor: Actor, @Query() query: PageQuery): Promise<AssignmentPageDto> {
    const page = await this.reviews.assignmentsOf(actor, query);
    return { ...page, items: page.items.map(mapAssignment) };
  }

  @ApiOperation({ summary: '查看评审任务 · Get an assignment' })
  @Get(':id')
  @Roles('expert')
  @ApiOkResponse({ type: AssignmentDto })
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<AssignmentDto> {
    return mapAssignment(await this.reviews.assignmentOf(actor, id));
  }

  @ApiOperation({ summary: '回避声明 · Declare conflicts of interest' })
  @Post(':id/declaration')
  @HttpCode(200)
  @Roles('expert')
  @ApiOkResponse({ type: DeclarationDto })
  async declare(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: DeclarationRequest,
  ): Promise<DeclarationDto> {
    const { view, replaced } = await this.reviews.declare(actor, id, body.conflict, body.reason ?? null);
    return { ...mapAssignment(view), replacedByReserve: replaced };
  }

  @ApiOperation({ summary: '评审中的申报书 · The dossier under review' })
  @Get(':id/dossier')
  @Roles('expert')
  @ApiOkResponse({ type: ExpertDossierDto, description: '403 review.declaration_required before a no-conflict declaration' })
  async dossier(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<ExpertDossierDto> {
    const { application, attachments } = await this.dossiers.forAssignedExpert(actor, await this.reviews.readableDossier(actor, id));
    return mapExpertDossier(application, attachments);
  }

  @ApiOperation({ summary: '提交评分 · Submit scores' })
  @Post(':id/score')
  @HttpCode(200)
  @Roles('expert')
  @ApiOkResponse({ type: AssignmentDto, description: 'Your seat with your own scores; the others stay sealed' })
  async score(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string, @Body() body: ScoreRequest): Promise<AssignmentDto> {
    return mapAssignment(await this.reviews.submitScores(actor, id, body.scores));
  }
}
