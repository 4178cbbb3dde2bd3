import { keyCheck } from '../ops/integrity.js';
import type { Finding, IntegrityContribution, IntegrityReader } from '../ops/integrity.js';
import { keyMatcher } from '../redis/key-match.js';
import { keys } from '../redis/keys.js';
import { ROLES } from './user.js';
import type { Role } from './user.js';
import { searchTokens } from './user-search.js';
import { parseRoleMember, parseSearchMember, roleMember, searchMember } from './users.codec.js';

/** What the integrity check verifies of accounts (docs/operations.md explains each). */
export const USERS_INVARIANTS = {
  'admin-index-orphan': 'an admin-index entry for an account that does not exist, is no admin, or another member',
  'user-search-orphan': 'a search-index entry for an account that does not exist, has another role or another token',
  'user-search-missing': 'an account whose search tokens are not all in the search index of its role',
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

/**
 * A search index holds exactly the members the accounts of its role make (users.codec.ts, user-search.ts). A role
 * change adds the new entries before it removes the old ones, so an account is briefly in two indexes; the engine
 * reads findings again after it settles, so only one that lasts is reported.
 */
async function searchIndex(r: IntegrityReader<Invariant>, role: string): Promise<Finding<Invariant>[]> {
  const indexKey = keys.usersSearch(role);
  const out: Finding<Invariant>[] = [];
  for await (const page of r.zpages(indexKey)) {
    const entries = page.map(([member]) => ({ member, ...parseSearchMember(member) }));
    const rows = await Promise.all(
      entries.map((e) => r.redis.hmget(keys.user(e.userId), 'id', 'role', 'createdAt', 'email', 'name')),
    );
    entries.forEach((e, i) => {
      const [id, accountRole, createdAt, email, name] = rows[i];
      const problem =
        id === null
          ? 'the account does not exist'
          : accountRole !== role
            ? `the account is a ${accountRole}`
            : !searchTokens({ email: email ?? '', name: name ?? '' })
                  .map((t) => searchMember(t, { id, createdAt: Number(createdAt) }))
                  .includes(e.member)
              ? 'the account makes no such member (another email, name or creation time)'
              : null;
      if (problem) {
        out.push(
          r.finding(
            'user-search-orphan',
            [indexKey, keys.user(e.userId)],
            `entry ${JSON.stringify(e.member)}: ${problem}`,
          ),
        );
      }
    });
  }
  return out;
}

/** An account's search tokens, each in its role's search index (one ZMSCORE). */
async function account(r: IntegrityReader<Invariant>, userId: string): Promise<Finding<Invariant>[]> {
  const [id, role, createdAt, email, name] = await r.redis.hmget(
    keys.user(userId),
    'id',
    'role',
    'createdAt',
    'email',
    'name',
  );
  if (id === null || email === null || name === null || !ROLES.includes(role as Role)) return [];
  const members = searchTokens({ email, name }).map((t) => searchMember(t, { id, createdAt: Number(createdAt) }));
  const scores = await r.redis.zmscore(keys.usersSearch(role!), ...members);
  const missing = members.filter((_, i) => scores[i] === null);
  if (missing.length === 0) return [];
  return [
    r.finding(
      'user-search-missing',
      [keys.user(userId), keys.usersSearch(role!)],
      `the ${role} index lacks ${missing.map((m) => JSON.stringify(parseSearchMember(m).token)).join(', ')}`,
    ),
  ];
}

/** Accounts: the admin index that decides the last-admin rule, and the search indexes of GET /v1/users. */
export const usersIntegrity: IntegrityContribution<Invariant> = {
  invariants: USERS_INVARIANTS,
  keyChecks: [
    keyCheck(keyMatcher(keys.usersByRole), roleIndex),
    keyCheck(keyMatcher(keys.usersSearch), searchIndex),
    keyCheck(keyMatcher(keys.user), account),
  ],
};
