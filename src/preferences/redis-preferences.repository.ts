import { Inject, Injectable } from '@nestjs/common';
import { RedisClient, readAll } from '../redis/redis-client.js';
import { keys } from '../redis/keys.js';
import { decodePreferences, encodeChange } from './preferences.codec.js';
import type { Preferences, PreferencesChange } from './preferences.js';
import { PreferencesRepository } from './preferences.repository.js';

/**
 * One hash per user. A change is a MULTI of HSET, HDEL and HGETALL on that one key: no value is read to decide a
 * write, so no script is needed, and the answer is the state the change produced.
 */
@Injectable()
export class RedisPreferencesRepository extends PreferencesRepository {
  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {
    super();
  }

  async get(userId: string): Promise<Preferences> {
    return decodePreferences(await this.redis.hgetall(keys.userPreferences(userId)));
  }

  async update(userId: string, change: PreferencesChange): Promise<Preferences> {
    const key = keys.userPreferences(userId);
    const { set, remove } = encodeChange(change);
    const multi = this.redis.multi();
    if (Object.keys(set).length > 0) multi.hset(key, set);
    if (remove.length > 0) multi.hdel(key, ...remove);
    multi.hgetall(key);
    const results = await readAll(multi);
    return decodePreferences(results[results.length - 1] as Record<string, string>);
  }
}
