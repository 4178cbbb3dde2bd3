import { HttpException } from '@nestjs/common';
import { isRedisUnavailable } from './store-errors.js';
import { DomainError } from './domain-error.js';
import { ERRORS, ErrorCode, problemType } from './error-codes.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  readonly code: ErrorCode;
  readonly requestId: string;
  readonly [extension: string]: unknown;
}

/** What of the configuration a problem needs (an AppConfig is one). */
export interface ProblemSettings {
  /** The Retry-After of a 503 or 429 that does not bring its own. */
  readonly retryAfterSeconds: number;
  /** Makes `type` an absolute URI; unset: relative (`/problems/<code>`). */
  readonly publicBaseUrl?: string | undefined;
}

export interface ProblemResponse {
  readonly problem: Problem;
  readonly headers: Record<string, string>;
  /** True when the failure is ours and not the client's: it is logged in full with its stack. */
  readonly unexpected: boolean;
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.MalformedRequest,
  401: ErrorCode.Unauthorized,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  405: ErrorCode.MethodNotAllowed,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  414: ErrorCode.UriTooLong,
  415: ErrorCode.UnsupportedMediaType,
  429: ErrorCode.RateLimited,
  503: ErrorCode.ServiceUnavailable,
};

/** Fastify's own errors carry a statusCode and an FST_ code; their messages are safe to show but terse. */
const FASTIFY_DETAILS: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is larger than the limit',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Send the body as application/json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The body is empty but the content type says JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length does not match the body',
  FST_ERR_MAX_PARAM_LENGTH: 'A path segment is longer than 200 characters',
  FST_ERR_BAD_URL: 'The path is not a valid URL path',
};

function describe(error: unknown): { code: ErrorCode; detail: string; extensions: Record<string, unknown> } | null {
  if (error instanceof DomainError) {
    return { code: error.code, detail: error.detail, extensions: { ...error.extensions } };
  }
  if (error instanceof HttpException) {
    const code = STATUS_CODES[error.getStatus()];
    if (!code) return null;
    const detail = code === ErrorCode.NotFound ? 'No such route' : error.message;
    return { code, detail, extensions: {} };
  }
  if (isRedisUnavailable(error)) {
    return {
      code: ErrorCode.ServiceUnavailable,
      detail: 'The data store cannot serve this request right now (unreachable, failing over or full); retry shortly',
      extensions: {},
    };
  }
  const fastify = error as { statusCode?: unknown; code?: unknown; message?: unknown };
  if (typeof fastify.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    const code = STATUS_CODES[fastify.statusCode] ?? ErrorCode.MalformedRequest;
    const known = typeof fastify.code === 'string' ? FASTIFY_DETAILS[fastify.code] : undefined;
    const detail =
      known ?? (error instanceof SyntaxError ? 'The body is not valid JSON' : 'The request could not be read');
    return { code, detail, extensions: {} };
  }
  return null;
}

/** Maps any thrown value to an RFC 9457 problem. Unknown errors become a 500 that reveals nothing of the cause. */
export function toProblem(
  error: unknown,
  instance: string,
  requestId: string,
  settings: ProblemSettings,
): ProblemResponse {
  const described = describe(error);
  const code = described?.code ?? ErrorCode.InternalError;
  const { status, title } = ERRORS[code];
  const detail = described?.detail ?? `An unexpected error occurred; quote request id ${requestId} when reporting it`;
  const headers: Record<string, string> = { 'content-type': PROBLEM_CONTENT_TYPE };
  if (status === 503 || status === 429) {
    const own = described?.extensions.retryAfterSeconds;
    headers['retry-after'] = String(typeof own === 'number' ? own : settings.retryAfterSeconds);
  }
  return {
    problem: {
      type: problemType(code, settings.publicBaseUrl),
      title,
      status,
      detail,
      instance,
      code,
      requestId,
      ...described?.extensions,
    },
    headers,
    unexpected: described === null,
  };
}
