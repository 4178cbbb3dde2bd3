import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/auth.decorators.js';
import { ApiProblems, ApiSignedIn } from '../common/api-docs.js';
import { UuidPipe } from '../common/validation.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import type { AuthUser } from '../auth/auth-user.js';
import { BookTableDto, MoveReservationDto, ReservationsQuery, RestaurantReservationView } from './restaurants.dto.js';
import { RestaurantReservationsService } from './restaurant-reservations.service.js';

@ApiTags('restaurants')
@ApiSignedIn()
@ApiProblems(400, 404, 503)
@Controller('restaurants/:restaurantId/reservations')
export class RestaurantReservationsController {
  constructor(private readonly reservations: RestaurantReservationsService) {}

  @Post()
  @Idempotent()
  @ApiOperation({
    summary: 'Book a table',
    description:
      'start must be one of the day’s timeslots (422 NOT_A_TIMESLOT). Without tableId the smallest free table that ' +
      'seats the party is chosen (409 NO_TABLE_AVAILABLE); a named table that is taken is 409 TABLE_UNAVAILABLE; a ' +
      'party larger than the table (or every table) is 422 PARTY_TOO_LARGE. A customer may have at most ' +
      'RESTAURANT_MAX_RESERVATIONS_PER_DAY (2) live reservations at the restaurant per local day (409 ' +
      'RESERVATION_LIMIT_REACHED; its manager and admins have no cap).',
  })
  @ApiCreatedResponse({ type: RestaurantReservationView })
  @ApiProblems(409, 422)
  book(
    @Param('restaurantId', UuidPipe) id: string,
    @Body() dto: BookTableDto,
    @CurrentUser() user: AuthUser,
  ): Promise<RestaurantReservationView> {
    return this.reservations.book(id, dto, user);
  }

  @Patch(':reservationId')
  @ApiOperation({
    summary: 'Move a booking (its customer or the manager)',
    description:
      'New time, party size and/or table in one step; on any conflict nothing changes and the old booking stands. ' +
      'A customer moving to another local day is held to RESTAURANT_MAX_RESERVATIONS_PER_DAY there (409 ' +
      'RESERVATION_LIMIT_REACHED).',
  })
  @ApiOkResponse({ type: RestaurantReservationView })
  @ApiProblems(409, 422)
  move(
    @Param('restaurantId', UuidPipe) id: string,
    @Param('reservationId', UuidPipe) reservationId: string,
    @Body() dto: MoveReservationDto,
    @CurrentUser() user: AuthUser,
  ): Promise<RestaurantReservationView> {
    return this.reservations.move(id, reservationId, dto, user);
  }

  @Delete(':reservationId')
  @ApiOperation({ summary: 'Cancel (its customer or the manager); the table is free again at once' })
  @ApiOkResponse({ type: RestaurantReservationView })
  cancel(
    @Param('restaurantId', UuidPipe) id: string,
    @Param('reservationId', UuidPipe) reservationId: string,
    @CurrentUser() user: AuthUser,
  ): Promise<RestaurantReservationView> {
    return this.reservations.cancel(id, reservationId, user);
  }

  @Get()
  @ApiOperation({ summary: 'A local date’s reservations: all for the manager, your own otherwise' })
  @ApiOkResponse({ type: [RestaurantReservationView] })
  list(
    @Param('restaurantId', UuidPipe) id: string,
    @Query() query: ReservationsQuery,
    @CurrentUser() user: AuthUser,
  ): Promise<RestaurantReservationView[]> {
    return this.reservations.reservations(id, query.date, user);
  }
}
