import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ApiSignedIn } from '../common/api-docs.js';
import type { AuthUser } from './auth-user.js';
import { CurrentUser, Public } from './auth.decorators.js';
import { UserView } from '../users/users.dto.js';
import { LoginDto, RefreshDto, RegisterDto, SessionView } from './auth.dto.js';
import { AuthService } from './auth.service.js';
import { AuthRateLimitGuard } from './rate-limit.guard.js';

@ApiTags('auth')
@ApiProblems(400, 503)
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @UseGuards(AuthRateLimitGuard)
  @ApiProblems(429)
  @Post('register')
  @ApiOperation({ summary: 'Create an account (customer or provider) and sign in' })
  @ApiCreatedResponse({ type: SessionView })
  @ApiProblems(409)
  register(@Body() dto: RegisterDto): Promise<SessionView> {
    return this.auth.register(dto);
  }

  @Public()
  @UseGuards(AuthRateLimitGuard)
  @ApiProblems(429)
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email and password' })
  @ApiOkResponse({ type: SessionView })
  @ApiProblems(401)
  login(@Body() dto: LoginDto): Promise<SessionView> {
    return this.auth.login(dto);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Swap a refresh token for a new pair',
    description:
      'Each refresh token works once. Presenting one that was already used ends every session of that login ' +
      '(token theft is assumed), so the newest token stops working too. One exception, for an answer that was ' +
      'lost (a reload or a dropped connection mid-refresh): the token spent by the last refresh may be presented ' +
      'again for `REFRESH_REUSE_GRACE_SECONDS` (default 10) after that refresh and gets a new pair; only the pair ' +
      'answered last stays valid, a pair it superseded ends the login when presented later.',
  })
  @ApiOkResponse({ type: SessionView })
  @ApiProblems(401)
  refresh(@Body() dto: RefreshDto): Promise<SessionView> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'End the session of a refresh token' })
  @ApiNoContentResponse({ description: 'Signed out (also when the token was unknown)' })
  logout(@Body() dto: RefreshDto): Promise<void> {
    return this.auth.logout(dto.refreshToken);
  }

  @Get('me')
  @ApiOperation({ summary: 'The signed-in account' })
  @ApiSignedIn()
  @ApiOkResponse({ type: UserView })
  me(@CurrentUser() user: AuthUser): Promise<UserView> {
    return this.auth.me(user.id);
  }
}
