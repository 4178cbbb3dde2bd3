import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { AccessTokens } from '../auth/access-tokens.js';
import { isUuid } from '../common/validation.js';
import { EventsRepository } from '../events/events.repository.js';
import { LiveEvents } from './live-events.js';
import type { Unsubscribe } from './live-events.js';
import { followSeats } from './seat-subscription.js';

export const WS_PATH = '/v1/live';
const MAX_MESSAGE_BYTES = 4096;
const MAX_SUBSCRIPTIONS = 20;
const PING_MS = 30_000;

/**
 * The WebSocket endpoint (plain `ws`, so a browser's own WebSocket is the whole client). Connect to
 * `/v1/live?access_token=<JWT>`; an absent, malformed or expired token is refused at the handshake (HTTP 401 with a
 * JSON reason). Each socket receives its user's own events; `{type: "subscribe", eventId, lastSeq?}` adds an
 * event's seat map. The protocol is in docs/live-updates.md.
 */
@Injectable()
export class LiveGateway implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('LiveGateway');
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private pinger: NodeJS.Timeout | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly tokens: AccessTokens,
    private readonly events: EventsRepository,
    private readonly live: LiveEvents,
  ) {}

  onApplicationBootstrap(): void {
    // A worker process (an application context) has no HTTP server and no sockets to serve.
    if (!this.adapterHost.httpAdapter) return;
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
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

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== WS_PATH) {
      refuse(socket, 404, 'NOT_FOUND', `WebSocket connections go to ${WS_PATH}`);
      return;
    }
    const token = url.searchParams.get('access_token');
    if (!token) {
      refuse(socket, 401, 'UNAUTHORIZED', 'Pass your access token as ?access_token=');
      return;
    }
    let userId: string;
    try {
      userId = this.tokens.verify(token).id;
    } catch {
      refuse(socket, 401, 'UNAUTHORIZED', 'The access token is invalid or expired');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.serve(ws, userId));
  }

  private serve(ws: WebSocket, userId: string): void {
    const send = (message: object) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(message));
    const subscriptions = new Map<string, Unsubscribe>();
    const stopUser = this.live.onUserEvent(userId, (event) => send(event));
    // The welcome means "from now on you hear about yourself": sent once the subscription is live.
    void this.live.listening().then(() => send({ type: 'welcome', userId, serverTime: new Date().toISOString() }));

    ws.on('message', (raw: Buffer, isBinary: boolean) => {
      void this.handle(raw, isBinary, send, subscriptions).catch((error: Error) => {
        this.logger.warn(`socket message failed: ${error.message}`);
        send({ type: 'error', code: 'SERVICE_UNAVAILABLE', message: 'Could not handle the message; retry' });
      });
    });
    ws.on('close', () => {
      stopUser();
      for (const stop of subscriptions.values()) stop();
      subscriptions.clear();
    });
    ws.on('error', () => ws.terminate());
  }

  private async handle(
    raw: Buffer,
    isBinary: boolean,
    send: (message: object) => void,
    subscriptions: Map<string, Unsubscribe>,
  ): Promise<void> {
    if (isBinary || raw.length > MAX_MESSAGE_BYTES) {
      send({
        type: 'error',
        code: 'BAD_MESSAGE',
        message: `Send JSON text messages of at most ${MAX_MESSAGE_BYTES} bytes`,
      });
      return;
    }
    let message: { type?: unknown; eventId?: unknown; lastSeq?: unknown };
    try {
      message = JSON.parse(raw.toString('utf8'));
    } catch {
      send({ type: 'error', code: 'BAD_MESSAGE', message: 'Messages are JSON objects' });
      return;
    }
    if (typeof message !== 'object' || message === null) {
      send({ type: 'error', code: 'BAD_MESSAGE', message: 'Messages are JSON objects' });
      return;
    }
    const { type, eventId, lastSeq } = message;
    if ((type !== 'subscribe' && type !== 'unsubscribe') || !isUuid(eventId)) {
      send({
        type: 'error',
        code: 'BAD_MESSAGE',
        message: 'Send {"type":"subscribe"|"unsubscribe","eventId":"<uuid>"}',
      });
      return;
    }
    if (type === 'unsubscribe') {
      subscriptions.get(eventId)?.();
      subscriptions.delete(eventId);
      send({ type: 'unsubscribed', eventId });
      return;
    }
    if (lastSeq !== undefined && (!Number.isSafeInteger(lastSeq) || (lastSeq as number) < 0)) {
      send({ type: 'error', code: 'BAD_MESSAGE', eventId, message: 'lastSeq must be a non-negative integer' });
      return;
    }
    if (subscriptions.has(eventId)) {
      send({ type: 'error', code: 'ALREADY_SUBSCRIBED', eventId, message: 'Already subscribed to this event' });
      return;
    }
    if (subscriptions.size >= MAX_SUBSCRIPTIONS) {
      send({
        type: 'error',
        code: 'TOO_MANY_SUBSCRIPTIONS',
        eventId,
        message: `At most ${MAX_SUBSCRIPTIONS} events per socket`,
      });
      return;
    }
    if (!(await this.events.findPlan(eventId))) {
      send({ type: 'error', code: 'NOT_FOUND', eventId, message: 'No such event' });
      return;
    }
    subscriptions.set(eventId, () => undefined); // reserved while the replay runs
    let followed: Awaited<ReturnType<typeof followSeats>>;
    try {
      followed = await followSeats(
        this.live,
        eventId,
        lastSeq as number | undefined,
        (update) => send({ type: 'seat.updated', ...update }),
        () => send({ type: 'resync', eventId, message: 'Too many changes were missed: list the seats again' }),
      );
    } catch {
      subscriptions.delete(eventId); // free the place: the client may simply try again
      send({ type: 'error', code: 'SERVICE_UNAVAILABLE', eventId, message: 'Try subscribing again shortly' });
      return;
    }
    const { seq, stop } = followed;
    if (!subscriptions.has(eventId)) {
      stop(); // the socket closed (or unsubscribed) while the replay ran
      return;
    }
    subscriptions.set(eventId, stop);
    send({ type: 'subscribed', eventId, seq });
  }
}

function refuse(socket: Duplex, status: number, code: string, detail: string): void {
  const body = JSON.stringify({ status, code, detail });
  socket.end(
    `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Not Found'}\r\ncontent-type: application/problem+json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
