import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';

/** One request the receiver got. */
export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly id: string;
}

/** What the receiver does with a request: answer a status (with headers), or hang (never answer). */
export type Reply = { status: number; headers?: Record<string, string> } | 'hang';

/**
 * A real HTTP receiver on loopback (node:http), as a customer's system would run one: records every request and
 * answers what `reply` says (200 by default). `until` waits for a condition on what arrived, without fixed sleeps.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  reply: (request: Received, index: number) => Reply = () => ({ status: 200 });
  private readonly waiters = new Set<() => void>();
  private readonly hanging: ServerResponse[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(path = '/hook'): Promise<WebhookReceiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    const receiver = new WebhookReceiver(server, `http://127.0.0.1:${address.port}${path}`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () =>
        receiver.handle(
          { headers: req.headers, body: Buffer.concat(chunks).toString(), id: String(req.headers['webhook-id']) },
          res,
        ),
      );
    });
    return receiver;
  }

  private handle(request: Received, res: ServerResponse): void {
    const index = this.received.length;
    this.received.push(request);
    const reply = this.reply(request, index);
    if (reply === 'hang') this.hanging.push(res);
    else res.writeHead(reply.status, reply.headers).end();
    for (const wake of this.waiters) wake();
  }

  /** Requests with this webhook-id. */
  of(id: string): Received[] {
    return this.received.filter((r) => r.id === id);
  }

  async until(condition: (received: readonly Received[]) => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition(this.received)) {
      if (Date.now() > deadline) throw new Error(`receiver: condition not met; got ${this.received.length} requests`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, 200);
        this.waiters.add(wake);
      });
    }
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * The Standard Webhooks check a receiver runs, written from the specification (not the service's code): HMAC-SHA256
 * keyed with the base64 part of `whsec_...`, over `<webhook-id>.<webhook-timestamp>.<body>`, base64, prefixed `v1,`;
 * any one of the space-separated signatures may match.
 */
export function verifyStandardWebhook(secret: string, request: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signed = `${String(request.headers['webhook-id'])}.${String(request.headers['webhook-timestamp'])}.${request.body}`;
  const expected = Buffer.from(createHmac('sha256', key).update(signed).digest('base64'));
  return String(request.headers['webhook-signature'])
    .split(' ')
    .some((part) => {
      const [version, signature] = part.split(',');
      const given = Buffer.from(signature ?? '');
      return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
    });
}
