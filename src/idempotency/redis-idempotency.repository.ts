import { Inject, Injectable } from '@nestjs/common';
import { RedisClient } from '../redis/redis-client.js';
import { keys } from '../redis/keys.js';
import { IdempotencyRepository } from './idempotency.repository.js';
import { idempotencyScripts } from './idempotency.scripts.js';
import type { ClaimOutcome, StoredResponse } from './idempotency.repository.js';

@Injectable()
export class RedisIdempotencyRepository extends IdempotencyRepository {
  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {
    super();
  }

  async claim(
    callerId: string,
    key: string,
    fingerprint: string,
    owner: string,
    lockMs: number,
  ): Promise<ClaimOutcome> {
    const { begin } = idempotencyScripts;
    return begin.outcome(await begin.run(this.redis, [keys.idempotency(callerId, key), fingerprint, owner, lockMs]));
  }

  async complete(callerId: string, key: string, owner: string, response: StoredResponse, ttlMs: number): Promise<void> {
    const record = keys.idempotency(callerId, key);
    await idempotencyScripts.complete.run(this.redis, [
      record,
      owner,
      response.status,
      JSON.stringify(response.headers),
      response.body,
      ttlMs,
    ]);
  }

  async release(callerId: string, key: string, owner: string): Promise<void> {
    await idempotencyScripts.release.run(this.redis, [keys.idempotency(callerId, key), owner]);
  }
}
