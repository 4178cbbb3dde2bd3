import { Inject, Injectable } from '@nestjs/common';
import { RedisClient } from '../redis/redis-client.js';
import { keys } from '../redis/keys.js';
import { authScripts } from './auth.scripts.js';
import { RateLimitsRepository } from './rate-limits.repository.js';

@Injectable()
export class RedisRateLimitsRepository extends RateLimitsRepository {
  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {
    super();
  }

  async hit(bucket: string, client: string, windowMs: number): Promise<{ attempts: number; resetInMs: number }> {
    const [attempts, resetInMs] = await authScripts.hit.run(this.redis, [keys.rateLimit(bucket, client), windowMs]);
    return { attempts, resetInMs };
  }

  report(bucket: string, client: string, instanceId: string, count: number, ttlMs: number): Promise<number> {
    return authScripts.report.run(this.redis, [keys.rateLimit(bucket, client), instanceId, count, ttlMs]);
  }
}
