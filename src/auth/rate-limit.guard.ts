import { Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config.js';
import { RateLimitedError } from './auth.errors.js';
import { RateLimitsRepository } from './rate-limits.repository.js';

const WINDOW_MS = 60_000;

/**
 * The brute-force limit of login and register: AUTH_RATE_LIMIT_PER_MINUTE attempts per client address, counted in
 * Redis so it holds across instances. The address is the socket's, or X-Forwarded-For's as far as TRUST_PROXY_HOPS
 * allows (a client cannot choose its own bucket by sending the header).
 */
@Injectable()
export class AuthRateLimitGuard implements CanActivate {
  constructor(
    private readonly limits: RateLimitsRepository,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const { attempts, resetInMs } = await this.limits.hit('auth', request.ip, WINDOW_MS);
    if (attempts > this.config.authRateLimitPerMinute) {
      const retryAfterSeconds = Math.max(1, Math.ceil(resetInMs / 1000));
      throw new RateLimitedError('attempts', retryAfterSeconds);
    }
    return true;
  }
}
