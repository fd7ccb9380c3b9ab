import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { CurrentPrincipal, ROLES, Roles, type SessionPrincipal } from '@app/identity';
import { MeDto, mapMe } from './auth.dto';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  @ApiOperation({ summary: '当前用户 · The signed-in user' })
  @Get()
  @Roles(...ROLES)
  @ApiOkResponse({ type: MeDto, description: 'The signed-in user with role and scope' })
  me(@CurrentPrincipal() principal: SessionPrincipal): MeDto {
    return mapMe(principal);
  }
}
