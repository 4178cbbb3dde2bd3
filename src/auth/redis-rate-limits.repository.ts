import { Inject, Injectable } from '@nestjs/common';
import type { Result } from 'ioredis';
import { RedisClient, defineLuaScripts } from '../redis/redis-client.js';
import { keys } from '../redis/keys.js';
import { RateLimitsRepository } from './rate-limits.repository.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    hit(counter: string, windowMs: number): Result<[number, number], Context>;
    report(counter: string, instanceId: string, count: number, ttlMs: number): Result<number, Context>;
  }
}

@Injectable()
export class RedisRateLimitsRepository extends RateLimitsRepository {
  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {
    super();
    defineLuaScripts(redis, new URL('./lua/', import.meta.url));
  }

  async hit(bucket: string, client: string, windowMs: number): Promise<{ attempts: number; resetInMs: number }> {
    const [attempts, resetInMs] = await this.redis.hit(keys.rateLimit(bucket, client), windowMs);
    return { attempts, resetInMs };
  }

  report(bucket: string, client: string, instanceId: string, count: number, ttlMs: number): Promise<number> {
    return this.redis.report(keys.rateLimit(bucket, client), instanceId, count, ttlMs);
  }
}
