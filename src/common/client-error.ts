import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { DomainError } from './domain-error.js';
import { ErrorCode } from './error-codes.js';
import { toProblem } from './problem.js';
import type { ProblemSettings } from './problem.js';

/** What Node's HTTP layer reports: llhttp's `HPE_*` codes, or its request timeout. */
interface ParserError extends Error {
  readonly code?: string;
}

/** The problem for a request Node's HTTP layer refused before any request object existed. */
function describe(error: ParserError): DomainError {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new DomainError(ErrorCode.HeadersTooLarge, 'The request line and headers are larger than 16 KiB');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new DomainError(ErrorCode.RequestTimeout, 'The request did not arrive in time');
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return new DomainError(ErrorCode.MalformedRequest, 'Send Content-Length or Transfer-Encoding, not both');
    case 'HPE_INVALID_HEADER_TOKEN':
      return new DomainError(ErrorCode.MalformedRequest, 'A header name or value has a character HTTP does not allow');
    default:
      return new DomainError(ErrorCode.MalformedRequest, 'The request is not valid HTTP/1.1');
  }
}

/**
 * Answers a request Node's HTTP parser refused (Node's 'clientError': no request, no reply, only the socket) the way
 * every other answer is written: problem+json with a fresh request id (nothing the client sent can be trusted, its
 * X-Request-Id included), the security headers, and `Connection: close`, since the rest of the stream cannot be
 * read. Nothing is written when a response is already under way on the socket (it would corrupt it).
 */
export function answerClientError(
  error: ParserError,
  socket: Duplex & { _httpMessage?: { headersSent?: boolean } | null },
  securityHeaders: Record<string, string>,
  settings: ProblemSettings,
): { status: number; requestId: string } | undefined {
  if (error.code === 'ECONNRESET' || socket.destroyed) return undefined;
  const requestId = randomUUID();
  const { problem, headers } = toProblem(describe(error), '', requestId, settings);
  const inFlight = socket._httpMessage?.headersSent === true;
  if (socket.writable && !inFlight) {
    const body = JSON.stringify(problem);
    const lines = Object.entries({
      ...securityHeaders,
      ...headers,
      'x-request-id': requestId,
      'content-length': String(Buffer.byteLength(body)),
      connection: 'close',
    }).map(([name, value]) => `${name}: ${value}\r\n`);
    // Closed once written, as Node itself does: what else the client sends on this connection is never read.
    socket.end(`HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n${lines.join('')}\r\n${body}`, () =>
      socket.destroy(),
    );
  } else {
    socket.destroy(error);
  }
  return { status: problem.status, requestId };
}
