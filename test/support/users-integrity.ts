import { keys } from '../../src/redis/keys.js';
import { searchTokens } from '../../src/users/user-search.js';
import { roleMember, searchMember } from '../../src/users/users.codec.js';
import type { USERS_INVARIANTS } from '../../src/users/users.integrity.js';
import type { Plant } from './integrity-base.js';
import { ok } from './integrity-base.js';
import type { TestApp } from './test-app.js';

/** Accounts: two admins, one of whom demotes the other to a customer (the admin index loses an entry). */
export async function seedUsers(t: TestApp): Promise<void> {
  const [admin, demoted] = await Promise.all([t.register('admin'), t.register('admin')]);
  ok(await t.http().patch(`/v1/users/${demoted.id}`).set(admin.auth).send({ role: 'customer' }), 200);
}

/** One planted violation per invariant of accounts (src/users/users.integrity.ts); the accounts are seeded anyway. */
export const USERS_PLANTS: Record<keyof typeof USERS_INVARIANTS, Plant> = {
  'admin-index-orphan': async (s, r) => {
    // Bob, a customer, counted as an admin: a promotion that lost the race with a demotion and was not taken out.
    const createdAt = Number(await r.hget(keys.user(s.bob.id), 'createdAt'));
    await r.zadd(keys.usersByRole('admin'), 0, roleMember({ id: s.bob.id, createdAt }));
  },
  'user-search-orphan': async (s, r) => {
    // A token Bob's account does not make: a name he no longer has.
    const createdAt = Number(await r.hget(keys.user(s.bob.id), 'createdAt'));
    await r.zadd(keys.usersSearch('customer'), 0, searchMember('former name', { id: s.bob.id, createdAt }));
  },
  'user-search-missing': async (s, r) => {
    // Bob's email left out of the index: a crash between registration and its index write.
    const [email, name, createdAt] = await r.hmget(keys.user(s.bob.id), 'email', 'name', 'createdAt');
    const [token] = searchTokens({ email: email!, name: name! });
    await r.zrem(keys.usersSearch('customer'), searchMember(token, { id: s.bob.id, createdAt: Number(createdAt) }));
  },
};
