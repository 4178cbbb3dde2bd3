import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ApiSignedIn } from '../common/api-docs.js';
import { UuidPipe } from '../common/validation.js';
import { UpdateUserDto, UserView, UsersPageView, UsersQuery } from '../users/users.dto.js';
import { UsersService } from '../users/users.service.js';
import { Roles } from './auth.decorators.js';

@ApiTags('users')
@ApiSignedIn()
@ApiProblems(400, 403, 404, 503)
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({
    summary: 'Find accounts (admin)',
    description:
      'With `query`: accounts whose email starts with it or whose name does from the start of one of its words ' +
      '(compared in the normalized form emails are stored in), ordered by the token that matched (byte order), each ' +
      'account once. Without: every account, oldest first. `role` keeps one role. Read from indexes, never a scan; ' +
      'follow `nextCursor` (bound to the same `query` and `role`) until it is null.',
  })
  @ApiOkResponse({ type: UsersPageView })
  find(@Query() query: UsersQuery): Promise<UsersPageView> {
    return this.users.find(query);
  }

  @Get(':userId')
  @ApiOperation({ summary: 'One account (admin)' })
  @ApiOkResponse({ type: UserView })
  get(@Param('userId', UuidPipe) userId: string): Promise<UserView> {
    return this.users.get(userId);
  }

  @Patch(':userId')
  @ApiOperation({
    summary: 'Grant a role (admin)',
    description:
      'Takes effect at the user’s next token refresh. A change that would leave no admin (the last admin demoting ' +
      'itself included) is refused with 409 LAST_ADMIN.',
  })
  @ApiProblems(409)
  @ApiOkResponse({ type: UserView })
  update(@Param('userId', UuidPipe) userId: string, @Body() dto: UpdateUserDto): Promise<UserView> {
    return this.users.setRole(userId, dto.role);
  }
}
