import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { normalizeEmail } from './email.js';
import { EmailMigrationRepository } from './email-migration.repository.js';
import type { StoredEmail } from './email-migration.repository.js';

/** The marker's name: bump it only for a new migration, never to re-run this one by accident. */
export const EMAIL_MIGRATION = 'users-email-nfkc-1';

export interface EmailMigrationReport {
  /** False when the marker said it had run already (nothing was read). */
  readonly ran: boolean;
  /** Accounts moved to their normalized email. */
  readonly moved: number;
  /** Accounts left under their former email because another account has the normalized one. */
  readonly unreachable: number;
}

/**
 * Moves accounts created before emails were normalized (stored trimmed and lower-cased only: decomposed accents,
 * fullwidth letters, ligatures...) to the normalized form, once per keyspace, at start before the service says it
 * is ready (AdminBootstrap runs it). After it, every lookup is one GET of the normalized key.
 *
 * Every step is idempotent and instances may run it at the same time: the normalized key is claimed with SET NX
 * only, so whoever claims it first decides and the others follow. Of several accounts whose emails normalize to one
 * form, the one already there keeps it; when none is, the oldest does (creation time, then id: every instance
 * picks the same). The others keep their stored email and former key, can be found by id only, and are named in a
 * warning for an operator to merge or rename.
 */
@Injectable()
export class EmailMigration {
  private readonly logger = new Logger('EmailMigration');

  constructor(
    private readonly store: EmailMigrationRepository,
    private readonly clock: Clock,
  ) {}

  async run(): Promise<EmailMigrationReport> {
    if (await this.store.isDone(EMAIL_MIGRATION)) return { ran: false, moved: 0, unreachable: 0 };
    // Only accounts whose email changes are kept in memory: those written before normalization with a non-NFKC
    // spelling, a small share of any real keyspace.
    const byEmail = new Map<string, StoredEmail[]>();
    for await (const page of this.store.accounts()) {
      for (const account of page) {
        const normalized = normalizeEmail(account.email);
        if (normalized === account.email) continue;
        const group = byEmail.get(normalized) ?? [];
        if (!group.some((a) => a.id === account.id)) group.push(account);
        byEmail.set(normalized, group);
      }
    }
    let moved = 0;
    let unreachable = 0;
    for (const [email, group] of byEmail) {
      group.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
      const owner = await this.store.claimEmail(email, group[0].id);
      for (const account of group) {
        if (account.id === owner) {
          await this.store.setStoredEmail(account.id, email);
          await this.store.releaseEmail(account.email, account.id);
          moved++;
        } else {
          unreachable++;
          this.logger.warn(
            `account ${account.id} has an email that normalizes to the email of account ${owner}: it keeps its ` +
              'former email and can be found by id only (merge or rename it)',
          );
        }
      }
    }
    await this.store.markDone(EMAIL_MIGRATION, this.clock.now());
    if (moved + unreachable > 0) {
      this.logger.log(`emails normalized: ${moved} accounts moved, ${unreachable} left reachable by id only`);
    }
    return { ran: true, moved, unreachable };
  }
}
