import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { type Actor, CurrentActor, Roles } from '@app/identity';
import { TargetsService } from '@app/targets';
import {
  ProgressQuery,
  ProgressReportDto,
  RevisionInputDto,
  TargetCodeParams,
  TargetDto,
  mapProgressReport,
  mapTarget,
} from './targets.dto';

@ApiTags('targets')
@ApiBearerAuth()
@Controller('targets')
export class TargetsController {
  constructor(private readonly targets: TargetsService) {}

  @ApiOperation({ summary: '目标列表 · List targets' })
  @Get()
  @Roles('admin', 'bureau_officer', 'leader')
  @ApiOkResponse({ type: [TargetDto], description: 'The targets with their definitions and every revision' })
  async list(): Promise<TargetDto[]> {
    return (await this.targets.list()).map(mapTarget);
  }

  @ApiOperation({ summary: '目标进度 · Progress toward the targets' })
  @Get('progress')
  @Roles('admin', 'bureau_officer', 'leader')
  @ApiOkResponse({ type: ProgressReportDto, description: 'Progress of every target as of a day, with the revision then in force' })
  async progress(@Query() query: ProgressQuery): Promise<ProgressReportDto> {
    return mapProgressReport(await this.targets.progress(query.asOf, query.by ?? null));
  }

  @ApiOperation({ summary: '修订目标 · Revise a target' })
  @Put(':code')
  @Roles('admin')
  @ApiOkResponse({ type: TargetDto, description: 'Records a new revision (kept with the earlier ones); the past is not rewritten' })
  async revise(@CurrentActor() actor: Actor, @Param() { code }: TargetCodeParams, @Body() body: RevisionInputDto): Promise<TargetDto> {
    return mapTarget(await this.targets.revise(actor, code, body));
  }
}
