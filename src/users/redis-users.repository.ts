import { Inject, Injectable } from '@nestjs/common';
import { RedisClient } from '../redis/redis-client.js';
import { keys } from '../redis/keys.js';
import { ROLES } from './user.js';
import type { Role, User } from './user.js';
import { parseRoleMember, roleMember } from './users.codec.js';
import { UsersRepository } from './users.repository.js';
import { usersScripts } from './users.scripts.js';
import type { SetRoleOutcome } from './users.repository.js';

function toUser(fields: Record<string, string>): User | null {
  if (!fields.id || !ROLES.includes(fields.role as Role)) return null;
  return {
    id: fields.id,
    email: fields.email,
    name: fields.name,
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
    return true;
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
    return { outcome: 'changed', user: { ...current, role } };
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
}
