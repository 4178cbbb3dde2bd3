/**
 * Tells whether an error means "Redis cannot serve us right now" (down, paused, out of memory, failing over), as
 * opposed to a bug. Those become 503 with Retry-After; anything else is a 500.
 */
const UNAVAILABLE_MESSAGES = [
  'Command timed out',
  'Connection is closed',
  "Stream isn't writeable",
  'Reached the max retries per request limit',
  'None of startup nodes is available',
  'Failed to refresh slots cache',
];
const UNAVAILABLE_REPLIES = /^(OOM|LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|READONLY|NOREPLICAS|MISCONF)\b/;
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);

export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { name, message } = error;
  if (name === 'MaxRetriesPerRequestError' || name === 'ClusterAllFailedError') return true;
  if (name === 'ReplyError') {
    if (UNAVAILABLE_REPLIES.test(message)) return true;
    // Out of memory, Redis refuses every command queued in a MULTI (reads too) and EXEC answers EXECABORT; ioredis
    // attaches the refusals of the queued commands as previousErrors. Only when all of them are "unavailable" is the
    // transaction's failure one: a command refused for its arguments is a bug.
    const previous = (error as { previousErrors?: unknown }).previousErrors;
    return (
      message.startsWith('EXECABORT') &&
      Array.isArray(previous) &&
      previous.length > 0 &&
      previous.every((e) => isRedisUnavailable(e))
    );
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_SOCKET_CODES.has(code)) return true;
  return UNAVAILABLE_MESSAGES.some((m) => message.startsWith(m));
}
