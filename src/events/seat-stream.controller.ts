import type { ServerResponse } from 'node:http';
import { Controller, Get, Headers, Param, Query, Req, Res } from '@nestjs/common';
import type { BeforeApplicationShutdown } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/auth.decorators.js';
import { ApiProblems } from '../common/api-docs.js';
import { ValidationFailedError } from '../common/domain-error.js';
import { UuidPipe } from '../common/validation.js';
import { AppConfig } from '../config/app-config.js';
import type { AuthUser } from '../auth/auth-user.js';
import { addressBucket } from '../auth/request-rate-limit.guard.js';
import { ConnectionCounter } from '../notifications/live-limits.js';
import { TooManyConnectionsError } from '../notifications/live.errors.js';
import { EventsService } from './events.service.js';
import { SeatChanges } from './seat-changes.js';
import { followSeats } from './seat-subscription.js';

const HEARTBEAT_MS = 15_000;

/** Server-Sent Events: the same seat.updated messages as the WebSocket, for clients that only speak HTTP. */
@ApiTags('live')
@Controller('events/:eventId/seats/stream')
export class SeatStreamController implements BeforeApplicationShutdown {
  /** Open streams, ended by the server when it shuts down: they would otherwise hold the shutdown until it times out. */
  private readonly open = new Set<ServerResponse>();

  /** Open streams per signed-in user, and per address of anonymous clients, on this instance. */
  private readonly userStreams: ConnectionCounter;
  private readonly anonymousStreams: ConnectionCounter;

  constructor(
    private readonly events: EventsService,
    private readonly changes: SeatChanges,
    config: AppConfig,
  ) {
    this.userStreams = new ConnectionCounter(config.liveMaxStreamsPerClient);
    this.anonymousStreams = new ConnectionCounter(config.liveMaxStreamsPerAddress);
  }

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
      'Last-Event-ID (or pass ?lastSeq=). When too much was missed, or the sequence given is ahead of the event’s, a ' +
      '`resync` event says to list the seats again. At most LIVE_MAX_STREAMS_PER_CLIENT open streams per signed-in ' +
      'user and LIVE_MAX_STREAMS_PER_ADDRESS per address of anonymous clients, per instance; the next is a 429.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false })
  @ApiQuery({ name: 'lastSeq', required: false, type: Number })
  @ApiOkResponse({ description: 'An endless event stream' })
  @ApiProblems(400, 404, 429, 503)
  async stream(
    @Param('eventId', UuidPipe) eventId: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Query('lastSeq') lastSeqQuery: string | undefined,
    @Req() request: FastifyRequest & { user?: AuthUser },
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const raw = lastEventId ?? lastSeqQuery;
    if (raw !== undefined && !/^\d{1,15}$/.test(raw))
      throw ValidationFailedError.field('lastSeq', 'must be a non-negative integer');
    const anonymous = !request.user;
    const client = anonymous ? `ip:${addressBucket(request.ip)}` : `user:${request.user!.id}`;
    const counter = anonymous ? this.anonymousStreams : this.userStreams;
    const release = counter.tryOpen(client);
    if (!release) throw new TooManyConnectionsError('seat-map streams', counter.max);
    const out = reply.raw;
    // Everything a stream holds is let go here, armed before the first await: whatever ends the answer (a refusal
    // below, the client leaving while Redis is read, the shutdown) ends the stream's timer, listener and count.
    let closed = false;
    const held: { heartbeat?: NodeJS.Timeout; stop?: () => void } = {};
    out.once('close', () => {
      closed = true;
      release();
      this.open.delete(out);
      clearInterval(held.heartbeat);
      held.stop?.();
    });
    // The start is taken before answering (404 first), so every change after the response starts is delivered.
    const [, from] = await Promise.all([
      this.events.plan(eventId),
      raw === undefined ? this.changes.currentSeq(eventId) : Number(raw),
    ]);
    reply.hijack();
    // The client left while Redis was read: nothing to start.
    if (closed) return;
    out.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': String(request.id),
    });
    // The id makes a reconnecting EventSource resume from the start even when no change came before it left.
    out.write(`retry: 2000\nid: ${from}\n\n`);
    held.heartbeat = setInterval(() => out.write(': ping\n\n'), HEARTBEAT_MS);
    this.open.add(out);
    try {
      const following = await followSeats(this.changes, eventId, from, {
        update: (update) => out.write(`id: ${update.seq}\nevent: seat.updated\ndata: ${JSON.stringify(update)}\n\n`),
        resync: (seq) => out.write(`id: ${seq}\nevent: resync\ndata: ${JSON.stringify({ eventId, seq })}\n\n`),
      });
      // A client that left during the replay is not listened for.
      if (closed) following();
      else held.stop = following;
    } catch {
      // The headers are sent: say so on the stream and end it; the client reconnects with its Last-Event-ID.
      out.end(`event: error\ndata: ${JSON.stringify({ eventId, code: 'SERVICE_UNAVAILABLE' })}\n\n`);
    }
  }
}
