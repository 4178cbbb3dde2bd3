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
  abstract create(user: User, formerForms?: readonly string[]): Promise<boolean>;

  abstract findById(id: string): Promise<User | null>;

  /**
   * The account of a normalized email (see email.ts). `formerForms` are other spellings of the same email that an
   * account created before emails were normalized may be stored under: they are tried only when the normalized form
   * finds nothing, an account found through one counts only when its stored email normalizes to `email`, and it is
   * then moved to the normalized form (unless another account already has it). `create` refuses an email that any
   * of them finds.
   */
  abstract findByEmail(email: string, formerForms?: readonly string[]): Promise<User | null>;

  /**
   * Changes a user's role. A change that would take the last admin out of the admins is refused, atomically: of
   * several admins demoting one another at once, at least one stays. Tokens already issued keep their role until
   * refresh.
   */
  abstract setRole(id: string, role: Role): Promise<SetRoleOutcome>;

  /** Users with a role, oldest first, after an opaque position; exact pages. */
  abstract listByRole(role: Role, after: string | null, limit: number): Promise<{ users: User[]; next: string | null }>;
}
