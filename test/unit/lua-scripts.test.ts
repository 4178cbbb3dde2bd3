import { createHash } from 'node:crypto';
import { jest } from '@jest/globals';
import { authScripts } from '../../src/auth/auth.scripts.js';
import { seatScripts } from '../../src/events/seat-script-args.js';
import { LuaScript } from '../../src/redis/lua-scripts.js';
import { commandLabel } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { restaurantsScripts } from '../../src/restaurants/restaurants.scripts.js';

/** A client that records how often a script was defined on it and answers every script call with its arguments. */
function fakeClient() {
  const client: Record<string, unknown> = {};
  const defineCommand = jest.fn((name: string) => {
    client[name] = (...call: unknown[]) => Promise.resolve(call);
  });
  client.defineCommand = defineCommand;
  return { client: client as unknown as RedisClient, defineCommand };
}

describe('the script registry', () => {
  it('registers a script on a client once, at its first call, under its module-prefixed name', async () => {
    const { client, defineCommand } = fakeClient();
    const call = ['family', 'presented'] as const;
    expect(await authScripts.revokeRefresh.run(client, call)).toEqual(call);
    expect(await authScripts.revokeRefresh.run(client, call)).toEqual(call);
    expect(defineCommand.mock.calls.map(([name]) => name)).toEqual(['auth:revoke-refresh']);
    // Another client is another namespace: registered there too, once.
    const other = fakeClient();
    await authScripts.revokeRefresh.run(other.client, call);
    expect(other.defineCommand).toHaveBeenCalledTimes(1);
  });

  it('expands includes, takes the key count from the file name and labels the script as before', () => {
    expect(seatScripts.hold.numberOfKeys).toBe(9);
    expect(seatScripts.hold.lua).not.toMatch(/^--!include/m);
    expect(seatScripts.hold.lua).toMatch(/local function seatState\(/);
    expect(seatScripts.hold.label).toBe('holdSeats');
    expect(commandLabel('evalsha', createSha(seatScripts.hold.lua))).toBe('holdSeats');
  });

  it('maps replies through the outcome table and refuses a code the table lacks', () => {
    expect(seatScripts.hold.outcome([1])).toEqual({ outcome: 'held', seatIds: [], offers: [] });
    expect(seatScripts.hold.outcome([-1, 's1', 's2'])).toEqual({
      outcome: 'taken',
      seatIds: ['s1', 's2'],
      offers: [],
    });
    expect(seatScripts.release.outcome([0])).toEqual({ released: false, offers: [] });
    expect(restaurantsScripts.move.outcome([-4])).toBe('changed');
    expect(() => seatScripts.release.outcome([7])).toThrow('script seats:release answered an unknown code 7');
  });

  it('types every call: keys and arguments are checked by the compiler (npm run typecheck)', () => {
    const calls = (client: RedisClient) => [
      // @ts-expect-error a key too few
      authScripts.revokeRefresh.run(client, ['presented']),
      // @ts-expect-error a number where the token hash belongs
      authScripts.revokeRefresh.run(client, ['family', 7]),
      // @ts-expect-error an argument too many
      authScripts.hit.run(client, ['counter', 1000, 'extra']),
      // @ts-expect-error the file name says one key, the declaration two
      new LuaScript<readonly [a: string, b: string], readonly [], number>('x:y', new URL('file:///'), 'y-1.lua'),
    ];
    expect(typeof calls).toBe('function');
  });
});

function createSha(lua: string): string {
  return createHash('sha1').update(lua).digest('hex');
}
