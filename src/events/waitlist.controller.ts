import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/auth.decorators.js';
import { ApiProblems, ApiSignedIn } from '../common/api-docs.js';
import { UuidPipe } from '../common/validation.js';
import type { AuthUser } from '../auth/auth-user.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { JoinWaitlistDto, MyWaitlistView, WaitlistLengthsView, WaitlistPlaceView } from './waitlist.dto.js';
import { WaitlistService } from './waitlist.service.js';

@ApiTags('waitlist')
@ApiSignedIn()
@ApiProblems(400, 503)
@Controller()
export class WaitlistController {
  constructor(private readonly waitlist: WaitlistService) {}

  @Post('events/:eventId/waitlist')
  @Idempotent()
  @ApiOperation({
    summary: 'Wait in line for seats of a category (or any) when too few are free',
    description:
      'When seats of that category become free (a release, a lapsed hold or offer, a cancelled reservation), the first entry whose category and quantity fit is offered the best of them in the same step: they are held for you for WAITLIST_OFFER_SECONDS (a `waitlist.offered` live message and an inbox notification say so), and you reserve them as any hold; the entry leaves the line. 409 SEATS_STILL_AVAILABLE while at least `quantity` are free; 409 ALREADY_IN_WAITLIST (one entry per user and event); 400 for a category the event does not have; 409 EVENT_STARTED; 409 HOLD_LIMIT_REACHED when the seats you hold plus `quantity` exceed MAX_HOLDS_PER_USER (an offer never takes you past it: an entry that would go over when its turn comes, or whose user is freeing the seats, is passed over and keeps its place). No offers once the event has started; an offer lasts at most until the start.',
  })
  @ApiCreatedResponse({ type: WaitlistPlaceView })
  @ApiProblems(404, 409)
  join(
    @Param('eventId', UuidPipe) eventId: string,
    @Body() dto: JoinWaitlistDto,
    @CurrentUser() user: AuthUser,
  ): Promise<WaitlistPlaceView> {
    return this.waitlist.join(eventId, dto, user);
  }

  @Delete('events/:eventId/waitlist')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Leave the event’s waiting line, or decline seats it offered you',
    description:
      'Leaves the line; seats the line offered you and you have not reserved are released too (they go to the next fitting entry). 404 when you are neither in line nor holding an offer.',
  })
  @ApiNoContentResponse({ description: 'Left' })
  @ApiProblems(404)
  leave(@Param('eventId', UuidPipe) eventId: string, @CurrentUser() user: AuthUser): Promise<void> {
    return this.waitlist.leave(eventId, user);
  }

  @Get('events/:eventId/waitlist')
  @ApiOperation({
    summary: 'How many wait in the event’s line, per category',
    description: 'For the manager who created the event and admins (403 for anyone else).',
  })
  @ApiOkResponse({ type: WaitlistLengthsView })
  @ApiProblems(403, 404)
  lengths(@Param('eventId', UuidPipe) eventId: string, @CurrentUser() user: AuthUser): Promise<WaitlistLengthsView> {
    return this.waitlist.lengths(eventId, user);
  }

  @Get('users/me/waitlist')
  @ApiOperation({ summary: 'The waiting lines you are in, with your place in each' })
  @ApiOkResponse({ type: MyWaitlistView })
  mine(@CurrentUser() user: AuthUser): Promise<MyWaitlistView> {
    return this.waitlist.mine(user);
  }
}
