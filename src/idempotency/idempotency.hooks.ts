import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AccessTokens } from '../auth/access-tokens.js';
import { ValidationFailedError } from '../common/domain-error.js';
import { toProblem } from '../common/problem.js';
import { sendProblem } from '../common/problem.filter.js';
import { AppConfig } from '../config/app-config.js';
import { Metrics } from '../metrics/metrics.js';
import { IdempotencyKeyInFlightError, IdempotencyKeyReusedError } from './idempotency.errors.js';
import { IdempotencyRepository } from './idempotency.repository.js';
import { IDEMPOTENT_ROUTE } from './idempotent.decorator.js';

const KEY = /^[\x21-\x7e]{1,200}$/;
/** Headers of the first answer that a replay repeats. */
const KEPT_HEADERS = ['content-type', 'etag', 'location'];

interface Claim {
  readonly callerId: string;
  readonly key: string;
  readonly owner: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyClaim?: Claim;
  }
  interface FastifyContextConfig {
    [IDEMPOTENT_ROUTE]?: boolean;
  }
}

/** JSON with object keys sorted, so that the same body sent with keys in another order is the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Idempotency-Key for every route marked @Idempotent(), as Fastify hooks around the Nest handler: a preHandler
 * claims the key (or replays the stored answer without running the handler), onSend stores a 2xx answer before it
 * leaves, or frees the key after a failure so the request can be retried. Requests without the header, and routes
 * without the mark, pay one property lookup.
 */
@Injectable()
export class IdempotencyHooks {
  constructor(
    private readonly records: IdempotencyRepository,
    private readonly tokens: AccessTokens,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  register(fastify: FastifyInstance): void {
    fastify.addHook('preHandler', (request, reply) => this.before(request, reply));
    fastify.addHook('onSend', (request, reply, payload) => this.after(request, reply, payload));
  }

  private async before(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const key = request.headers['idempotency-key'];
    if (key === undefined || !request.routeOptions.config[IDEMPOTENT_ROUTE]) return;
    try {
      if (typeof key !== 'string' || !KEY.test(key)) {
        throw ValidationFailedError.field('Idempotency-Key', 'must be 1 to 200 visible ASCII characters');
      }
      const callerId = this.callerOf(request);
      if (!callerId) return; // the auth guard answers 401 in the handler chain
      const owner = randomUUID();
      const fingerprint = createHash('sha256')
        .update(`${request.method} ${request.url}\n${canonical(request.body ?? null)}`)
        .digest('base64url');
      const lockMs = this.config.idempotencyLockSeconds * 1000;
      const result = await this.records.claim(callerId, key, fingerprint, owner, lockMs);
      if (result.outcome === 'claimed') {
        request.idempotencyClaim = { callerId, key, owner };
        return;
      }
      if (result.outcome === 'replay') {
        this.metrics.count('idempotent_replays');
        const { status, headers, body } = result.response;
        await reply.status(status).headers(headers).header('idempotent-replayed', 'true').send(body);
        return;
      }
      throw result.outcome === 'reused' ? new IdempotencyKeyReusedError() : new IdempotencyKeyInFlightError();
    } catch (error) {
      sendProblem(error, request, reply, this.config);
    }
  }

  private async after(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
    const claim = request.idempotencyClaim;
    if (!claim) return payload;
    request.idempotencyClaim = undefined;
    const status = reply.statusCode;
    if (status >= 400 && status < 500) {
      // The request was refused before it changed anything: free the key so a corrected retry can use it.
      await this.records.release(claim.callerId, claim.key, claim.owner).catch((error: unknown) => {
        request.log.warn({ err: error }, 'could not release the idempotency key');
      });
      return payload;
    }
    if (status >= 500) {
      // The outcome is unknown (a timed-out script may have run): keep the claim until it lapses, so retries get
      // 409 IN_FLIGHT meanwhile instead of running the request a second time at once.
      return payload;
    }
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
    try {
      // Stored before the answer leaves: a client that sees the answer can rely on a retry replaying it.
      const ttlMs = this.config.idempotencyTtlSeconds * 1000;
      await this.records.complete(claim.callerId, claim.key, claim.owner, { status, headers, body }, ttlMs);
      return payload;
    } catch (error) {
      // Not stored: answering 2xx would break that promise, so the client is told to retry (it will get 409
      // IN_FLIGHT until the claim lapses, then the request runs again).
      const {
        problem,
        headers: problemHeaders,
        unexpected,
      } = toProblem(error, request.url.split('?', 1)[0], String(request.id), this.config);
      request.log[unexpected ? 'error' : 'warn']({ err: error }, 'could not store the idempotent answer');
      void reply.status(problem.status).headers(problemHeaders);
      for (const name of KEPT_HEADERS.slice(1)) reply.removeHeader(name);
      return JSON.stringify(problem);
    }
  }

  private callerOf(request: FastifyRequest): string | undefined {
    const header = request.headers.authorization;
    if (typeof header !== 'string' || !header.startsWith('Bearer ')) return undefined;
    try {
      return this.tokens.verify(header.slice(7)).id;
    } catch {
      return undefined;
    }
  }
}
