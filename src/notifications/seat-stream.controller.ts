import type { ServerResponse } from 'node:http';
import { Controller, Get, Headers, Param, Query, Req, Res } from '@nestjs/common';
import type { BeforeApplicationShutdown } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/auth.decorators.js';
import { ApiProblems } from '../common/api-docs.js';
import { ValidationFailedError } from '../common/domain-error.js';
import { UuidPipe } from '../common/validation.js';
import { EventsService } from '../events/events.service.js';
import { LiveEvents } from './live-events.js';
import { followSeats } from './seat-subscription.js';

const HEARTBEAT_MS = 15_000;

/** Server-Sent Events: the same seat.updated messages as the WebSocket, for clients that only speak HTTP. */
@ApiTags('live')
@Controller('events/:eventId/seats/stream')
export class SeatStreamController implements BeforeApplicationShutdown {
  /** Open streams, ended by the server when it shuts down: they would otherwise hold the shutdown until it times out. */
  private readonly open = new Set<ServerResponse>();

  constructor(
    private readonly events: EventsService,
    private readonly live: LiveEvents,
  ) {}

  /** Before the HTTP server closes (it waits for open connections): EventSource reconnects, to another instance. */
  beforeApplicationShutdown(): void {
    for (const out of this.open) out.end();
    this.open.clear();
  }

  @Public()
  @Get()
  @ApiOperation({
    summary: 'Follow an event’s seat map (Server-Sent Events)',
    description:
      'text/event-stream of `seat.updated` events; each has `id: <seq>`, so a reconnecting EventSource resumes with ' +
      'Last-Event-ID (or pass ?lastSeq=). When too much was missed a `resync` event says to list the seats again.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false })
  @ApiQuery({ name: 'lastSeq', required: false, type: Number })
  @ApiOkResponse({ description: 'An endless event stream' })
  @ApiProblems(400, 404, 503)
  async stream(
    @Param('eventId', UuidPipe) eventId: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Query('lastSeq') lastSeqQuery: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const raw = lastEventId ?? lastSeqQuery;
    if (raw !== undefined && !/^\d{1,15}$/.test(raw))
      throw ValidationFailedError.field('lastSeq', 'must be a non-negative integer');
    await this.events.plan(eventId); // 404 before the stream starts
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': String(request.id),
    });
    out.write('retry: 2000\n\n');
    // Cleanup is armed before the replay: a client may leave while it runs, and Redis may fail during it.
    const heartbeat = setInterval(() => out.write(': ping\n\n'), HEARTBEAT_MS);
    let stop: (() => void) | undefined;
    let closed = false;
    this.open.add(out);
    request.raw.on('close', () => {
      closed = true;
      this.open.delete(out);
      clearInterval(heartbeat);
      stop?.();
    });
    try {
      ({ stop } = await followSeats(
        this.live,
        eventId,
        raw === undefined ? undefined : Number(raw),
        (update) => out.write(`id: ${update.seq}\nevent: seat.updated\ndata: ${JSON.stringify(update)}\n\n`),
        () => out.write(`event: resync\ndata: ${JSON.stringify({ eventId })}\n\n`),
      ));
    } catch {
      // The headers are sent: say so on the stream and end it; the client reconnects with its Last-Event-ID.
      clearInterval(heartbeat);
      out.end(`event: error\ndata: ${JSON.stringify({ eventId, code: 'SERVICE_UNAVAILABLE' })}\n\n`);
      return;
    }
    if (closed) stop();
  }
}
