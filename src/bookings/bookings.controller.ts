import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../auth/auth.decorators.js';
import { ApiProblems, ApiSignedIn } from '../common/api-docs.js';
import type { Page } from '../common/pagination.js';
import { UuidPipe } from '../common/validation.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import type { AuthUser } from '../auth/auth-user.js';
import { BookingView, BookingsPage, BookingsQuery, CreateBookingDto, UpdateBookingDto } from './bookings.dto.js';
import { BookingsService, bookingView, etagOf } from './bookings.service.js';

@ApiTags('bookings')
@ApiSignedIn()
@ApiProblems(400, 503)
@Controller('bookings')
export class BookingsController {
  constructor(private readonly bookings: BookingsService) {}

  @Post()
  @Idempotent()
  @ApiOperation({
    summary: 'Add a booking',
    description:
      'An identical booking of yours (same type, title, start and end) is returned with 200 instead of a copy.',
  })
  @ApiCreatedResponse({ type: BookingView, description: 'Created; ETag and Location headers' })
  @ApiOkResponse({ type: BookingView, description: 'You already had this booking' })
  async create(
    @Body() dto: CreateBookingDto,
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BookingView> {
    const { booking, created } = await this.bookings.create(dto, user);
    void reply.status(created ? 201 : 200).header('etag', etagOf(booking));
    if (created) void reply.header('location', `/v1/bookings/${booking.id}`);
    return bookingView(booking);
  }

  @Get()
  @ApiOperation({ summary: 'Your bookings by start time, cursor-paginated (admins: anyone’s)' })
  @ApiOkResponse({ type: BookingsPage })
  @ApiProblems(403)
  list(@Query() query: BookingsQuery, @CurrentUser() user: AuthUser): Promise<Page<BookingView>> {
    return this.bookings.list(query, user);
  }

  @Get(':bookingId')
  @ApiOperation({ summary: 'One booking, with its ETag; If-None-Match with that ETag answers 304' })
  @ApiHeader({ name: 'If-None-Match', required: false })
  @ApiOkResponse({ type: BookingView })
  @ApiResponse({ status: 304, description: 'Not modified' })
  @ApiProblems(404)
  async get(
    @Param('bookingId', UuidPipe) bookingId: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BookingView | undefined> {
    const booking = await this.bookings.get(bookingId, user);
    const etag = etagOf(booking);
    void reply.header('etag', etag);
    if (ifNoneMatch?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*')) {
      void reply.status(304);
      return undefined;
    }
    return bookingView(booking);
  }

  @Patch(':bookingId')
  @ApiOperation({
    summary: 'Change a booking',
    description: 'Needs If-Match with the ETag you read: 428 without, 412 when someone changed it meanwhile.',
  })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag of the booking you read, e.g. "3"' })
  @ApiOkResponse({ type: BookingView })
  @ApiProblems(404, 412, 428)
  async update(
    @Param('bookingId', UuidPipe) bookingId: string,
    @Body() dto: UpdateBookingDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BookingView> {
    const booking = await this.bookings.update(bookingId, dto, ifMatch, user);
    void reply.header('etag', etagOf(booking));
    return bookingView(booking);
  }

  @Delete(':bookingId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a booking (If-Match optional: when sent, it must be current)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(404, 412)
  delete(
    @Param('bookingId', UuidPipe) bookingId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() user: AuthUser,
  ): Promise<void> {
    return this.bookings.delete(bookingId, ifMatch, user);
  }
}
