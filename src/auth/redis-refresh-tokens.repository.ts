import { Inject, Injectable } from '@nestjs/common';
import type { Result } from 'ioredis';
import { RedisClient, defineLuaScripts } from '../redis/redis-client.js';
import { keys } from '../redis/keys.js';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';
import type { RotateOutcome } from './refresh-tokens.repository.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    rotateRefresh(family: string, presented: string, next: string, ttl: number): Result<[number, string?], Context>;
    revokeRefresh(family: string, presented: string): Result<number, Context>;
  }
}

@Injectable()
export class RedisRefreshTokensRepository extends RefreshTokensRepository {
  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {
    super();
    defineLuaScripts(redis, new URL('./lua/', import.meta.url));
  }

  async start(familyId: string, userId: string, tokenHash: string, ttlSeconds: number): Promise<void> {
    const key = keys.refreshFamily(familyId);
    await this.redis.multi().hset(key, { userId, current: tokenHash }).expire(key, ttlSeconds).exec();
  }

  async rotate(familyId: string, presentedHash: string, nextHash: string, ttlSeconds: number): Promise<RotateOutcome> {
    const [status, userId] = await this.redis.rotateRefresh(
      keys.refreshFamily(familyId),
      presentedHash,
      nextHash,
      ttlSeconds,
    );
    if (status === 1 && userId) return { outcome: 'rotated', userId };
    return status === -3 ? { outcome: 'reused' } : { outcome: 'invalid' };
  }

  async revoke(familyId: string, presentedHash: string): Promise<void> {
    await this.redis.revokeRefresh(keys.refreshFamily(familyId), presentedHash);
  }
}
