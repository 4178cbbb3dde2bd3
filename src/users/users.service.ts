import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CursorCodec } from '../common/cursor.js';
import { NotFoundError, ValidationFailedError } from '../common/domain-error.js';
import { UserView } from './users.dto.js';
import type { UsersPageView, UsersQuery } from './users.dto.js';
import type { Role } from './user.js';
import { capToken, searchForm } from './user-search.js';
import { LastAdminError } from './users.errors.js';
import { UsersRepository } from './users.repository.js';

type UsersCursor = { p: string; s: string };

const isUsersCursor = (value: unknown): value is UsersCursor =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as UsersCursor).p === 'string' &&
  typeof (value as UsersCursor).s === 'string';

/** What a cursor is bound to: the search it continues (a short digest keeps the cursor short). */
const searchDigest = (query: string, role: Role | undefined) =>
  createHash('sha256')
    .update(`${role ?? ''}\n${query}`)
    .digest('base64url')
    .slice(0, 16);

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly cursors: CursorCodec,
  ) {}

  async get(id: string): Promise<UserView> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundError('The user');
    return UserView.of(user);
  }

  /**
   * Finds accounts: with a query, those it is a prefix of the email or of the name from a word on (users/user-search.ts),
   * in token order; without one, every account, oldest first. Optionally of one role. Paged by an opaque cursor bound
   * to the query and role.
   */
  async find(dto: UsersQuery): Promise<UsersPageView> {
    // Capped as the tokens are, so a query longer than a token can be still finds the accounts it is a prefix of.
    const query = capToken(searchForm(dto.query ?? ''));
    const digest = searchDigest(query, dto.role);
    let after: string | null = null;
    if (dto.cursor) {
      const cursor = this.cursors.decode(dto.cursor, isUsersCursor);
      if (cursor.s !== digest) throw ValidationFailedError.field('cursor', 'belongs to another query or role');
      after = cursor.p;
    }
    const limit = dto.limit ?? 20;
    const page = query
      ? await this.users.search(query, dto.role, after, limit)
      : await this.users.list(dto.role, after, limit);
    return {
      items: page.users.map((u) => UserView.of(u)),
      nextCursor: page.next === null ? null : this.cursors.encode({ p: page.next, s: digest }),
    };
  }

  /**
   * Grants a role. The user's current access token keeps its old role until it is refreshed (at most its TTL).
   * Refused with LAST_ADMIN when it would leave no admin (an admin demoting itself included).
   */
  async setRole(id: string, role: Role): Promise<UserView> {
    const result = await this.users.setRole(id, role);
    if (result.outcome === 'unknown-user') throw new NotFoundError('The user');
    if (result.outcome === 'last-admin') throw new LastAdminError();
    return UserView.of(result.user);
  }
}
