import { Inject, Injectable } from '@nestjs/common';
import { RedisClient } from '../redis/redis-client.js';
import { keys } from '../redis/keys.js';
import { authScripts } from './auth.scripts.js';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';
import type { RotateOutcome, RotatePolicy } from './refresh-tokens.repository.js';

@Injectable()
export class RedisRefreshTokensRepository extends RefreshTokensRepository {
  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {
    super();
  }

  async start(familyId: string, userId: string, tokenHash: string, ttlSeconds: number): Promise<void> {
    const key = keys.refreshFamily(familyId);
    await this.redis.multi().hset(key, { userId, current: tokenHash }).expire(key, ttlSeconds).exec();
  }

  async rotate(
    familyId: string,
    presentedHash: string,
    nextHash: string,
    { ttlSeconds, nowMs, reuseGraceMs }: RotatePolicy,
  ): Promise<RotateOutcome> {
    const { rotateRefresh } = authScripts;
    return rotateRefresh.outcome(
      await rotateRefresh.run(this.redis, [
        keys.refreshFamily(familyId),
        presentedHash,
        nextHash,
        ttlSeconds,
        nowMs,
        reuseGraceMs,
      ]),
    );
  }

  async revoke(familyId: string, presentedHash: string): Promise<void> {
    await authScripts.revokeRefresh.run(this.redis, [keys.refreshFamily(familyId), presentedHash]);
  }
}
