import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One received message, decoded enough for assertions: envelope, headers, and the text and HTML parts. */
export interface CaughtMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly headers: ReadonlyMap<string, string>;
  readonly subject: string;
  readonly messageId: string;
  readonly text: string | null;
  readonly html: string | null;
  readonly raw: string;
}

/**
 * How the catcher answers: accept; refuse with an SMTP reply at MAIL FROM, RCPT TO or after DATA (`message`: the
 * reply's text after the code, e.g. `5.7.1 Relay access denied`); or read the message and never answer (`hold`: the
 * sender is left waiting after sending everything, as when a crash comes before the reply).
 */
export type CatcherMode =
  'accept' | 'hold' | { readonly at: 'mail' | 'rcpt' | 'data'; readonly code: number; readonly message?: string };

/** How long waitFor and waitForHeld wait before failing the test with what arrived instead. */
const WAIT_MS = 15_000;

function splitHead(raw: string): [Map<string, string>, string] {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, end).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return [headers, raw.slice(end + 4)];
}

function decodeBody(headers: Map<string, string>, body: string): string {
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const soft = body.replace(/=\r\n/g, '');
    const bytes: number[] = [];
    for (let i = 0; i < soft.length; i++) {
      if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
        bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(...Buffer.from(soft[i]!, 'utf8'));
    }
    return Buffer.from(bytes).toString('utf8');
  }
  return body;
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= and =?UTF-8?Q?…?=) in a header. */
const decodeWords = (value: string) =>
  value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_, kind: string, text: string) =>
    kind.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : decodeURIComponent(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, '%$1')),
  );

/** The text/plain and text/html parts of a message, one level of multipart/alternative or a single part. */
function parts(headers: Map<string, string>, body: string): { text: string | null; html: string | null } {
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!boundary) {
    const decoded = decodeBody(headers, body);
    return type.startsWith('text/html') ? { text: null, html: decoded } : { text: decoded, html: null };
  }
  const found: { text: string | null; html: string | null } = { text: null, html: null };
  for (const chunk of body.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith('--')) break;
    const [partHeaders, partBody] = splitHead(chunk.replace(/^\r\n/, ''));
    const decoded = decodeBody(partHeaders, partBody.replace(/\r\n$/, ''));
    const partType = partHeaders.get('content-type') ?? '';
    if (partType.startsWith('text/plain')) found.text = decoded;
    if (partType.startsWith('text/html')) found.html = decoded;
  }
  return found;
}

/** A real SMTP server on an ephemeral loopback port, started by the test, keeping what it received. */
export class SmtpCatcher {
  readonly received: CaughtMail[] = [];
  /** Messages whose DATA was refused (the server read them, then answered with an error). */
  readonly refused: CaughtMail[] = [];
  /** Messages read in `hold` mode, never answered. */
  readonly held: CaughtMail[] = [];
  /** Every RCPT TO attempt, accepted or refused, and every refused MAIL FROM (a refused send counts here only). */
  attempts = 0;
  mode: CatcherMode = 'accept';
  private waiters: (() => void)[] = [];

  private readonly server: SMTPServer;
  private port_ = 0;

  private constructor() {
    const refusal = (at: 'mail' | 'rcpt' | 'data') => {
      const mode = this.mode;
      if (typeof mode === 'string' || mode.at !== at) return null;
      const message = mode.message ?? `Refused by the test (${mode.code})`;
      return Object.assign(new Error(message), { responseCode: mode.code });
    };
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onMailFrom: (_address, _session, callback) => {
        const refused = refusal('mail');
        if (refused) this.attempts++;
        callback(refused ?? undefined);
      },
      onRcptTo: (_address, _session, callback) => {
        this.attempts++;
        callback(refusal('rcpt') ?? undefined);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const refused = refusal('data');
          const mail = this.parse(session, Buffer.concat(chunks).toString('utf8'));
          if (refused) {
            this.refused.push(mail);
            return callback(refused);
          }
          if (this.mode === 'hold') {
            this.held.push(mail);
            for (const wake of this.waiters.splice(0)) wake();
            return;
          }
          this.received.push(mail);
          for (const wake of this.waiters.splice(0)) wake();
          callback();
        });
      },
    });
  }

  static async start(): Promise<SmtpCatcher> {
    const catcher = new SmtpCatcher();
    catcher.server.listen(0, '127.0.0.1');
    await once(catcher.server.server, 'listening');
    catcher.port_ = (catcher.server.server.address() as AddressInfo).port;
    return catcher;
  }

  get port(): number {
    return this.port_;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Resolves once `count` messages were received in all; rejects after `timeoutMs` saying how many came. */
  async waitFor(count: number, timeoutMs = WAIT_MS): Promise<CaughtMail[]> {
    await this.until(
      () => this.received.length >= count,
      timeoutMs,
      () => `${count} received messages`,
    );
    return this.received.slice(0, count);
  }

  /** Resolves once `count` messages were held (read in `hold` mode) in all; rejects after `timeoutMs`. */
  async waitForHeld(count: number, timeoutMs = WAIT_MS): Promise<CaughtMail[]> {
    await this.until(
      () => this.held.length >= count,
      timeoutMs,
      () => `${count} held messages`,
    );
    return this.held.slice(0, count);
  }

  private async until(done: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!done()) {
      const left = deadline - performance.now();
      if (left <= 0) {
        const subjects = this.received.map((m) => m.subject);
        throw new Error(
          `SmtpCatcher: waited ${timeoutMs} ms for ${what()}; received ${this.received.length} ` +
            `(${JSON.stringify(subjects)}), held ${this.held.length}, refused ${this.refused.length}, ` +
            `${this.attempts} attempts`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private parse(
    session: { envelope: { mailFrom: false | { address: string }; rcptTo: { address: string }[] } },
    raw: string,
  ): CaughtMail {
    const [headers, body] = splitHead(raw);
    return {
      from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      to: session.envelope.rcptTo.map((r) => r.address),
      headers,
      subject: decodeWords(headers.get('subject') ?? ''),
      messageId: headers.get('message-id') ?? '',
      ...parts(headers, body),
      raw,
    };
  }
}
