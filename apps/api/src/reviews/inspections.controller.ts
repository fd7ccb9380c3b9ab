import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { ParseUuidPipe } from '@app/common';
import { type Actor, CurrentActor, Roles } from '@app/identity';
import { InspectionsService } from '@app/reviews';
import { InspectionDto, InspectionRequest, mapInspection } from './inspections.dto';
import { ReviewDossiers } from './review-dossiers';
import { Idempotent } from '../idempotency/idempotent';

const TEAM = ['bureau_officer', 'county_officer', 'expert'] as const;

/** A dossier's site inspection: set up by the bureau, signed by each member of its team. */
@ApiTags('reviews')
@ApiBearerAuth()
@Controller('applications')
export class InspectionsController {
  constructor(
    private readonly dossiers: ReviewDossiers,
    private readonly inspections: InspectionsService,
  ) {}

  @ApiOperation({ summary: '记录现场考察 · Record the site inspection' })
  @Post(':id/inspection')
  @Idempotent()
  @HttpCode(200)
  @Roles('bureau_officer')
  @ApiOkResponse({ type: InspectionDto, description: 'Created, or changed (signatures taken back)' })
  async save(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: InspectionRequest,
  ): Promise<InspectionDto> {
    const dossier = await this.dossiers.factsFor(actor, id);
    const attachments = await this.dossiers.attachmentIds(actor, id);
    return mapInspection(await this.inspections.save(actor, dossier, body, attachments));
  }

  @ApiOperation({ summary: '查看现场考察 · The site inspection' })
  @Get(':id/inspection')
  @Roles(...TEAM)
  @ApiOkResponse({ type: InspectionDto })
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<InspectionDto> {
    return mapInspection(await this.inspections.inspectionFor(actor, id));
  }

  @ApiOperation({ summary: '考察组成员签字 · Sign the site inspection' })
  @Post(':id/inspection/sign')
  @Idempotent()
  @HttpCode(200)
  @Roles(...TEAM)
  @ApiOkResponse({ type: InspectionDto, description: 'Signed by the caller; closed once every member signed' })
  async sign(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<InspectionDto> {
    return mapInspection(await this.inspections.sign(actor, id, await this.dossiers.currentRound(actor, id)));
  }
}
