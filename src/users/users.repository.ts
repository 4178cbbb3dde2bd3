import type { Role, User } from './user.js';

export type SetRoleOutcome =
  | { readonly outcome: 'changed'; readonly user: User }
  | { readonly outcome: 'unknown-user' }
  /** The change would have left no admin; nothing was changed. */
  | { readonly outcome: 'last-admin' };

/** A page of accounts; `next` is the opaque position after it, null at the end. */
export interface UsersPage {
  readonly users: User[];
  readonly next: string | null;
}

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

  /**
   * Accounts a search query (in users/user-search.ts's `searchForm`) is a prefix of a token of: the email, or the
   * name from the start of one of its words. Optionally of one role. In token order (byte order), each account once
   * (under its first matching token), after an opaque position. O(log n) per page: range reads of the role indexes,
   * never a scan. A page can be shorter than `limit` when it skipped stale index entries; `next` says whether more
   * follow.
   */
  abstract search(query: string, role: Role | undefined, after: string | null, limit: number): Promise<UsersPage>;

  /** Every account (optionally of one role), oldest first, after an opaque position; same paging as `search`. */
  abstract list(role: Role | undefined, after: string | null, limit: number): Promise<UsersPage>;

  /**
   * Writes the account's entries in the search index of its role. Idempotent. Registration and role changes do it
   * themselves; the search-index migration calls it for accounts stored before the index existed.
   */
  abstract index(user: User): Promise<void>;

  /**
   * Indexes a stored account as it is now (the search-index migration): false when there is no such account. Reads
   * the role again afterwards and takes the entries out of an index whose role the account lost meanwhile.
   */
  abstract reindex(id: string): Promise<boolean>;
}
