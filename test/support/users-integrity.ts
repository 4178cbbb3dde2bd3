import { keys } from '../../src/redis/keys.js';
import { roleMember } from '../../src/users/users.codec.js';
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
};
