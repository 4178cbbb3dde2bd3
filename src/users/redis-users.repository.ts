import { Inject, Injectable } from '@nestjs/common';
import type { Result } from 'ioredis';
import { RedisClient, defineLuaScripts } from '../redis/redis-client.js';
import { keys, sortableTime } from '../redis/keys.js';
import { ROLES } from './user.js';
import type { Role, User } from './user.js';
import { UsersRepository } from './users.repository.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    setRole(userKey: string, role: string): Result<string | null, Context>;
  }
}

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

const roleMember = (user: User) => `${sortableTime(user.createdAt)}:${user.id}`;

@Injectable()
export class RedisUsersRepository extends UsersRepository {
  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {
    super();
    defineLuaScripts(redis, new URL('./lua/', import.meta.url));
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

  async setRole(id: string, role: Role): Promise<User | null> {
    const previous = await this.redis.setRole(keys.user(id), role);
    if (previous === null) return null;
    const user = await this.findById(id);
    if (!user) return null;
    if (previous !== role) {
      await this.redis.zrem(keys.usersByRole(previous), roleMember(user));
      await this.redis.zadd(keys.usersByRole(role), 0, roleMember(user));
    }
    return user;
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
    const users = await Promise.all(page.map((m) => this.findById(m.slice(m.indexOf(':') + 1))));
    return {
      users: users.filter((u): u is User => u !== null && u.role === role),
      next: members.length > limit ? page[page.length - 1] : null,
    };
  }
}
