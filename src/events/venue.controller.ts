import { Body, Controller, Get, Header, Headers, Param, Patch, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Public, Roles } from '../auth/auth.decorators.js';
import { ApiProblems, ApiSignedIn } from '../common/api-docs.js';
import { GzipCopies, acceptsGzip } from '../common/gzip.js';
import { UuidPipe } from '../common/validation.js';
import { varyWith } from '../common/vary.js';
import type { AuthUser } from '../auth/auth-user.js';
import { CategoryView, LayoutView, SeatStatusView, SetPriceDto } from './venue.dto.js';
import { parsePrice } from './layout.validator.js';
import { VenueService } from './venue.service.js';

/** The chart never changes: a year, and `immutable` so browsers do not even revalidate it on reload. */
const LAYOUT_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/**
 * Charts from this size on are sent gzipped to clients that accept it (a 20,000-seat chart: about 1.9 MB, a quarter of
 * that gzipped: the seat ids, random UUIDs, are most of what is left); smaller ones gain too little to be worth a
 * second representation.
 */
const GZIP_FROM_BYTES = 8 * 1024;

/** Gzipped charts kept per process: about 70 of 20,000 seats (about 470 KB each), least recently used go first. */
const GZIP_CACHE_BYTES = 32 * 1024 * 1024;

/** True when If-None-Match names this ETag (or is `*`); weak comparison, as RFC 9110 asks for If-None-Match. */
const matches = (ifNoneMatch: string | undefined, etag: string) =>
  ifNoneMatch?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*') ?? false;

@ApiTags('events')
@ApiProblems(400, 503)
@Controller('events/:eventId')
export class VenueController {
  private readonly gzipped = new GzipCopies(GZIP_CACHE_BYTES);

  constructor(private readonly venues: VenueService) {}

  @Public()
  @Get('layout')
  @ApiOperation({
    summary: 'The static seating chart: sections, rows, seats with labels, categories and accessibility',
    description:
      'Never changes once the event exists (prices are not in it: GET /v1/events/{id} has them), so it has a strong ' +
      `ETag and \`Cache-Control: ${LAYOUT_CACHE_CONTROL}\`; If-None-Match with the ETag answers 304 without a body. ` +
      'The seats are in layout order, the order of GET /seat-status. A chart of 8 KiB or more is sent gzipped ' +
      '(`Content-Encoding: gzip`, `Vary: Accept-Encoding`) when Accept-Encoding allows it, with the weak form of the ' +
      'same ETag (`W/"…"`); If-None-Match with either form answers 304.',
  })
  @ApiHeader({ name: 'If-None-Match', required: false })
  @ApiOkResponse({ type: LayoutView })
  @ApiResponse({ status: 304, description: 'Not modified: the chart you have is the chart' })
  @ApiProblems(404)
  async layout(
    @Param('eventId', UuidPipe) eventId: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Headers('accept-encoding') acceptEncoding: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer | undefined> {
    const { json, etag } = await this.venues.layout(eventId);
    const gzip = json.length >= GZIP_FROM_BYTES && acceptsGzip(acceptEncoding);
    // The gzipped chart is another representation of the same chart: the weak form of its ETag (as nginx does), so
    // a strong comparison never takes one for the other and If-None-Match (weak comparison) matches either.
    void reply
      .header('etag', gzip ? `W/${etag}` : etag)
      .header('cache-control', LAYOUT_CACHE_CONTROL)
      .header('vary', varyWith(reply.getHeader('vary'), 'Accept-Encoding'));
    if (matches(ifNoneMatch, etag)) {
      void reply.status(304);
      return undefined;
    }
    void reply.header('content-type', 'application/json; charset=utf-8');
    if (!gzip) return json;
    void reply.header('content-encoding', 'gzip');
    return this.gzipped.of(etag, json);
  }

  @Public()
  @Get('seat-status')
  @ApiOperation({
    summary: 'Every seat’s status now, one character per seat in layout order, with the sequence number',
    description:
      '`a` available, `h` held, `r` reserved, `o` offered (held for someone on the waiting list). `seq` is read in ' +
      'the same step as the states: read this first, then subscribe from it (SSE `?lastSeq=<seq>`, WebSocket ' +
      'subscribe `lastSeq`) and apply seat.updated messages with a higher seq (docs/live-updates.md, "A venue ' +
      'chart"); a stream opened without lastSeq at the same time can miss a change. 20,000 seats are 20 KB.',
  })
  @ApiOkResponse({ type: SeatStatusView })
  @ApiProblems(404)
  @Header('cache-control', 'no-store')
  seatStatus(@Param('eventId', UuidPipe) eventId: string): Promise<SeatStatusView> {
    return this.venues.seatStatus(eventId);
  }

  @Patch('categories/:categoryId')
  @Roles('manager', 'admin')
  @ApiSignedIn()
  @ApiOperation({
    summary: 'Change a category’s current price (the manager who created the event, or an admin)',
    description:
      '{price: {amount, currency}} (minor units, ISO 4217) or {price: null}. Seats reserved before keep the price ' +
      'they were reserved at. Not announced: a price change is no seat change, so it is not on the seat stream ' +
      '(no seat.updated, no seq); clients read current prices from GET /v1/events/{id} (categories). 403 for ' +
      'anyone else; 404 for a category the event does not have.',
  })
  @ApiOkResponse({ type: CategoryView })
  @ApiProblems(403, 404)
  setPrice(
    @Param('eventId', UuidPipe) eventId: string,
    @Param('categoryId') categoryId: string,
    @Body() dto: SetPriceDto,
    @CurrentUser() user: AuthUser,
  ): Promise<CategoryView> {
    return this.venues.setPrice(eventId, categoryId, parsePrice(dto.price), user);
  }
}
