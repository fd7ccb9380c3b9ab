import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { AuditService } from '@app/audit';
import { Roles } from '@app/identity';
import { AuditListQuery, AuditPageDto, AuditVerificationDto, AuditVerificationQuery, mapAuditEvent, mapVerification } from './audit.dto';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @ApiOperation({ summary: '审计日志 · The audit log' })
  @Get()
  @Roles('admin')
  @ApiOkResponse({ type: AuditPageDto, description: 'Audit events, newest first' })
  async list(@Query() query: AuditListQuery): Promise<AuditPageDto> {
    const { page, pageSize, ...filter } = query;
    const result = await this.audit.list(filter, { page, pageSize });
    return { ...result, items: result.items.map(mapAuditEvent) };
  }

  @ApiOperation({ summary: '验证审计链 · Verify the audit chains' })
  @Get('verification')
  @Roles('admin')
  @ApiOkResponse({
    type: AuditVerificationDto,
    description: 'What `npm run audit:verify` checks, with the key of this process: every row and checkpoint (reads them all)',
  })
  async verify(@Query() query: AuditVerificationQuery): Promise<AuditVerificationDto> {
    return mapVerification(await this.audit.verify(query.expect));
  }
}
