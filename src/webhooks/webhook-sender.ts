import { request as httpRequest } from 'node:http';
import type { IncomingMessage, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedTarget } from './webhook-address.js';

/** What one webhook request came to: an HTTP answer (any status), or no answer (network error, timeout). */
export type SendResult =
  | { readonly answered: true; readonly status: number; readonly retryAfterMs: number | null }
  | { readonly answered: false; readonly error: string };

/** How much of an answer's body is read (and dropped) before the connection is closed. */
const MAX_BODY_BYTES = 64 * 1024;

/** `Retry-After` as milliseconds from now: delay-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * POSTs a signed webhook to the address that was checked (the resolved address is pinned through `lookup`, so a DNS
 * answer that changed since the check cannot redirect the request; TLS still verifies the URL's host name). No
 * redirects are followed (a 3xx is an answer like any other). The whole exchange is bounded by `timeoutMs`.
 */
export function sendWebhook(
  target: ResolvedTarget,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<SendResult> {
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const options: RequestOptions = {
    method: 'POST',
    lookup: pinned,
    headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
    agent: false,
  };
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = send(target.url, options, (res: IncomingMessage) => {
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_BODY_BYTES) res.destroy();
      });
      const answered = () =>
        finish({
          answered: true,
          status: res.statusCode ?? 0,
          retryAfterMs: parseRetryAfter(res.headers['retry-after'], Date.now()),
        });
      res.on('end', answered);
      res.on('close', answered);
      res.on('error', answered);
    });
    const timer = setTimeout(() => {
      finish({ answered: false, error: `no answer within ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.on('error', (error: Error) => finish({ answered: false, error: error.message }));
    req.end(body);
  });
}
