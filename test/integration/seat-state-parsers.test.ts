import { readFileSync } from 'node:fs';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { parseSeatState } from '../../src/events/seat-state.codec.js';
import { testConfig } from '../support/test-app.js';

/**
 * The two parsers of the seat-state format (lua/include/seat-state.lua for the scripts, seat-state.codec.ts for the
 * seat map and the reservation list) read every value the same way: a value one of them cannot read, the other cannot
 * either, so a seat is never reserved for the scripts and available on the map.
 */
const include = readFileSync(new URL('../../src/events/lua/include/seat-state.lua', import.meta.url), 'utf8');
const script = `${include}
local kind, holder, time, categoryId, amount, currency = seatState(ARGV[1])
if not kind then return {} end
return { kind, holder, time, categoryId or '', amount or '', currency or '' }`;

const VALUES = [
  'H|u1|1000',
  'R|u1|1000',
  'R|u1|1000|vip|8000|EUR',
  'R|u1|1000|vip||',
  'R|u1|1000|||',
  'R|u1|1000|vip|5|',
  'R|u1|1000||5|EUR',
  'R|u1|1000|vip||EUR',
  'R|u1|1000|vip|5|EU',
  'R|u1|1000|vip|5|EURO',
  'R|u1|1000|vip|5|eur',
  'R|u1|1000|vip|-5|EUR',
  'R|u1|1000|v.p|5|EUR',
  'H|u1|1000|vip|5|EUR',
  'H|u1|1000|||',
  'X|u1|1000',
  'h|u1|1000',
  'H||1000',
  'H|u1|',
  'H|u1|10.5',
  'R|u1|1000|vip|5',
  'R|u1|1000|vip|5|EUR|x',
  '',
  'garbage',
];

describe('seat-state parsers (Lua and TypeScript)', () => {
  let redis: RedisClient;
  beforeAll(() => (redis = createRedisClient(redisOptionsFrom(testConfig()))));
  afterAll(() => redis.quit());

  it.each(VALUES)('read %p alike', async (value) => {
    const lua = (await redis.eval(script, 0, value)) as string[];
    const ts = parseSeatState(value);
    if (!ts) {
      expect(lua).toEqual([]);
      return;
    }
    const [kind, holder, time, categoryId, amount, currency] = lua;
    expect({ kind, holder, time: Number(time) }).toEqual({
      kind: ts.kind === 'held' ? 'H' : 'R',
      holder: ts.userId,
      time: ts.kind === 'held' ? ts.until : ts.at,
    });
    const price = ts.kind === 'reserved' ? ts.price : undefined;
    expect({ categoryId, amount, currency }).toEqual({
      categoryId: price?.categoryId ?? '',
      amount: price?.price ? String(price.price.amount) : '',
      currency: price?.price?.currency ?? '',
    });
  });
});
