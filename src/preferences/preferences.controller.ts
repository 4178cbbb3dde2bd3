import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/auth.decorators.js';
import { ApiProblems, ApiSignedIn } from '../common/api-docs.js';
import { PreferencesView, UpdatePreferencesDto } from './preferences.dto.js';
import { PreferencesService } from './preferences.service.js';

@ApiTags('users')
@ApiSignedIn()
@ApiProblems(503)
@Controller('users/me/preferences')
export class PreferencesController {
  constructor(private readonly preferences: PreferencesService) {}

  @Get()
  @ApiOperation({
    summary: 'Your preferences',
    description:
      'Which email categories you get (all on until you turn one off), and the locale and time zone your emails ' +
      'are written in. Email is sent only where the service is configured for it.',
  })
  @ApiOkResponse({ type: PreferencesView })
  get(@CurrentUser() user: AuthUser): Promise<PreferencesView> {
    return this.preferences.get(user.id);
  }

  @Patch()
  @ApiOperation({
    summary: 'Change your preferences',
    description:
      'Only the members sent change: `{"email": {"reminders": false}}` turns reminders off and leaves the rest. ' +
      '`locale` and `timeZone` are validated (BCP 47, IANA) and stored in canonical form; `null` clears them. An ' +
      'email category turned off stops the emails not yet sent, retries included. Answers the preferences after ' +
      'the change; a bad member is a 400 that changes nothing.',
  })
  @ApiProblems(400)
  @ApiOkResponse({ type: PreferencesView })
  update(@CurrentUser() user: AuthUser, @Body() dto: UpdatePreferencesDto): Promise<PreferencesView> {
    return this.preferences.update(user.id, dto);
  }
}
