import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { isRedisUnavailable } from '../common/store-errors.js';
import { EmailMigrationRepository } from './email-migration.repository.js';
import { UsersRepository } from './users.repository.js';

/** The marker's name: bump it only for a new migration (a new token rule would be `users-search-index-2`). */
export const SEARCH_INDEX_MIGRATION = 'users-search-index-1';

/**
 * Builds the search indexes `{users-search:<role>}` for accounts stored before they existed, once per keyspace, at
 * start before the service says it is ready (AdminBootstrap runs it after the email migration, so the tokens are of
 * the normalized emails). Accounts registered since are indexed at registration, so the marker ends the work for
 * good. Every step is idempotent and instances may run it at once: it only adds an account's own members, and
 * `UsersRepository.reindex` reads the role again after writing, so an account whose role changed meanwhile leaves
 * no entry in its former role's index. Reads every account with SCAN: this is start-up work, not the request path.
 */
@Injectable()
export class SearchIndexMigration {
  private readonly logger = new Logger('SearchIndexMigration');

  constructor(
    private readonly store: EmailMigrationRepository,
    private readonly users: UsersRepository,
    private readonly clock: Clock,
  ) {}

  async run(): Promise<{ ran: boolean; indexed: number }> {
    if (await this.store.isDone(SEARCH_INDEX_MIGRATION)) return { ran: false, indexed: 0 };
    let indexed = 0;
    for await (const page of this.store.accounts()) {
      const done = await Promise.all(page.map((account) => this.reindex(account.id)));
      indexed += done.filter(Boolean).length;
    }
    await this.store.markDone(SEARCH_INDEX_MIGRATION, this.clock.now());
    if (indexed > 0) this.logger.log(`search index built for ${indexed} accounts`);
    return { ran: true, indexed };
  }

  /**
   * One account; one the index cannot take (a malformed hash) is logged and skipped rather than failing the whole
   * migration, which would keep every new instance unready. A Redis error still fails it (retried at the next start).
   */
  private async reindex(id: string): Promise<boolean> {
    try {
      return await this.users.reindex(id);
    } catch (error) {
      if (isRedisUnavailable(error)) throw error;
      this.logger.warn(`account ${id} left out of the search index: ${(error as Error).message}`);
      return false;
    }
  }
}
