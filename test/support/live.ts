import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { WebSocket } from 'ws';

export interface LiveClient {
  readonly messages: Record<string, unknown>[];
  send(message: unknown): void;
  sendRaw(data: string | Buffer): void;
  next(predicate: (m: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  close(): void;
}

/** A real WebSocket client that records every message. */
export async function connectLive(baseUrl: string, token: string): Promise<LiveClient> {
  const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/v1/live?access_token=${encodeURIComponent(token)}`);
  const messages: Record<string, unknown>[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(data.toString())));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    ws.once('error', reject);
  });
  return {
    messages,
    send: (message) => ws.send(JSON.stringify(message)),
    sendRaw: (data) => ws.send(data),
    next: (predicate, timeoutMs = 15_000) => waitFor(() => messages.find(predicate), timeoutMs),
    close: () => ws.close(),
  };
}

/** The status and body with which the server refuses a WebSocket handshake. */
export function refusal(baseUrl: string, query: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/v1/live${query}`);
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('open', () => reject(new Error('the handshake was accepted')));
    ws.once('error', () => undefined);
  });
}

export async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`nothing arrived within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/**
 * Reads a Server-Sent Events stream, recording each event, until closed; `onOpen` runs in the same tick as the response
 * headers arrive. Also reads a refusal (its status, headers and whole body).
 */
export function openSse(url: string, headers: Record<string, string> = {}, onOpen: () => void = () => undefined) {
  const events: SseEvent[] = [];
  let status = 0;
  let responseHeaders: IncomingHttpHeaders = {};
  let body = '';
  let ended = false;
  const req = httpRequest(url, { headers }, (res) => {
    res.on('end', () => (ended = true));
    status = res.statusCode ?? 0;
    responseHeaders = res.headers;
    onOpen();
    let buffer = '';
    res.on('data', (chunk: Buffer) => {
      body += chunk.toString();
      buffer += chunk.toString();
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(
          block
            .split('\n')
            .filter((line) => line && !line.startsWith(':'))
            .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
        );
        if (fields.data !== undefined) events.push(fields as unknown as SseEvent);
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
  return {
    events,
    status: () => status,
    headers: () => responseHeaders,
    body: () => body,
    ended: () => ended,
    close: () => req.destroy(),
  };
}
