import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ParseUuidPipe } from '@app/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { ApplicationsService } from '@app/applications';
import { type Actor, CurrentActor, Roles } from '@app/identity';
import {
  ActionRequest,
  ApiDraftBody,
  ApplicationDetailDto,
  ApplicationDto,
  ApplicationPageDto,
  ApplicationQuery,
  CreateApplicationRequest,
  EligibilityDto,
  SubmitRequest,
  TimelineDto,
  UpdateApplicationRequest,
  mapApplication,
  mapApplicationDetail,
  mapAttachmentsByRound,
  mapEvent,
} from './applications.dto';
import { Idempotent } from '../idempotency/idempotent';

const READERS = ['applicant', 'county_officer', 'bureau_officer', 'leader', 'admin'] as const;

@ApiTags('applications')
@ApiBearerAuth()
@Controller('applications')
export class ApplicationsController {
  constructor(private readonly applications: ApplicationsService) {}

  @ApiOperation({ summary: '申报书列表 · List dossiers' })
  @Get()
  @Roles(...READERS)
  @ApiOkResponse({ type: ApplicationPageDto })
  async list(@CurrentActor() actor: Actor, @Query() query: ApplicationQuery): Promise<ApplicationPageDto> {
    const page = await this.applications.list(actor, { ...query, regionCode: query.county }, query);
    return { ...page, items: page.items.map((app) => mapApplication(app, this.applications.actionsFor(actor, app))) };
  }

  @ApiOperation({ summary: '创建申报书草稿 · Create a dossier draft' })
  @Post()
  @Idempotent()
  @Roles('applicant')
  @ApiDraftBody('Create')
  @ApiCreatedResponse({ type: ApplicationDetailDto })
  async create(@CurrentActor() actor: Actor, @Body() body: CreateApplicationRequest): Promise<ApplicationDetailDto> {
    const detail = await this.applications.withPromotion(await this.applications.createDraft(actor, body));
    return mapApplicationDetail(detail, this.applications.actionsFor(actor, detail.application));
  }

  @ApiOperation({ summary: '查看申报书 · Get a dossier' })
  @Get(':id')
  @Roles(...READERS)
  @ApiOkResponse({ type: ApplicationDetailDto })
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<ApplicationDetailDto> {
    const detail = await this.applications.getDetail(actor, id);
    return mapApplicationDetail(detail, this.applications.actionsFor(actor, detail.application));
  }

  @ApiOperation({ summary: '修改申报书草稿 · Update a dossier draft' })
  @Patch(':id')
  @Idempotent()
  @Roles('applicant')
  @ApiDraftBody('Update')
  @ApiOkResponse({ type: ApplicationDto })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateApplicationRequest,
  ): Promise<ApplicationDto> {
    const { expectedVersion, ...changes } = body;
    const app = await this.applications.updateDraft(actor, id, expectedVersion, changes);
    return mapApplication(app, this.applications.actionsFor(actor, app));
  }

  @ApiOperation({ summary: '提交申报书 · Submit a dossier' })
  @Post(':id/submit')
  @Idempotent()
  @HttpCode(200)
  @Roles('applicant')
  @ApiOkResponse({ type: ApplicationDto, description: 'Submitted (or resubmitted after a return)' })
  async submit(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string, @Body() body: SubmitRequest): Promise<ApplicationDto> {
    const app = await this.applications.act(actor, id, 'submit', {}, body.expectedVersion);
    return mapApplication(app, this.applications.actionsFor(actor, app));
  }

  @ApiOperation({ summary: '办理申报书（推荐、退回、审查……） · Act on a dossier (recommend, return, review, ...)' })
  @Post(':id/actions')
  @Idempotent()
  @HttpCode(200)
  @Roles('applicant', 'county_officer', 'bureau_officer')
  @ApiOkResponse({ type: ApplicationDto, description: 'The dossier in its new state' })
  async act(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string, @Body() body: ActionRequest): Promise<ApplicationDto> {
    const { action, expectedVersion, ...input } = body;
    const app = await this.applications.act(actor, id, action, input, expectedVersion);
    return mapApplication(app, this.applications.actionsFor(actor, app));
  }

  @ApiOperation({ summary: "申报书办理过程 · A dossier's timeline" })
  @Get(':id/timeline')
  @Roles(...READERS)
  @ApiOkResponse({ type: TimelineDto })
  async timeline(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<TimelineDto> {
    const { events, attachmentsByRound, ...detail } = await this.applications.timeline(actor, id);
    return {
      application: mapApplicationDetail(detail, this.applications.actionsFor(actor, detail.application)),
      events: events.map(mapEvent),
      attachmentsByRound: mapAttachmentsByRound(attachmentsByRound),
    };
  }

  @ApiOperation({ summary: "申报条件自查 · A dossier's eligibility check" })
  @Get(':id/eligibility')
  @Roles(...READERS)
  @ApiOkResponse({ type: EligibilityDto })
  eligibility(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<EligibilityDto> {
    return this.applications.eligibility(actor, id);
  }
}
