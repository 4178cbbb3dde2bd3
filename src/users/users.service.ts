import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../common/domain-error.js';
import { UserView } from './users.dto.js';
import type { Role } from './user.js';
import { LastAdminError } from './users.errors.js';
import { UsersRepository } from './users.repository.js';

@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  async get(id: string): Promise<UserView> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundError('The user');
    return UserView.of(user);
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
