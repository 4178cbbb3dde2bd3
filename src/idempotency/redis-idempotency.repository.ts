import { Inject, Injectable } from '@nestjs/common';
import type { Result } from 'ioredis';
import { RedisClient, defineLuaScripts } from '../redis/redis-client.js';
import { keys } from '../redis/keys.js';
import { IdempotencyRepository } from './idempotency.repository.js';
import type { ClaimOutcome, StoredResponse } from './idempotency.repository.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    begin(record: string, fingerprint: string, owner: string, lockMs: number): Result<(number | string)[], Context>;
    complete(
      record: string,
      owner: string,
      status: number,
      headers: string,
      body: string,
      ttlMs: number,
    ): Result<number, Context>;
    release(record: string, owner: string): Result<number, Context>;
  }
}

@Injectable()
export class RedisIdempotencyRepository extends IdempotencyRepository {
  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {
    super();
    defineLuaScripts(redis, new URL('./lua/', import.meta.url));
  }

  async claim(
    callerId: string,
    key: string,
    fingerprint: string,
    owner: string,
    lockMs: number,
  ): Promise<ClaimOutcome> {
    const [status, code, headers, body] = await this.redis.begin(
      keys.idempotency(callerId, key),
      fingerprint,
      owner,
      lockMs,
    );
    if (status === 0) return { outcome: 'claimed' };
    if (status === -1) return { outcome: 'reused' };
    if (status === -2) return { outcome: 'in-flight' };
    return {
      outcome: 'replay',
      response: {
        status: Number(code),
        headers: JSON.parse(String(headers)) as Record<string, string>,
        body: String(body),
      },
    };
  }

  async complete(callerId: string, key: string, owner: string, response: StoredResponse, ttlMs: number): Promise<void> {
    const record = keys.idempotency(callerId, key);
    await this.redis.complete(record, owner, response.status, JSON.stringify(response.headers), response.body, ttlMs);
  }

  async release(callerId: string, key: string, owner: string): Promise<void> {
    await this.redis.release(keys.idempotency(callerId, key), owner);
  }
}
