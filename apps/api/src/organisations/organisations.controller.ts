import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { type Actor, CurrentActor, OrganisationsService, Roles, UsersService } from '@app/identity';
import { UserDto, mapUser } from '../users/users.dto';
import {
  InvitationDto,
  OrganisationDto,
  OrganisationIdParams,
  OrganisationInputDto,
  OrganisationListQuery,
  OrganisationPageDto,
  UpdateOrganisationDto,
  mapOrganisation,
} from './organisations.dto';
import { Idempotent } from '../idempotency/idempotent';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('organisations')
export class OrganisationsController {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly users: UsersService,
  ) {}

  @ApiOperation({ summary: '单位列表 · List organisations' })
  @Get()
  @Roles('admin', 'bureau_officer', 'leader', 'county_officer', 'applicant')
  @ApiOkResponse({ type: OrganisationPageDto, description: "Organisations within the caller's scope" })
  async list(@CurrentActor() actor: Actor, @Query() query: OrganisationListQuery): Promise<OrganisationPageDto> {
    const { regionCode, q, page, pageSize } = query;
    const result = await this.organisations.list(actor, { regionCode, q }, { page, pageSize });
    return { ...result, items: result.items.map(mapOrganisation) };
  }

  @ApiOperation({ summary: '创建单位 · Create an organisation' })
  @Post()
  @Idempotent()
  @Roles('admin', 'bureau_officer')
  @ApiCreatedResponse({ type: OrganisationDto })
  async create(@CurrentActor() actor: Actor, @Body() body: OrganisationInputDto): Promise<OrganisationDto> {
    return mapOrganisation(await this.organisations.create(actor, body));
  }

  @ApiOperation({ summary: '查看单位 · Get an organisation' })
  @Get(':id')
  @Roles('admin', 'bureau_officer', 'leader', 'county_officer', 'applicant')
  @ApiOkResponse({ type: OrganisationDto })
  async get(@CurrentActor() actor: Actor, @Param() { id }: OrganisationIdParams): Promise<OrganisationDto> {
    return mapOrganisation(await this.organisations.get(actor, id));
  }

  @ApiOperation({ summary: '修改单位 · Update an organisation' })
  @Patch(':id')
  @Idempotent()
  @Roles('admin', 'bureau_officer', 'applicant')
  @ApiOkResponse({
    type: OrganisationDto,
    description: 'Applicants may change name, industries, address and contact of their own organisation',
  })
  async update(
    @CurrentActor() actor: Actor,
    @Param() { id }: OrganisationIdParams,
    @Body() body: UpdateOrganisationDto,
  ): Promise<OrganisationDto> {
    return mapOrganisation(await this.organisations.update(actor, id, body));
  }

  @ApiOperation({ summary: '邀请同事 · Invite a colleague' })
  @Post(':id/invitations')
  @Idempotent()
  @Roles('applicant')
  @ApiCreatedResponse({
    type: UserDto,
    description: "Member created; an invitation email is queued. Only the organisation's first user may invite.",
  })
  async invite(@CurrentActor() actor: Actor, @Param() { id }: OrganisationIdParams, @Body() body: InvitationDto): Promise<UserDto> {
    return mapUser(await this.users.invite(actor, id, body));
  }
}
