import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { type Actor, CurrentActor, Roles, UsersService } from '@app/identity';
import { CreateUserDto, UpdateUserDto, UserDto, UserIdParams, UserListQuery, UserPageDto, mapUser } from './users.dto';
import { Idempotent } from '../idempotency/idempotent';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @ApiOperation({ summary: '用户列表 · List users' })
  @Get()
  @Roles('admin', 'bureau_officer', 'leader', 'county_officer', 'applicant')
  @ApiOkResponse({ type: UserPageDto, description: "Users within the caller's scope" })
  async list(@CurrentActor() actor: Actor, @Query() query: UserListQuery): Promise<UserPageDto> {
    const { role, organisationId, regionCode, page, pageSize } = query;
    const result = await this.users.list(actor, { role, organisationId, regionCode }, { page, pageSize });
    return { ...result, items: result.items.map(mapUser) };
  }

  @ApiOperation({ summary: '创建用户 · Create a user' })
  @Post()
  @Idempotent()
  @Roles('admin')
  @ApiCreatedResponse({ type: UserDto, description: 'Account created; a set-password email is queued' })
  async create(@CurrentActor() actor: Actor, @Body() body: CreateUserDto): Promise<UserDto> {
    return mapUser(await this.users.create(actor, body));
  }

  @ApiOperation({ summary: '查看用户 · Get a user' })
  @Get(':id')
  @Roles('admin', 'bureau_officer', 'leader', 'county_officer', 'applicant')
  @ApiOkResponse({ type: UserDto })
  async get(@CurrentActor() actor: Actor, @Param() { id }: UserIdParams): Promise<UserDto> {
    return mapUser(await this.users.get(actor, id));
  }

  @ApiOperation({ summary: '修改用户 · Update a user' })
  @Patch(':id')
  @Roles('admin')
  @ApiOkResponse({ type: UserDto })
  async update(@CurrentActor() actor: Actor, @Param() { id }: UserIdParams, @Body() body: UpdateUserDto): Promise<UserDto> {
    return mapUser(await this.users.update(actor, id, body));
  }
}
