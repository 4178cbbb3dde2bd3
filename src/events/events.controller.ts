import { Body, Controller, Get, Header, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public, Roles } from '../auth/auth.decorators.js';
import { ApiProblems, ApiSignedIn } from '../common/api-docs.js';
import { PageQuery } from '../common/pagination.js';
import type { Page } from '../common/pagination.js';
import { UuidPipe } from '../common/validation.js';
import { BodyLimit } from '../common/route-config.js';
import type { AuthUser } from '../auth/auth-user.js';
import { CreateEventDto, EventDetailView, EventView, EventsPage, SeatView, SeatsQuery } from './events.dto.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { EventsService } from './events.service.js';

/**
 * The body limit of POST /v1/events: an explicit layout of 20,000 seats with the longest labels and category ids
 * and every optional field is about 2.6 MB of compact JSON, twice that pretty-printed. BODY_LIMIT_BYTES set higher
 * (up to 10 MiB) applies here too: the route's limit is the larger of the two.
 */
export const CREATE_EVENT_BODY_LIMIT = 8 * 1024 * 1024;

@ApiTags('events')
@ApiProblems(400, 503)
@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Post()
  @Roles('manager', 'admin')
  @Idempotent()
  @BodyLimit(CREATE_EVENT_BODY_LIMIT)
  @ApiOperation({
    summary: 'Create an event with numbered seats or a venue layout (manager, admin)',
    description:
      'Either numberOfSeats (seats 1..N) or a layout of up to 20,000 seats: categories with prices, sections of ' +
      'rows of labelled seats (a row may be given as {label, count, firstLabel}). This route takes bodies up to ' +
      `${CREATE_EVENT_BODY_LIMIT / 1024 / 1024} MiB (${CREATE_EVENT_BODY_LIMIT} bytes, or BODY_LIMIT_BYTES when that ` +
      'is set higher; other routes: BODY_LIMIT_BYTES), ' +
      'enough for an explicit 20,000-seat layout. ' +
      'Its seats can be held and reserved until startsAt (then 409 EVENT_STARTED). startsAt must be in the future ' +
      '(422 EVENT_STARTS_IN_PAST). Without startsAt the event has no date yet and never starts: it stays bookable.',
  })
  @ApiSignedIn()
  @ApiProblems(403, 422)
  @ApiCreatedResponse({ type: EventView })
  create(@Body() dto: CreateEventDto, @CurrentUser() user: AuthUser): Promise<EventView> {
    return this.events.create(dto, user);
  }

  @Public()
  @Get()
  @ApiOperation({ summary: 'Events, newest first, cursor-paginated' })
  @ApiOkResponse({ type: EventsPage })
  list(@Query() query: PageQuery): Promise<Page<EventView>> {
    return this.events.list(query.limit, query.cursor);
  }

  @Public()
  @Get(':eventId')
  @ApiOperation({ summary: 'One event with its seat counts, its categories with current prices and its layout ETag' })
  @ApiOkResponse({ type: EventDetailView })
  @ApiProblems(404)
  get(@Param('eventId', UuidPipe) eventId: string): Promise<EventDetailView> {
    return this.events.get(eventId);
  }

  @Public()
  @Get(':eventId/seats')
  @ApiOperation({
    summary: 'Available seats in layout order',
    description:
      'With ?status=all every seat and its status (available, held, reserved); never who holds it. ?section= ' +
      'keeps one section’s seats (404 for a name the event has no section by). Each seat says where it is ' +
      '(section, row, label) and its categoryId. At 20,000 seats this is megabytes: a chart client reads ' +
      'GET /layout once (cacheable) and GET /seat-status.',
  })
  @ApiOkResponse({ type: [SeatView] })
  @ApiProblems(404)
  @Header('content-type', 'application/json; charset=utf-8')
  async seats(@Param('eventId', UuidPipe) eventId: string, @Query() query: SeatsQuery): Promise<Buffer> {
    return this.events.seatMapJson(eventId, query.status ?? 'available', query.section);
  }
}
