import { ServerResponse } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { AccessTokens } from '../auth/access-tokens.js';
import { Clock } from '../common/clock.js';
import { DomainError, UnauthorizedError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-codes.js';
import { AppConfig } from '../config/app-config.js';
import { EventsRepository } from '../events/events.repository.js';
import { SeatChanges } from '../events/seat-changes.js';
import { followSeats } from '../events/seat-subscription.js';
import { ConnectionCounter, MessageBudget } from '../notifications/live-limits.js';
import { TooManyConnectionsError } from '../notifications/live.errors.js';
import { LiveEvents } from '../notifications/live-events.js';
import type { Unsubscribe } from '../notifications/live-events.js';
import { readClientMessage, socketError } from './socket-messages.js';
import type { SocketError } from './socket-messages.js';

export const WS_PATH = '/v1/live';
const MAX_SUBSCRIPTIONS = 20;
const PING_MS = 30_000;
/** WebSocket close code "policy violation": the socket sent more messages than allowed. */
const POLICY_VIOLATION = 1008;
/** The server cannot serve the socket now; the client should reconnect later (RFC 6455 registry: 1013 Try Again Later). */
const TRY_AGAIN_LATER = 1013;

/** One socket's state. Its messages are handled one at a time, in order (`queue`). */
interface Session {
  readonly ws: WebSocket;
  readonly send: (message: object) => void;
  readonly subscriptions: Map<string, Unsubscribe>;
  readonly budget: MessageBudget;
  queue: Promise<void>;
  closed: boolean;
}

/**
 * The WebSocket endpoint (plain `ws`, so a browser's own WebSocket is the whole client). Connect to
 * `/v1/live?access_token=<JWT>`; an absent, malformed or expired token is refused at the handshake (HTTP 401
 * problem+json), and so is a user's socket beyond LIVE_MAX_SOCKETS_PER_CLIENT (429). Each socket receives its user's
 * own events; `{type: "subscribe", eventId, lastSeq?}` adds an event's seat map. The protocol is in
 * docs/live-updates.md.
 */
@Injectable()
export class LiveGateway implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('LiveGateway');
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly sockets: ConnectionCounter;
  /** Handshakes refused before the upgrade, with why: LiveHandshakeController answers them over HTTP. */
  private readonly refusals = new WeakMap<IncomingMessage, DomainError>();
  private server: Server | undefined;
  private pinger: NodeJS.Timeout | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly tokens: AccessTokens,
    private readonly events: EventsRepository,
    private readonly live: LiveEvents,
    private readonly seatChanges: SeatChanges,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.sockets = new ConnectionCounter(config.liveMaxSocketsPerClient);
  }

  onApplicationBootstrap(): void {
    // A worker process (an application context) has no HTTP server and no sockets to serve.
    if (!this.adapterHost.httpAdapter) return;
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.server = server;
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(request, socket, head),
    );
    const alive = new WeakSet<WebSocket>();
    this.pinger = setInterval(() => {
      for (const client of this.wss.clients) {
        if (!alive.has(client)) {
          client.terminate();
          continue;
        }
        alive.delete(client);
        client.ping();
      }
    }, PING_MS).unref();
    this.wss.on('connection', (ws) => {
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
    });
  }

  /** Before the HTTP server closes (it waits for open connections): say goodbye, then cut who does not answer. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.pinger);
    const clients = [...this.wss.clients];
    for (const client of clients) client.close(1001, 'server shutting down');
    await new Promise((resolve) => setTimeout(resolve, clients.length ? 200 : 0));
    for (const client of clients) client.terminate();
    this.wss.close();
  }

  /** Why the handshake of this request was refused; undefined when it was not a handshake refused here. */
  refusalOf(request: IncomingMessage): DomainError | undefined {
    return this.refusals.get(request);
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    // A target WHATWG URL cannot parse (`//[`) is no handshake of ours; thrown here, it would end the process.
    const url = URL.parse(request.url ?? '/', 'http://localhost');
    // Any other path: an ordinary request (an Upgrade header alone asks for no WebSocket here).
    if (!url || url.pathname !== WS_PATH) return this.answerOverHttp(request, socket);
    const admitted = this.admit(request, url);
    if (admitted instanceof DomainError) {
      this.refusals.set(request, admitted);
      return this.answerOverHttp(request, socket);
    }
    // The socket closes when the WebSocket ends, and also when the handshake fails: counted out either way.
    socket.once('close', admitted.release);
    this.wss.handleUpgrade(request, socket, head, (ws) => this.serve(ws, admitted.userId));
  }

  private admit(request: IncomingMessage, url: URL): { userId: string; release: () => void } | DomainError {
    // What `ws` would refuse with a bare text answer of its own is refused here, as problem+json like the rest.
    const { upgrade, 'sec-websocket-key': key, 'sec-websocket-version': version } = request.headers;
    if (
      request.method !== 'GET' ||
      upgrade?.toLowerCase() !== 'websocket' ||
      !key ||
      !/^[+/0-9A-Za-z]{22}==$/.test(key) ||
      (version !== '13' && version !== '8')
    ) {
      return new DomainError(
        ErrorCode.MalformedRequest,
        'Not a WebSocket handshake: send GET with Upgrade: websocket, Sec-WebSocket-Key and Sec-WebSocket-Version: 13',
      );
    }
    const token = url.searchParams.get('access_token');
    if (!token) return new UnauthorizedError('Pass your access token as ?access_token=');
    let userId: string;
    try {
      userId = this.tokens.verify(token).id;
    } catch {
      return new UnauthorizedError('The access token is invalid or expired');
    }
    const release = this.sockets.tryOpen(`user:${userId}`);
    if (!release) return new TooManyConnectionsError('WebSockets', this.config.liveMaxSocketsPerClient);
    return { userId, release };
  }

  /**
   * Answers a handshake as an ordinary HTTP request: Fastify routes it (to LiveHandshakeController, or to its 404),
   * so a refusal is the same problem+json, with request id, security headers and metrics, as every other answer.
   */
  private answerOverHttp(request: IncomingMessage, socket: Duplex): void {
    const response = new ServerResponse(request);
    response.shouldKeepAlive = false;
    response.assignSocket(socket as Socket);
    response.once('finish', () => {
      response.detachSocket(socket as Socket);
      socket.end();
    });
    this.server!.emit('request', request, response);
  }

  private serve(ws: WebSocket, userId: string): void {
    const session: Session = {
      ws,
      send: (message: object) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(message)),
      subscriptions: new Map(),
      budget: new MessageBudget(this.config.liveMaxMessagesPerSecond, this.clock),
      queue: Promise.resolve(),
      closed: false,
    };
    const stopUser = this.live.onUserEvent(userId, (event) => session.send(event));
    const end = () => {
      if (session.closed) return;
      session.closed = true;
      stopUser();
      for (const stop of session.subscriptions.values()) stop();
      session.subscriptions.clear();
    };
    // The welcome means "from now on you hear about yourself": sent once the subscription is live. When it could not
    // be made, the socket closes as "try again later" (1013): a client that reconnects starts a new attempt.
    void this.live.listening().then(
      () => session.send({ type: 'welcome', userId, serverTime: new Date().toISOString() }),
      () => {
        end();
        ws.close(TRY_AGAIN_LATER, 'Live updates unavailable; reconnect');
      },
    );

    ws.on('message', (raw: Buffer, isBinary: boolean) => {
      if (session.closed) return;
      if (!session.budget.take()) {
        end();
        ws.close(POLICY_VIOLATION, 'Too many messages');
        return;
      }
      // One message at a time, in order: the subscriptions are always what the last handled message asked for.
      session.queue = session.queue
        .then(() => (session.closed ? undefined : this.handle(raw, isBinary, session)))
        .catch((error: Error) => {
          this.logger.warn(`socket message failed: ${error.message}`);
          session.send(socketError(ErrorCode.ServiceUnavailable, 'Could not handle the message; retry'));
        });
    });
    ws.on('close', end);
    ws.on('error', () => ws.terminate());
  }

  /** One client message, read, then an unsubscribe or a subscribe; one it cannot act on is answered with an error. */
  private async handle(raw: Buffer, isBinary: boolean, session: Session): Promise<void> {
    const message = readClientMessage(raw, isBinary);
    if (message.type === 'error') {
      session.send(message);
      return;
    }
    if (message.type === 'unsubscribe') {
      this.unsubscribe(session, message.eventId);
      return;
    }
    await this.subscribe(session, message.eventId, message.lastSeq);
  }

  private unsubscribe(session: Session, eventId: string): void {
    session.subscriptions.get(eventId)?.();
    session.subscriptions.delete(eventId);
    session.send({ type: 'unsubscribed', eventId });
  }

  /** Adds an event's seat map to the socket: the changes after `lastSeq` (or from now), then live ones. */
  private async subscribe(session: Session, eventId: string, lastSeq: number | undefined): Promise<void> {
    const refusal = this.refuseSubscription(session, eventId);
    if (refusal) {
      session.send(refusal);
      return;
    }
    const stop = await this.followEvent(session, eventId, lastSeq);
    if (!stop) return;
    if (session.closed) {
      stop(); // the socket closed while the replay ran
      return;
    }
    session.subscriptions.set(eventId, stop);
  }

  private refuseSubscription(session: Session, eventId: string): SocketError | undefined {
    if (session.subscriptions.has(eventId)) {
      return socketError(ErrorCode.AlreadySubscribed, 'Already subscribed to this event', eventId);
    }
    if (session.subscriptions.size >= MAX_SUBSCRIPTIONS) {
      return socketError(ErrorCode.TooManySubscriptions, `At most ${MAX_SUBSCRIPTIONS} events per socket`, eventId);
    }
    return undefined;
  }

  /**
   * Starts following the event's seats, sending the replay, `subscribed` and then live changes; undefined when there
   * is no such event or Redis failed (the client has been told which).
   */
  private async followEvent(
    session: Session,
    eventId: string,
    lastSeq: number | undefined,
  ): Promise<Unsubscribe | undefined> {
    const { send } = session;
    try {
      // Without lastSeq the start is the sequence as this message is handled: every later change reaches the socket.
      const [plan, from] = await Promise.all([
        this.events.findPlan(eventId),
        lastSeq === undefined ? this.seatChanges.currentSeq(eventId) : lastSeq,
      ]);
      if (!plan) {
        send(socketError(ErrorCode.NotFound, 'No such event', eventId));
        return undefined;
      }
      return await followSeats(this.seatChanges, eventId, from, {
        update: (update) => send({ type: 'seat.updated', ...update }),
        resync: (seq) =>
          send({ type: 'resync', eventId, seq, message: 'Changes were missed or are unknown: list the seats again' }),
        ready: (seq) => send({ type: 'subscribed', eventId, seq }),
      });
    } catch {
      send(socketError(ErrorCode.ServiceUnavailable, 'Try subscribing again shortly', eventId));
      return undefined;
    }
  }
}
