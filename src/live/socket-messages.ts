import { ErrorCode } from '../common/error-codes.js';
import type { SocketErrorCode } from '../common/error-codes.js';
import { isUuid } from '../common/validation.js';

/** The largest text message a socket may send, in bytes. */
export const MAX_MESSAGE_BYTES = 4096;

/** What a client may ask of its socket (docs/live-updates.md). */
export type ClientMessage =
  | { readonly type: 'subscribe'; readonly eventId: string; readonly lastSeq: number | undefined }
  | { readonly type: 'unsubscribe'; readonly eventId: string };

/** The server's `error` message: the socket stays open. */
export interface SocketError {
  readonly type: 'error';
  readonly code: SocketErrorCode;
  readonly eventId?: string;
  readonly message: string;
}

/** An `error` message; `eventId` (when the message named a valid one) comes before `message`, as it always has. */
export function socketError(code: SocketErrorCode, message: string, eventId?: string): SocketError {
  return eventId === undefined ? { type: 'error', code, message } : { type: 'error', code, eventId, message };
}

/**
 * Reads a client's message, or says why it cannot be acted on. An unsubscribe is taken whatever else it carries;
 * only a subscribe's `lastSeq` is checked.
 */
export function readClientMessage(raw: Buffer, isBinary: boolean): ClientMessage | SocketError {
  if (isBinary || raw.length > MAX_MESSAGE_BYTES) {
    return socketError(ErrorCode.BadMessage, `Send JSON text messages of at most ${MAX_MESSAGE_BYTES} bytes`);
  }
  let message: { type?: unknown; eventId?: unknown; lastSeq?: unknown };
  try {
    message = JSON.parse(raw.toString('utf8'));
  } catch {
    return socketError(ErrorCode.BadMessage, 'Messages are JSON objects');
  }
  if (typeof message !== 'object' || message === null) {
    return socketError(ErrorCode.BadMessage, 'Messages are JSON objects');
  }
  const { type, eventId, lastSeq } = message;
  if ((type !== 'subscribe' && type !== 'unsubscribe') || !isUuid(eventId)) {
    return socketError(ErrorCode.BadMessage, 'Send {"type":"subscribe"|"unsubscribe","eventId":"<uuid>"}');
  }
  if (type === 'unsubscribe') return { type, eventId };
  if (lastSeq !== undefined && (!Number.isSafeInteger(lastSeq) || (lastSeq as number) < 0)) {
    return socketError(ErrorCode.BadMessage, 'lastSeq must be a non-negative integer', eventId);
  }
  return { type, eventId, lastSeq: lastSeq as number | undefined };
}
