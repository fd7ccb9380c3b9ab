import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ParseUuidPipe } from '@app/common';
import { type Actor, CurrentActor, Roles } from '@app/identity';
import { PlatformImportService, REGISTRY_READERS, REGISTRY_WRITERS, RegistryService } from '@app/registry';
import {
  AnnualReportDto,
  ChangeInputDto,
  EvaluationInputDto,
  EvaluationOutcomeDto,
  ImportQuery,
  ImportReportDto,
  PlatformChangeDto,
  PlatformDetailDto,
  PlatformDto,
  PlatformExportQuery,
  PlatformIdParams,
  PlatformListQuery,
  PlatformPageDto,
  RectificationClosingDto,
  RectificationOutcomeDto,
  ReportInputDto,
  RevocationInputDto,
  mapChange,
  mapDetail,
  mapImportReport,
  mapOutcome,
  mapPlatform,
  mapRectificationOutcome,
  mapReport,
} from './platforms.dto';
import { IMPORT_MAX_BYTES, readSingleUpload } from './upload';
import { Idempotent } from '../idempotency/idempotent';

@ApiTags('registry')
@ApiBearerAuth()
@Controller('platforms')
export class PlatformsController {
  constructor(
    private readonly registry: RegistryService,
    private readonly imports: PlatformImportService,
  ) {}

  @ApiOperation({ summary: '平台名录 · List platforms' })
  @Get()
  @Roles('applicant', ...REGISTRY_READERS)
  @ApiOkResponse({
    type: PlatformPageDto,
    description:
      "Recognised platforms in the caller's scope (county officers: their county and its zones; applicants: their organisation's)",
  })
  async list(@CurrentActor() actor: Actor, @Query() query: PlatformListQuery): Promise<PlatformPageDto> {
    const { page, pageSize, ...filter } = query;
    const result = await this.registry.list(actor, filter, { page, pageSize });
    return { ...result, items: result.items.map(mapPlatform) };
  }

  @ApiOperation({ summary: '导出平台名录 · Export platforms' })
  @Get('export')
  @Roles(...REGISTRY_READERS)
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ description: 'The filtered registry as CSV or XLSX (same filters as the list, no paging)' })
  async export(@CurrentActor() actor: Actor, @Query() query: PlatformExportQuery): Promise<StreamableFile> {
    const { format, ...filter } = query;
    const file = await this.registry.export(actor, filter, format);
    return new StreamableFile(file.body, {
      type: file.contentType,
      disposition: `attachment; filename="${file.filename}"`,
      length: file.body.length,
    });
  }

  @ApiOperation({ summary: '导入平台名录 · Import platforms' })
  @Post('import')
  @Idempotent()
  @HttpCode(200)
  @Roles(...REGISTRY_WRITERS)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOkResponse({
    type: ImportReportDto,
    description:
      'Baseline import from CSV (UTF-8) or XLSX. dryRun=true reports per row and stores nothing; a real run stores all rows or none (400 with the problems)',
  })
  async import(@CurrentActor() actor: Actor, @Query() query: ImportQuery, @Req() request: FastifyRequest): Promise<ImportReportDto> {
    return mapImportReport(await this.imports.import(actor, await readSingleUpload(request, IMPORT_MAX_BYTES), query.dryRun ?? false));
  }

  @ApiOperation({ summary: '查看平台 · Get a platform' })
  @Get(':id')
  @Roles('applicant', ...REGISTRY_READERS)
  @ApiOkResponse({
    type: PlatformDetailDto,
    description: 'One platform with its promotions, changes, reports, evaluations and rectifications',
  })
  async get(@CurrentActor() actor: Actor, @Param() { id }: PlatformIdParams): Promise<PlatformDetailDto> {
    return mapDetail(await this.registry.get(actor, id));
  }

  @ApiOperation({ summary: '提交年度报告 · File an annual report' })
  @Post(':id/reports')
  @Idempotent()
  @Roles('applicant', ...REGISTRY_WRITERS)
  @ApiCreatedResponse({ type: AnnualReportDto, description: "Annual report for a year; applicants file their own organisation's" })
  async fileReport(
    @CurrentActor() actor: Actor,
    @Param() { id }: PlatformIdParams,
    @Body() body: ReportInputDto,
  ): Promise<AnnualReportDto> {
    return mapReport(await this.registry.fileReport(actor, id, body));
  }

  @ApiOperation({ summary: '记录绩效评价 · Record an evaluation' })
  @Post(':id/evaluations')
  @Idempotent()
  @Roles(...REGISTRY_WRITERS)
  @ApiCreatedResponse({
    type: EvaluationOutcomeDto,
    description: 'Score -> grade by the type thresholds; absent without a report by the deadline; D or absent opens a rectification',
  })
  async evaluate(
    @CurrentActor() actor: Actor,
    @Param() { id }: PlatformIdParams,
    @Body() body: EvaluationInputDto,
  ): Promise<EvaluationOutcomeDto> {
    return mapOutcome(await this.registry.evaluate(actor, id, body));
  }

  @ApiOperation({ summary: '整改结论 · Close a rectification' })
  @Post(':id/rectifications/:rectificationId/closing')
  @Idempotent()
  @HttpCode(200)
  @Roles('county_officer', ...REGISTRY_WRITERS)
  @ApiOkResponse({
    type: RectificationOutcomeDto,
    description:
      'Closes an open rectification as passed or failed (a note required); a failed one flags the platform for revocation (failed_rectification) and mails the bureau. County officers close those of their county',
  })
  async closeRectification(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUuidPipe) id: string,
    @Param('rectificationId', ParseUuidPipe) rectificationId: string,
    @Body() body: RectificationClosingDto,
  ): Promise<RectificationOutcomeDto> {
    return mapRectificationOutcome(await this.registry.closeRectification(actor, id, rectificationId, body));
  }

  @ApiOperation({ summary: '撤销认定 · Revoke a recognition' })
  @Post(':id/revocation')
  @Idempotent()
  @HttpCode(200)
  @Roles(...REGISTRY_WRITERS)
  @ApiOkResponse({ type: PlatformDto, description: 'Revoked from revokedOn on: stops counting that day' })
  async revoke(@CurrentActor() actor: Actor, @Param() { id }: PlatformIdParams, @Body() body: RevocationInputDto): Promise<PlatformDto> {
    return mapPlatform(await this.registry.revoke(actor, id, body));
  }

  @ApiOperation({ summary: '记录变更 · Record a change' })
  @Post(':id/changes')
  @Idempotent()
  @Roles(...REGISTRY_WRITERS)
  @ApiCreatedResponse({ type: PlatformChangeDto, description: 'A reported change of name, operator, site or area, with its date' })
  async recordChange(
    @CurrentActor() actor: Actor,
    @Param() { id }: PlatformIdParams,
    @Body() body: ChangeInputDto,
  ): Promise<PlatformChangeDto> {
    return mapChange(await this.registry.recordChange(actor, id, body));
  }
}
