import { Injectable, SetMetadata } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { AuthUser } from './auth-user.js';
import { RateLimitedError } from './auth.errors.js';
import { RequestRateLimiter } from './request-rate-limiter.js';

const UNLIMITED = 'rate-limit:skip';

/** Health checks and metrics scrapes are not counted against anyone's limit. */
export const NotRateLimited = () => SetMetadata(UNLIMITED, true);

/**
 * Applies the general per-client limit after authentication (a global guard registered after AuthGuard): a signed-in
 * caller is counted by user, so a shared address (an office behind NAT) is not one client; anyone else by address.
 */
@Injectable()
export class RequestRateLimitGuard implements CanActivate {
  private readonly skipped = new WeakMap<object, boolean>();

  constructor(
    private readonly limiter: RequestRateLimiter,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.limiter.enabled || context.getType() !== 'http') return true;
    const handler = context.getHandler();
    let skip = this.skipped.get(handler);
    if (skip === undefined) {
      skip = this.reflector.getAllAndOverride<boolean>(UNLIMITED, [handler, context.getClass()]) ?? false;
      this.skipped.set(handler, skip);
    }
    if (skip) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const client = request.user ? `user:${request.user.id}` : `ip:${addressBucket(request.ip)}`;
    const retryAfterSeconds = this.limiter.take(client);
    if (retryAfterSeconds !== null) {
      throw new RateLimitedError('requests', retryAfterSeconds);
    }
    return true;
  }
}

/**
 * The bucket of an anonymous caller's address: an IPv4 address, or the /64 network of an IPv6 one (one subscriber
 * usually has a whole /64, so counting single IPv6 addresses would let anyone pick a fresh bucket per request).
 */
export function addressBucket(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!ip.includes(':')) return ip;
  const [head, tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g || '0', 16).toString(16))
    .join(':')}::/64`;
}
