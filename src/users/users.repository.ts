import type { Role, User } from './user.js';

/** Storage of user accounts. */
export abstract class UsersRepository {
  /**
   * Stores a new user unless its email is taken. Of two concurrent registrations of one email exactly one returns
   * true; the loser stores nothing that can be logged into.
   */
  abstract create(user: User): Promise<boolean>;

  abstract findById(id: string): Promise<User | null>;

  abstract findByEmail(email: string): Promise<User | null>;

  /** Changes a user's role; null when there is no such user. Tokens already issued keep their role until refresh. */
  abstract setRole(id: string, role: Role): Promise<User | null>;

  /** Users with a role, oldest first, after an opaque position; exact pages. */
  abstract listByRole(role: Role, after: string | null, limit: number): Promise<{ users: User[]; next: string | null }>;
}
