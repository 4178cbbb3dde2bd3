import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ApiSignedIn } from '../common/api-docs.js';
import { UuidPipe } from '../common/validation.js';
import { UpdateUserDto, UserView } from '../users/users.dto.js';
import { UsersService } from '../users/users.service.js';
import { Roles } from './auth.decorators.js';

@ApiTags('users')
@ApiSignedIn()
@ApiProblems(400, 403, 404, 503)
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

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
