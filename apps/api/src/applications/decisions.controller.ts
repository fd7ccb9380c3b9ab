import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { ParseUuidPipe } from '@app/common';
import { DecisionErrors, DecisionsService } from '@app/applications';
import { type Actor, CurrentActor, Roles } from '@app/identity';
import {
  DecisionDto,
  DecisionRequest,
  RecognitionBatchDto,
  RecognitionBatchRequest,
  ReleaseDto,
  mapDecision,
  mapRecognitionBatch,
  mapRelease,
} from './decisions.dto';
import { Idempotent } from '../idempotency/idempotent';

/** The bureau's decisions: recorded by an officer, signed off by a leader, released per call. */
@ApiTags('decisions')
@ApiBearerAuth()
@Controller()
export class DecisionsController {
  constructor(private readonly decisions: DecisionsService) {}

  @ApiOperation({ summary: '记录局务会决定 · Record the decision of the meeting' })
  @Post('applications/:id/decision')
  @Idempotent()
  @Roles('bureau_officer')
  @ApiCreatedResponse({ type: DecisionDto, description: 'Pending: waits for the leader, then for the release' })
  async record(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string, @Body() body: DecisionRequest): Promise<DecisionDto> {
    return mapDecision(await this.decisions.record(actor, id, body));
  }

  @ApiOperation({ summary: '查看决定 · The decision on a dossier' })
  @Get('applications/:id/decision')
  @Roles('bureau_officer', 'leader')
  @ApiOkResponse({ type: DecisionDto })
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<DecisionDto> {
    const decision = await this.decisions.ofApplication(actor, id);
    if (!decision) throw DecisionErrors.notFound(id);
    return mapDecision(decision);
  }

  @ApiOperation({ summary: '领导签批 · Sign off a decision' })
  @Post('applications/:id/decision/sign-off')
  @Idempotent()
  @HttpCode(200)
  @Roles('leader')
  @ApiOkResponse({ type: DecisionDto, description: "The leader's sign-off (the leader role's only write)" })
  async signOff(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<DecisionDto> {
    return mapDecision(await this.decisions.signOff(actor, id));
  }

  @ApiOperation({ summary: '批次决定列表 · Decisions of a call' })
  @Get('calls/:id/decisions')
  @Roles('bureau_officer', 'leader')
  @ApiOkResponse({ type: [DecisionDto] })
  async ofCall(@Param('id', ParseUuidPipe) id: string): Promise<DecisionDto[]> {
    return (await this.decisions.ofCall(id)).map(mapDecision);
  }

  @ApiOperation({ summary: '统一发布决定 · Release the signed decisions of a call' })
  @Post('calls/:id/releases')
  @Idempotent()
  @Roles('bureau_officer')
  @ApiCreatedResponse({ type: ReleaseDto, description: 'Every signed decision of the call: the dossiers move on and their mails go out' })
  async release(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<ReleaseDto> {
    const { release, decisions } = await this.decisions.release(actor, id);
    return mapRelease(release, decisions);
  }

  @ApiOperation({ summary: '批量发文认定 · Recognise a batch under one document' })
  @Post('calls/:id/recognitions')
  @Idempotent()
  @Roles('bureau_officer')
  @ApiCreatedResponse({
    type: RecognitionBatchDto,
    description: 'Every dossier of the batch recognised under one document number and date',
  })
  async recognise(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: RecognitionBatchRequest,
  ): Promise<RecognitionBatchDto> {
    return mapRecognitionBatch(await this.decisions.recogniseBatch(actor, id, body));
  }
}
