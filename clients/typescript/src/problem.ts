import type { components } from './schema.js';

/** Every problem code the service documents (openapi.yaml's ProblemDoc.code). */
export type ProblemCode = components['schemas']['ProblemDoc']['code'];

/**
 * An RFC 9457 problem+json answer, thrown by `ok()`. `code` is the stable thing to branch on; `problem` keeps the
 * whole body, the extra fields (`errors`, `requestId`, `currentVersion`, ...) included.
 */
export class ProblemError extends Error {
  readonly status: number;
  readonly code: ProblemCode | string;
  readonly title: string;
  readonly detail: string;
  /** The problem type's URI: GET it for what the code means and what to do (relative to the service when not absolute). */
  readonly type: string | undefined;
  readonly problem: Readonly<Record<string, unknown>>;

  constructor(status: number, problem: Record<string, unknown>) {
    const title = typeof problem.title === 'string' ? problem.title : `HTTP ${status}`;
    const detail = typeof problem.detail === 'string' ? problem.detail : '';
    super(detail ? `${title}: ${detail}` : title);
    this.name = 'ProblemError';
    this.status = status;
    this.code = typeof problem.code === 'string' ? problem.code : 'UNKNOWN';
    this.title = title;
    this.detail = detail;
    this.type = typeof problem.type === 'string' ? problem.type : undefined;
    this.problem = problem;
  }

  /** The named extra field of the problem (e.g. `errors` for VALIDATION_FAILED). */
  field<T = unknown>(name: string): T | undefined {
    return this.problem[name] as T | undefined;
  }
}

/** The result shape of every openapi-fetch call. */
export interface FetchResult<D, E> {
  data?: D;
  error?: E;
  response: Response;
}

/** The data of a successful call, or the call's problem thrown as a ProblemError. */
export function ok<D, E>(result: FetchResult<D, E>): D {
  if (result.error !== undefined || !result.response.ok) {
    const body = result.error && typeof result.error === 'object' ? (result.error as Record<string, unknown>) : {};
    throw new ProblemError(result.response.status, body);
  }
  return result.data as D;
}
