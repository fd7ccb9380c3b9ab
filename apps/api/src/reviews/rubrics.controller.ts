import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ParseUuidPipe } from '@app/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { CallsService } from '@app/applications';
import { type Actor, CurrentActor, Roles } from '@app/identity';
import { ReviewsService } from '@app/reviews';
import { CallRankingDto, CallRubricDto, RubricDto, mapRanking } from './reviews.dto';

/** A call's rubric and panel settings (without one, its platform type's default, marked `assumption`), and its ranking. */
@ApiTags('reviews')
@ApiBearerAuth()
@Controller('calls')
export class RubricsController {
  constructor(
    private readonly calls: CallsService,
    private readonly reviews: ReviewsService,
  ) {}

  @ApiOperation({ summary: "评分细则 · A call's rubric" })
  @Get(':id/rubric')
  @Roles('bureau_officer', 'leader', 'admin')
  @ApiOkResponse({ type: CallRubricDto })
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<CallRubricDto> {
    const call = await this.calls.get(actor, id);
    return { callId: call.id, ...(await this.reviews.rubricFor(call.id, call.platformType)) };
  }

  @ApiOperation({ summary: "设置评分细则 · Set a call's rubric" })
  @Put(':id/rubric')
  @Roles('bureau_officer')
  @ApiOkResponse({ type: CallRubricDto })
  async put(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string, @Body() body: RubricDto): Promise<CallRubricDto> {
    const call = await this.calls.get(actor, id);
    return { callId: call.id, custom: true, rubric: await this.reviews.putRubric(actor, call.id, body) };
  }

  @ApiOperation({ summary: "评审排名 · A call's ranking" })
  @Get(':id/ranking')
  @Roles('bureau_officer', 'leader')
  @ApiOkResponse({ type: CallRankingDto, description: "The call's dossiers by panel score against the rubric's quota" })
  async ranking(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<CallRankingDto> {
    const call = await this.calls.get(actor, id);
    return mapRanking(call.id, await this.reviews.rankingFor(call.id, call.platformType));
  }
}
