import { Inject, Injectable } from '@nestjs/common';
import { RedisClient } from '../redis/redis-client.js';
import { keys } from '../redis/keys.js';
import { ROLES } from './user.js';
import type { Role, User } from './user.js';
import { byteOrder, listedToken, searchTokens } from './user-search.js';
import { parseRoleMember, parseSearchMember, roleMember, searchMember } from './users.codec.js';
import { UsersRepository } from './users.repository.js';
import { usersScripts } from './users.scripts.js';
import type { SetRoleOutcome, UsersPage } from './users.repository.js';

/** Rounds of index reads one page may take when it meets stale entries, before it answers a shorter page. */
const MAX_ROUNDS = 4;

/** One index a page is read from, and the role its entries must still have. */
interface Source {
  readonly key: string;
  readonly role: Role;
}

function toUser(fields: Record<string, string>): User | null {
  if (!fields.id || !ROLES.includes(fields.role as Role)) return null;
  return {
    id: fields.id,
    // A hash without them is malformed (written by hand or by a bug): shown with empty ones rather than failing.
    email: fields.email ?? '',
    name: fields.name ?? '',
    role: fields.role as Role,
    passwordHash: fields.passwordHash,
    createdAt: Number(fields.createdAt),
  };
}

@Injectable()
export class RedisUsersRepository extends UsersRepository {
  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {
    super();
  }

  async create(user: User): Promise<boolean> {
    // The account is written first under its fresh id, then the email is claimed with SET NX: the claim is the one
    // atomic step that decides a race, and a crash between the two leaves only an account no email points to.
    const userKey = keys.user(user.id);
    await this.redis.hset(userKey, { ...user, createdAt: String(user.createdAt) });
    const claimed = await this.redis.set(keys.userEmail(user.email), user.id, 'NX');
    if (claimed !== 'OK') {
      await this.redis.del(userKey);
      return false;
    }
    await this.redis.zadd(keys.usersByRole(user.role), 0, roleMember(user));
    await this.index(user);
    return true;
  }

  async index(user: User): Promise<void> {
    const tokens = searchTokens(user);
    // An account with neither name nor email (malformed) has nothing to be found by.
    if (tokens.length === 0) return;
    // One ZADD: the account's tokens appear in its role's index together. Repeating it changes nothing.
    await this.redis.zadd(keys.usersSearch(user.role), ...tokens.flatMap((t) => [0, searchMember(t, user)]));
  }

  async reindex(id: string): Promise<boolean> {
    const user = await this.findById(id);
    if (!user) return false;
    await this.index(user);
    // A role change between the read and the ZADD moved the account's entries before ours landed: take ours out.
    const role = await this.redis.hget(keys.user(id), 'role');
    if (role !== user.role) await this.unindex(user, user.role);
    return true;
  }

  private async unindex(user: User, role: Role): Promise<void> {
    const members = searchTokens(user).map((t) => searchMember(t, user));
    if (members.length > 0) await this.redis.zrem(keys.usersSearch(role), ...members);
  }

  async findById(id: string): Promise<User | null> {
    return toUser(await this.redis.hgetall(keys.user(id)));
  }

  async findByEmail(email: string): Promise<User | null> {
    const id = await this.redis.get(keys.userEmail(email));
    return id ? this.findById(id) : null;
  }

  async setRole(id: string, role: Role): Promise<SetRoleOutcome> {
    const current = await this.findById(id);
    if (!current) return { outcome: 'unknown-user' };
    const member = roleMember(current);
    const admins = keys.usersByRole('admin');
    // The admin index decides (one script on one key): out of it first, then the hash. In between the account is
    // counted as no admin while it still is one, which can only make a concurrent demotion more careful. An admin the
    // index lacks is put back by the script itself (atomically, so no other demotion sees it counted twice).
    let removed = false;
    if (role !== 'admin') {
      const { demoteAdmin } = usersScripts;
      const guard = demoteAdmin.outcome(
        await demoteAdmin.run(this.redis, [admins, member, current.role === 'admin' ? '1' : '0']),
      );
      if (guard === 'last-admin') return { outcome: 'last-admin' };
      removed = guard === 'removed';
    }
    let previous: string | null;
    try {
      previous = await usersScripts.setRole.run(this.redis, [keys.user(id), role]);
    } catch (error) {
      // The account left the index but its hash may still say admin: count it again, or the index undercounts.
      if (removed) await this.restoreAdmin(id, member);
      throw error;
    }
    if (previous === null) return { outcome: 'unknown-user' };
    // A script re-sent after a reconnect (ioredis does) answers the role its first delivery set, which then looks like
    // no change: the role read above says which index the account leaves. Both moves are safe to repeat.
    const from = previous !== role ? previous : current.role;
    if (from !== role) {
      await this.redis.zrem(keys.usersByRole(from), member);
      await this.redis.zadd(keys.usersByRole(role), 0, member);
    }
    // A promotion racing a demotion of the same account could add it to the admin index after the demotion took
    // its hash away from admin; read the hash again and take it out if so, so the index never counts a non-admin.
    if (role === 'admin' && (await this.redis.hget(keys.user(id), 'role')) !== 'admin') {
      await this.redis.zrem(admins, member);
    }
    await this.settleIndexes(current);
    return { outcome: 'changed', user: { ...current, role } };
  }

