import type { Role, User } from './user.js';

export type SetRoleOutcome =
  | { readonly outcome: 'changed'; readonly user: User }
  | { readonly outcome: 'unknown-user' }
  /** The change would have left no admin; nothing was changed. */
  | { readonly outcome: 'last-admin' };

/** Storage of user accounts. */
export abstract class UsersRepository {
  /**
   * Stores a new user unless its email is taken. Of two concurrent registrations of one email exactly one returns
   * true; the loser stores nothing that can be logged into.
   */
  abstract create(user: User): Promise<boolean>;

  abstract findById(id: string): Promise<User | null>;

  /**
   * The account of a normalized email (see email.ts). Only the normalized form is looked up, and nothing is written:
   * accounts stored under a former spelling were moved by the email migration at start (email-migration.ts).
   */
  abstract findByEmail(email: string): Promise<User | null>;

  /**
   * Changes a user's role. A change that would take the last admin out of the admins is refused, atomically: of
   * several admins demoting one another at once, at least one stays. Tokens already issued keep their role until
   * refresh.
   */
  abstract setRole(id: string, role: Role): Promise<SetRoleOutcome>;

  /** Users with a role, oldest first, after an opaque position; exact pages. */
  abstract listByRole(role: Role, after: string | null, limit: number): Promise<{ users: User[]; next: string | null }>;
}
