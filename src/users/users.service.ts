import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../common/domain-error.js';
import { UserView } from '../auth/auth.dto.js';
import type { Role } from './user.js';
import { UsersRepository } from './users.repository.js';

@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  async get(id: string): Promise<UserView> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundError('The user');
    return UserView.of(user);
  }

  /** Grants a role. The user's current access token keeps its old role until it is refreshed (at most its TTL). */
  async setRole(id: string, role: Role): Promise<UserView> {
    const user = await this.users.setRole(id, role);
    if (!user) throw new NotFoundError('The user');
    return UserView.of(user);
  }
}