  /**
   * Puts the account in the search index and the (non-admin) role index of the role its hash says, and out of the
   * others, until a read of the role after that work finds it unchanged. Concurrent changes of one account run their
   * index writes interleaved (a slower change's removal can land after a faster one's addition); whichever change
   * reads the role last, after every script, repeats its writes for the final role after every other change's, so
   * once the changes are over the account is in exactly its role's indexes. The admin index is left to its guard.
   */
  private async settleIndexes(user: User): Promise<void> {
    const member = roleMember(user);
    let done: string | null = null;
    for (let round = 0; round < 5; round++) {
      const role = await this.redis.hget(keys.user(user.id), 'role');
      if (role === done || !ROLES.includes(role as Role)) return;
      done = role as Role;
      const others = ROLES.filter((r) => r !== role);
      await Promise.all([
        role !== 'admin' ? this.redis.zadd(keys.usersByRole(role!), 0, member) : undefined,
        this.index({ ...user, role: role as Role }),
      ]);
      await Promise.all([
        ...others.filter((r) => r !== 'admin').map((r) => this.redis.zrem(keys.usersByRole(r), member)),
        ...others.map((r) => this.unindex(user, r)),
      ]);
    }
  }

  /**
   * Puts an admin back into the admin index after a failed demotion, if its hash still says admin. Read after the
   * ZADD again, as a promotion does: should a concurrent demotion have changed the hash meanwhile, take it out.
   */
  private async restoreAdmin(id: string, member: string): Promise<void> {
    const admins = keys.usersByRole('admin');
    try {
      if ((await this.redis.hget(keys.user(id), 'role')) !== 'admin') return;
      await this.redis.zadd(admins, 0, member);
      if ((await this.redis.hget(keys.user(id), 'role')) !== 'admin') await this.redis.zrem(admins, member);
    } catch {
      // Redis is failing: the original error is what the caller reports; the index stays one short (never over).
    }
  }

  async listByRole(role: Role, after: string | null, limit: number): Promise<{ users: User[]; next: string | null }> {
    const members = await this.redis.zrangebylex(
      keys.usersByRole(role),
      after ? `(${after}` : '-',
      '+',
      'LIMIT',
      0,
      limit + 1,
    );
    const page = members.slice(0, limit);
    const users = await Promise.all(page.map((m) => this.findById(parseRoleMember(m).userId)));
    return {
      users: users.filter((u): u is User => u !== null && u.role === role),
      next: members.length > limit ? page[page.length - 1] : null,
    };
  }

  search(query: string, role: Role | undefined, after: string | null, limit: number): Promise<UsersPage> {
    const sources = (role ? [role] : ROLES).map((r) => ({ key: keys.usersSearch(r), role: r }));
    // Every member whose token starts with the query, and nothing else: 0xFF is never part of UTF-8.
    const max = Buffer.concat([Buffer.from(`[${query}`), Buffer.from([0xff])]);
    return this.page(sources, `[${query}`, max, after, limit, (user, member) => {
      const { token } = parseSearchMember(member);
      return listedToken(user, query) === token && searchMember(token, user) === member;
    });
  }

  list(role: Role | undefined, after: string | null, limit: number): Promise<UsersPage> {
    const sources = (role ? [role] : ROLES).map((r) => ({ key: keys.usersByRole(r), role: r }));
    return this.page(sources, '-', '+', after, limit, (user, member) => roleMember(user) === member);
  }

  /**
   * A page over the union of lex indexes, in member order: each round reads `limit + 1` members after the position
   * from every index (one command each), merges them and reads the accounts they name (one command each, issued
   * together: each account is in its own slot). An entry counts only while its account exists, has the index's role
   * and still makes that member (`fits`); others are stale and skipped. At most MAX_ROUNDS rounds, so a page costs
   * at most MAX_ROUNDS × (indexes + limit + 1) commands, however many accounts there are; a page cut short by stale
   * entries still carries the position it reached.
   */
  private async page(
    sources: readonly Source[],
    min: string,
    max: string | Buffer,
    after: string | null,
    limit: number,
    fits: (user: User, member: string) => boolean,
  ): Promise<UsersPage> {
    const found: { user: User; member: string }[] = [];
    let position = after;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const batch = limit + 1;
      const lists = await Promise.all(
        sources.map((s) => this.redis.zrangebylex(s.key, position ? `(${position}` : min, max, 'LIMIT', 0, batch)),
      );
      // The first `batch` members of the merge are the next `batch` of the union; later ones are read again.
      const entries = lists
        .flatMap((members, i) => members.map((member) => ({ member, role: sources[i].role })))
        .sort((a, b) => byteOrder(a.member, b.member))
        .slice(0, batch);
      const exhausted = lists.every((members) => members.length < batch);
      const ids = [...new Set(entries.map((e) => parseSearchOrRoleMember(e.member)))];
      const users = new Map(
        (await Promise.all(ids.map((id) => this.findById(id)))).flatMap((u) => (u ? [[u.id, u]] : [])),
      );
      for (const entry of entries) {
        const user = users.get(parseSearchOrRoleMember(entry.member));
        if (user && user.role === entry.role && fits(user, entry.member)) {
          found.push({ user, member: entry.member });
          if (found.length > limit) break;
        }
        position = entry.member;
      }
      if (found.length > limit) {
        return { users: found.slice(0, limit).map((f) => f.user), next: found[limit - 1].member };
      }
      if (exhausted && entries.length < batch) return { users: found.map((f) => f.user), next: null };
    }
    return { users: found.map((f) => f.user), next: position };
  }
}

/** The account a member of either kind of index names (a search member ends with a role member). */
const parseSearchOrRoleMember = (member: string): string =>
  parseRoleMember(member.slice(member.indexOf('\0') + 1)).userId;
