import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants.js';
import type { FastifyInstance } from 'fastify';

/**
 * Adds to a route's Fastify `config` instead of replacing it (the platform's RouteConfig sets the whole object, so two
 * decorators that each set a part, such as Idempotent and BodyLimit, would lose one).
 */
export function MergeRouteConfig(config: Record<string, unknown>): MethodDecorator {
  return (_target, _key, descriptor) => {
    const handler = descriptor.value as object;
    const current = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) ?? {}) as Record<string, unknown>;
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...current, ...config }, handler);
    return descriptor;
  };
}

const BODY_LIMIT = 'bodyLimit' as const;

/**
 * A larger body limit of this route's own than BODY_LIMIT_BYTES (say the figure in the route's API description); a
 * BODY_LIMIT_BYTES configured above it wins, so a route's own limit never makes it stricter than the others.
 * Applied by useRouteBodyLimits, which must run before the routes are registered.
 */
export const BodyLimit = (bytes: number): MethodDecorator => MergeRouteConfig({ [BODY_LIMIT]: bytes });

/** Gives routes marked with BodyLimit their limit, at least `defaultLimit` (Fastify reads it per route). */
export function useRouteBodyLimits(fastify: FastifyInstance, defaultLimit: number): void {
  fastify.addHook('onRoute', (route) => {
    const limit = (route.config as Record<string, unknown> | undefined)?.[BODY_LIMIT];
    if (typeof limit === 'number') route.bodyLimit = Math.max(limit, defaultLimit);
  });
}
