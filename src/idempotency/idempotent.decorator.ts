import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { MergeRouteConfig } from '../common/route-config.js';

export const IDEMPOTENT_ROUTE = 'idempotent' as const;

/**
 * Marks a creating POST: with an Idempotency-Key header, its first successful answer is kept and replayed to
 * retries of the same request (see IdempotencyHooks).
 */
export function Idempotent(): MethodDecorator {
  return applyDecorators(
    MergeRouteConfig({ [IDEMPOTENT_ROUTE]: true }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Any unique string (1..200 visible ASCII characters, e.g. a UUID). A retry with the same key and body gets ' +
        'the first successful answer again (with Idempotent-Replayed: true) and changes nothing; the same key with ' +
        'another body is 422 IDEMPOTENCY_KEY_REUSED; while the first is still running, 409 ' +
        'IDEMPOTENCY_KEY_IN_FLIGHT. Answers are kept 24 h; failed requests are not kept, so they can be retried.',
    }),
    ApiResponse({
      status: 422,
      description: 'IDEMPOTENCY_KEY_REUSED',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDoc' } } },
    }),
  );
}
