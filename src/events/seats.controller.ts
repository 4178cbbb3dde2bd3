import { Body, Controller, Delete, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../auth/auth.decorators.js';
import { ApiProblems, ApiSignedIn } from '../common/api-docs.js';
import { UuidPipe } from '../common/validation.js';
import type { AuthUser } from '../auth/auth-user.js';
import { HoldSeatsDto, HoldView, HoldsView, ReservationView, ReservationsView, SeatIdsDto } from './events.dto.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { SeatsService } from './seats.service.js';

@ApiTags('seats')
@ApiSignedIn()
@ApiProblems(400, 404, 503)
@Controller('events/:eventId')
export class SeatsController {
  constructor(private readonly seats: SeatsService) {}

  @Post('seats/:seatId/hold')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Hold a seat for the event’s hold time',
    description:
      'Holding a seat you already hold renews it. 409 SEAT_UNAVAILABLE when someone else holds it or it is reserved; 409 HOLD_LIMIT_REACHED past MAX_HOLDS_PER_USER live holds in this event; 409 HOLD_RENEWAL_LIMIT past HOLD_MAX_RENEWALS (4) renewals in a row (holding it again within one hold time of your previous hold running out, released or not, is a renewal too); 409 EVENT_STARTED once the event has started.',
  })
  @ApiOkResponse({ type: HoldView })
  @ApiProblems(409)
  hold(
    @Param('eventId', UuidPipe) eventId: string,
    @Param('seatId', UuidPipe) seatId: string,
    @CurrentUser() user: AuthUser,
  ): Promise<HoldView> {
    return this.seats.hold(eventId, seatId, user);
  }

  @Delete('seats/:seatId/hold')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Release your hold; the seat is free again at once',
    description: 'Offered to the first fitting entry of the waiting line, else available.',
  })
  @ApiNoContentResponse({ description: 'Released' })
  release(
    @Param('eventId', UuidPipe) eventId: string,
    @Param('seatId', UuidPipe) seatId: string,
    @CurrentUser() user: AuthUser,
  ): Promise<void> {
    return this.seats.release(eventId, seatId, user);
  }

  @Post('seats/:seatId/reserve')
  @Idempotent()
  @ApiOperation({
    summary: 'Reserve a seat you hold',
    description:
      '201 when reserved now, 200 with the same body when you had reserved it already (also after the event started). 409 HOLD_REQUIRED when you do not hold it (never held, expired, held by someone else); 409 EVENT_STARTED once the event has started.',
  })
  @ApiCreatedResponse({ type: ReservationView })
  @ApiOkResponse({ type: ReservationView, description: 'Already reserved by you' })
  @ApiProblems(409)
  async reserve(
    @Param('eventId', UuidPipe) eventId: string,
    @Param('seatId', UuidPipe) seatId: string,
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReservationView> {
    const { body, created } = await this.seats.reserve(eventId, seatId, user);
    void reply.status(created ? 201 : 200);
    return body;
  }

  @Delete('seats/:seatId/reservation')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Cancel a seat’s reservation before the event starts',
    description:
      'By the user who reserved it, the manager who created the event, or an admin. The seat is free again at once: offered to the first fitting entry of the waiting line (held for them for WAITLIST_OFFER_SECONDS), else available. 404 when the seat is not reserved (also for a repeated cancel); 403 for a reservation of someone else; 409 EVENT_STARTED once the event has started.',
  })
  @ApiNoContentResponse({ description: 'Cancelled' })
  @ApiProblems(403, 409)
  cancelReservation(
    @Param('eventId', UuidPipe) eventId: string,
    @Param('seatId', UuidPipe) seatId: string,
    @CurrentUser() user: AuthUser,
  ): Promise<void> {
    return this.seats.cancelReservation(eventId, seatId, user);
  }

  @Post('holds')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Hold several seats at once, all or nothing',
    description:
      'Either {seatIds} (1..10) or {quantity, categoryId?, adjacent?, accessible?}: the best free seats of the category (without it: of the whole event) by the layout’s order (lowest rank, then front rows, then the centre of the row; for numberOfSeats events the lowest numbers), in one row with consecutive positions with adjacent: true, accessible ones only with accessible: true; picked and held in one step, all or nothing. Holds that ran out are offered to the waiting line before they count as free. 409 NOT_ENOUGH_SEATS (with `available`: the free seats of the category or event) when too few fit, also when none of the first 1,000 free seats (in that order) of the category or event fit the request (a bound on one call’s work: fitting seats further back are not searched); changed in issue 19: {quantity, adjacent} with too few answered SEAT_UNAVAILABLE before (breaking); 409 SEAT_UNAVAILABLE names in seatIds the given seats that were not available; 409 HOLD_RENEWAL_LIMIT names the seats you renewed HOLD_MAX_RENEWALS times in a row (best available: only when no other seats would do); 409 HOLD_LIMIT_REACHED; 409 EVENT_STARTED once the event has started.',
  })
  @ApiOkResponse({ type: HoldsView })
  @ApiProblems(409)
  holdMany(
    @Param('eventId', UuidPipe) eventId: string,
    @Body() dto: HoldSeatsDto,
    @CurrentUser() user: AuthUser,
  ): Promise<HoldsView> {
    return this.seats.holdMany(eventId, dto, user);
  }

  @Post('reservations')
  @Idempotent()
  @ApiOperation({
    summary: 'Reserve several held seats at once, all or nothing',
    description:
      '201 when anything was reserved now, 200 when all were yours already. 409 HOLD_REQUIRED names the seats you do not hold; 409 EVENT_STARTED once the event has started.',
  })
  @ApiCreatedResponse({ type: ReservationsView })
  @ApiProblems(409)
  async reserveMany(
    @Param('eventId', UuidPipe) eventId: string,
    @Body() dto: SeatIdsDto,
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReservationsView> {
    const { body, created } = await this.seats.reserveMany(eventId, dto.seatIds, user);
    void reply.status(created ? 201 : 200);
    return body;
  }
}
