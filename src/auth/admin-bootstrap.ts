import { Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { EmailMigration } from '../users/email-migration.js';
import { SearchIndexMigration } from '../users/search-index-migration.js';
import { EmailTakenError } from './auth.errors.js';
import { AuthService } from './auth.service.js';

/**
 * The start-up work the service needs before it is ready, in order: the one-off email migration (accounts stored
 * under a former spelling of their email move to the normalized one; email-migration.ts), the one-off search index
 * of the accounts stored before it existed (search-index-migration.ts, after the emails are normalized), then the configured first
 * admin, ADMIN_EMAIL, created or promoted (after the migration, so that an admin account stored under a former
 * spelling is found, not duplicated). It runs in the background, retrying while Redis is not reachable (the API
 * answers 503 meanwhile), and /health/ready stays 503 until it is done: "ready" means the service can do what it is
 * configured to do, logging the admin in included.
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AdminBootstrap');
  private migrated = false;
  private done = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private firstAttemptEnded: () => void = () => undefined;
  /** Settles when the first attempt has ended, done or not (tests start from a settled keyspace). */
  readonly firstAttempt = new Promise<void>((resolve) => (this.firstAttemptEnded = resolve));

  constructor(
    private readonly auth: AuthService,
    private readonly emailMigration: EmailMigration,
    private readonly searchIndexMigration: SearchIndexMigration,
    private readonly config: AppConfig,
  ) {}

  /** False while the email and search-index migrations have not run yet (in this process). */
  get isMigrated(): boolean {
    return this.migrated;
  }

  /** False while the migration or the configured admin is pending; the admin counts as done when none is configured. */
  get isDone(): boolean {
    return this.migrated && (this.done || !this.config.adminEmail || !this.config.adminPassword);
  }

  onApplicationBootstrap(): void {
    void this.attempt(1);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.firstAttemptEnded();
  }

  private async attempt(n: number): Promise<void> {
    if (this.stopped) return;
    try {
      if (!this.migrated) {
        await this.emailMigration.run();
        await this.searchIndexMigration.run();
        this.migrated = true;
      }
      if (!this.isDone) {
        await this.auth.ensureAdmin(this.config.adminEmail!, this.config.adminPassword!);
        this.done = true;
        this.logger.log(`admin account ${this.config.adminEmail} is ready`);
      }
    } catch (error) {
      // Another instance (a cluster copy) created it between our look-up and our insert: it is there now.
      const raced = error instanceof EmailTakenError && n < 3;
      const delay = raced ? 0 : Math.min(500 * 2 ** (n - 1), 5000);
      const step = this.migrated ? '' : 'email migration: ';
      if (!raced)
        this.logger.warn(`admin bootstrap failed (${step}${(error as Error).message}); retrying in ${delay} ms`);
      this.timer = setTimeout(() => void this.attempt(n + 1), delay);
    } finally {
      this.firstAttemptEnded();
    }
  }
}
