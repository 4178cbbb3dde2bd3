import { keyCheck } from '../ops/integrity.js';
import type { Finding, IntegrityContribution, IntegrityReader } from '../ops/integrity.js';
import { keyMatcher } from '../redis/key-match.js';
import { keys } from '../redis/keys.js';
import { parseRoleMember, roleMember } from './users.codec.js';

/** What the integrity check verifies of accounts (docs/operations.md explains each). */
export const USERS_INVARIANTS = {
  'admin-index-orphan': 'an admin-index entry for an account that does not exist, is no admin, or another member',
} as const;

type Invariant = keyof typeof USERS_INVARIANTS;

/**
 * The admin index never counts a non-admin (docs/architecture.md, "The last admin"): an account joins it after its
 * hash says admin and leaves it before the hash says otherwise. It may lack an admin (the demotion script puts one
 * back), so only its entries are checked. Other role indexes are read filtered by the hash's role: no invariant.
 */
async function roleIndex(r: IntegrityReader<Invariant>, role: string): Promise<Finding<Invariant>[]> {
  if (role !== 'admin') return [];
  const indexKey = keys.usersByRole(role);
  const out: Finding<Invariant>[] = [];
  for await (const page of r.zpages(indexKey)) {
    const entries = page.map(([member]) => ({ member, ...parseRoleMember(member) }));
    // Each account lives in its own slot: one command per entry.
    const rows = await Promise.all(entries.map((e) => r.redis.hmget(keys.user(e.userId), 'id', 'role', 'createdAt')));
    entries.forEach((e, i) => {
      const [id, accountRole, createdAt] = rows[i];
      const problem =
        id === null
          ? 'the account does not exist'
          : accountRole !== role
            ? `the account is a ${accountRole}`
            : roleMember({ id, createdAt: Number(createdAt) }) !== e.member
              ? `the account was created at ${createdAt}`
              : null;
      if (problem) {
        out.push(r.finding('admin-index-orphan', [indexKey, keys.user(e.userId)], `entry ${e.member}: ${problem}`));
      }
    });
  }
  return out;
}

/** Accounts: the admin index that decides the last-admin rule. */
export const usersIntegrity: IntegrityContribution<Invariant> = {
  invariants: USERS_INVARIANTS,
  keyChecks: [keyCheck(keyMatcher(keys.usersByRole), roleIndex)],
};
