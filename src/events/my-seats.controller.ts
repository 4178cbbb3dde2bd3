import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/auth.decorators.js';
import { ApiProblems, ApiSignedIn } from '../common/api-docs.js';
import { PageQuery } from '../common/pagination.js';
import type { AuthUser } from '../auth/auth-user.js';
import { MyHoldsView, MyReservationsPage } from './events.dto.js';
import { SeatsService } from './seats.service.js';

@ApiTags('seats')
@ApiSignedIn()
@ApiProblems(400, 503)
@Controller('users/me')
export class MySeatsController {
  constructor(private readonly seats: SeatsService) {}

  @Get('holds')
  @ApiOperation({ summary: 'Your live seat holds across events, soonest expiry first' })
  @ApiOkResponse({ type: MyHoldsView })
  holds(@CurrentUser() user: AuthUser): Promise<MyHoldsView> {
    return this.seats.myHolds(user);
  }

  @Get('reservations')
  @ApiOperation({
    summary: 'Your reserved seats across events, oldest first, cursor-paginated',
    description:
      'Each seat with its category and the price it had when you reserved it (later price changes do not alter ' +
      'it); totals adds up the prices of the seats on this page per currency.',
  })
  @ApiOkResponse({ type: MyReservationsPage })
  reservations(@CurrentUser() user: AuthUser, @Query() query: PageQuery): Promise<MyReservationsPage> {
    return this.seats.myReservations(user, query.limit, query.cursor);
  }
}
