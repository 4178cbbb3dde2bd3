/** One account as the email migration sees it. */
export interface StoredEmail {
  readonly id: string;
  readonly email: string;
  readonly createdAt: number;
}

/**
 * What the one-off email migration (email-migration.ts) needs of the store. Every write is idempotent and safe to run
 * from several instances at once: the email key is only ever claimed with SET NX, never overwritten.
 */
export abstract class EmailMigrationRepository {
  /** True once `markDone(name)` ran in this keyspace. */
  abstract isDone(name: string): Promise<boolean>;

  abstract markDone(name: string, at: number): Promise<void>;

  /** Every account (id, stored email, creation time), a page at a time; an account may come twice. */
  abstract accounts(): AsyncIterable<StoredEmail[]>;

  /** Claims `email` for the account unless another has it (SET NX); answers the account that has it now. */
  abstract claimEmail(email: string, id: string): Promise<string | null>;

  /** Stores `email` as the account's email, if the account exists. */
  abstract setStoredEmail(id: string, email: string): Promise<void>;

  /** Removes the email key of a former spelling, only if it still names this account. */
  abstract releaseEmail(email: string, id: string): Promise<void>;
}
