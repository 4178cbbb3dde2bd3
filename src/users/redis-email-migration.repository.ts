import { Inject, Injectable } from '@nestjs/common';
import { RedisClient } from '../redis/redis-client.js';
import { keys } from '../redis/keys.js';
import { scanKeys } from '../redis/scan-keys.js';
import { EmailMigrationRepository } from './email-migration.repository.js';
import type { StoredEmail } from './email-migration.repository.js';

/** An account hash, `{user:<uuid>}`, and not one of its sub-keys (`{user:<id>}:bookings`...). */
const ACCOUNT_KEY = /^\{user:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}$/;

@Injectable()
export class RedisEmailMigrationRepository extends EmailMigrationRepository {
  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {
    super();
  }

  async isDone(name: string): Promise<boolean> {
    return (await this.redis.exists(keys.migrationDone(name))) === 1;
  }

  async markDone(name: string, at: number): Promise<void> {
    await this.redis.set(keys.migrationDone(name), String(at), 'NX');
  }

  async *accounts(): AsyncIterable<StoredEmail[]> {
    for await (const page of scanKeys(this.redis, keys.userPattern)) {
      const ids = page.map((key) => ACCOUNT_KEY.exec(key)?.[1]).filter((id): id is string => id !== undefined);
      // One command per account, issued together: no pipeline across slots.
      const rows = await Promise.all(ids.map((id) => this.redis.hmget(keys.user(id), 'id', 'email', 'createdAt')));
      yield rows.flatMap(([id, email, createdAt]) =>
        id && email ? [{ id, email, createdAt: Number(createdAt) || 0 }] : [],
      );
    }
  }

  async claimEmail(email: string, id: string): Promise<string | null> {
    if ((await this.redis.set(keys.userEmail(email), id, 'NX')) === 'OK') return id;
    return this.redis.get(keys.userEmail(email));
  }

  async setStoredEmail(id: string, email: string): Promise<void> {
    // Only an existing account: HSET alone would make a half account out of a deleted one.
    if ((await this.redis.exists(keys.user(id))) === 1) await this.redis.hset(keys.user(id), 'email', email);
  }

  async releaseEmail(email: string, id: string): Promise<void> {
    // Former spellings are never written any more, so the key cannot change between these two commands.
    if ((await this.redis.get(keys.userEmail(email))) === id) await this.redis.del(keys.userEmail(email));
  }
}
