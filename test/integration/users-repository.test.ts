import { RedisUsersRepository } from '../../src/users/redis-users.repository.js';
import type { Role, User } from '../../src/users/user.js';
import { roleMember } from '../../src/users/users.codec.js';
import { usersScripts } from '../../src/users/users.scripts.js';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { keys } from '../../src/redis/keys.js';
import { MINUTE, NOW, newId, user } from '../support/factories.js';
import { deliveredTwice } from '../support/redelivery.js';
import { testConfig } from '../support/test-app.js';

/**
 * Users' scripts (set-role, the last-admin guard) through the repository against Redis. The role indexes are one key
 * per role, so every test gets its own key prefix (its own client).
 */
describe('RedisUsersRepository', () => {
  let redis: RedisClient;
  let users: RedisUsersRepository;

  beforeEach(() => {
    redis = createRedisClient(redisOptionsFrom(testConfig()));
    users = new RedisUsersRepository(redis);
  });
  afterEach(() => redis.quit());

  async function created(count: number, role: Role): Promise<User[]> {
    const list = Array.from({ length: count }, (_, i) => user({ role, createdAt: NOW + i * MINUTE }));
    for (const u of list) expect(await users.create(u)).toBe(true);
    return list;
  }

  const indexOf = (role: Role) => redis.zrange(keys.usersByRole(role), '0', '-1');

  it('moves the account between role indexes with its hash', async () => {
    const [u] = await created(1, 'customer');
    expect(await users.setRole(u.id, 'manager')).toEqual({ outcome: 'changed', user: { ...u, role: 'manager' } });
    expect(await redis.hget(keys.user(u.id), 'role')).toBe('manager');
    expect(await indexOf('customer')).toEqual([]);
    expect(await indexOf('manager')).toEqual([roleMember(u)]);
  });

  it('set-role never creates a half-user out of an unknown id', async () => {
    const id = newId();
    expect(await users.setRole(id, 'admin')).toEqual({ outcome: 'unknown-user' });
    // The script itself, for an account deleted between the repository's read and the script.
    expect(await usersScripts.setRole.run(redis, [keys.user(id), 'admin'])).toBeNull();
    expect(await redis.exists(keys.user(id))).toBe(0);
    expect(await indexOf('admin')).toEqual([]);
  });

  it('of many admins demoting themselves at once exactly one stays admin, and the index counts it', async () => {
    const admins = await created(8, 'admin');
    const outcomes = await Promise.all(admins.map((a) => users.setRole(a.id, 'customer')));
    expect(outcomes.filter((o) => o.outcome === 'changed')).toHaveLength(7);
    expect(outcomes.filter((o) => o.outcome === 'last-admin')).toHaveLength(1);
    const survivor = admins[outcomes.findIndex((o) => o.outcome === 'last-admin')];
    expect(await indexOf('admin')).toEqual([roleMember(survivor)]);
    expect(await redis.hget(keys.user(survivor.id), 'role')).toBe('admin');
    expect(await indexOf('customer')).toHaveLength(7);
  });

  it('two admins demoting each other at the same moment: exactly one succeeds', async () => {
    const [a, b] = await created(2, 'admin');
    const outcomes = await Promise.all([users.setRole(b.id, 'customer'), users.setRole(a.id, 'customer')]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['changed', 'last-admin']);
    expect(await indexOf('admin')).toHaveLength(1);
  });

  it('an admin the index lacks is counted again by the guard: the last one is refused and the index repaired', async () => {
    const [a] = await created(1, 'admin');
    await redis.zrem(keys.usersByRole('admin'), roleMember(a));
    expect(await users.setRole(a.id, 'customer')).toEqual({ outcome: 'last-admin' });
    expect(await indexOf('admin')).toEqual([roleMember(a)]);
    expect(await redis.hget(keys.user(a.id), 'role')).toBe('admin');
  });

  it('a role change delivered twice still moves the account between the role indexes', async () => {
    const [u] = await created(1, 'customer');
    expect(await deliveredTwice(redis, usersScripts.setRole, () => users.setRole(u.id, 'manager'))).toMatchObject({
      outcome: 'changed',
    });
    expect(await indexOf('customer')).toEqual([]);
    expect(await indexOf('manager')).toEqual([roleMember(u)]);
    expect(await users.listByRole('manager', null, 10)).toEqual({ users: [{ ...u, role: 'manager' }], next: null });
  });

  it('a demotion delivered twice (guard and role change) demotes once and keeps the other admin counted', async () => {
    const [a, b] = await created(2, 'admin');
    const outcome = await deliveredTwice(redis, usersScripts.demoteAdmin, () =>
      deliveredTwice(redis, usersScripts.setRole, () => users.setRole(a.id, 'customer')),
    );
    expect(outcome).toMatchObject({ outcome: 'changed' });
    expect(await indexOf('admin')).toEqual([roleMember(b)]);
    expect(await indexOf('customer')).toEqual([roleMember(a)]);
    expect(await users.setRole(b.id, 'customer')).toEqual({ outcome: 'last-admin' });
  });
});
