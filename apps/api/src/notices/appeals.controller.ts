import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { ParseUuidPipe } from '@app/common';
import { CallsService } from '@app/applications';
import { type Actor, CurrentActor, Roles } from '@app/identity';
import { AppealsService } from '@app/notices';
import { DrawPanelRequest, PanelDto, mapPanel } from '../reviews/reviews.dto';
import { Idempotent } from '../idempotency/idempotent';
import { AppealProcedure } from './appeal-procedure';
import { AppealDecisionRequest, AppealDto, AppealRequest, AppealTermsDto, mapAppeal } from './appeals.dto';

/** Appeals (复核) against a rejection: lodged once by the applicant, reviewed by a fresh panel, decided by the bureau. */
@ApiTags('appeals')
@ApiBearerAuth()
@Controller('applications')
export class AppealsController {
  constructor(private readonly procedure: AppealProcedure) {}

  @ApiOperation({ summary: '提出复核申请 · Appeal a rejection' })
  @Post(':id/appeal')
  @Idempotent()
  @Roles('applicant')
  @ApiCreatedResponse({ type: AppealDto, description: 'Once per dossier, within the call’s window of working days after the rejection' })
  async lodge(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string, @Body() body: AppealRequest): Promise<AppealDto> {
    return mapAppeal(await this.procedure.lodge(actor, id, body));
  }

  @ApiOperation({ summary: '查看复核申请 · The appeal of a dossier' })
  @Get(':id/appeal')
  @Roles('applicant', 'bureau_officer')
  @ApiOkResponse({ type: AppealDto })
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<AppealDto> {
    return mapAppeal(await this.procedure.get(actor, id));
  }

  @ApiOperation({ summary: '抽取复核专家组 · Draw the panel of an appeal' })
  @Post(':id/appeal/panel')
  @Roles('bureau_officer')
  @ApiCreatedResponse({ type: PanelDto, description: 'The appeal’s panel: none of the experts of the dossier’s earlier panels' })
  async drawPanel(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string, @Body() body: DrawPanelRequest): Promise<PanelDto> {
    return mapPanel(await this.procedure.drawPanel(actor, id, body));
  }

  @ApiOperation({ summary: '复核结论 · Decide the appeal' })
  @Post(':id/appeal/decision')
  @HttpCode(200)
  @Idempotent()
  @Roles('bureau_officer')
  @ApiOkResponse({ type: AppealDto, description: 'Upheld: the dossier returns to the stage the call names' })
  async decide(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: AppealDecisionRequest,
  ): Promise<AppealDto> {
    return mapAppeal(await this.procedure.resolve(actor, id, body.decision, body.resolution));
  }
}

/** A call's appeal settings, kept by the notices lib beside the call. */
@ApiTags('appeals')
@ApiBearerAuth()
@Controller('calls')
export class AppealTermsController {
  constructor(
    private readonly calls: CallsService,
    private readonly appeals: AppealsService,
  ) {}

  @ApiOperation({ summary: '查看复核规则 · The appeal terms of a call' })
  @Get(':id/appeal-terms')
  @Roles('bureau_officer', 'applicant', 'county_officer')
  @ApiOkResponse({ type: AppealTermsDto })
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<AppealTermsDto> {
    const call = await this.calls.get(actor, id);
    return this.appeals.terms(call.id);
  }

  @ApiOperation({ summary: '设置复核规则 · Set the appeal terms of a call' })
  @Put(':id/appeal-terms')
  @Roles('bureau_officer')
  @ApiOkResponse({ type: AppealTermsDto })
  async set(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string, @Body() body: AppealTermsDto): Promise<AppealTermsDto> {
    const call = await this.calls.get(actor, id);
    return this.appeals.setTerms(actor, call.id, body);
  }
}
