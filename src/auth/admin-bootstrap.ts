import { Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DomainError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-codes.js';
import { AppConfig } from '../config/app-config.js';
import { AuthService } from './auth.service.js';

/**
 * Creates (or promotes) the configured first admin, ADMIN_EMAIL, when the application starts. It runs in the
 * background, retrying while Redis is not reachable (the API answers 503 meanwhile), and /health/ready stays 503
 * until it is done: "ready" means the service can do what it is configured to do, logging the admin in included.
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AdminBootstrap');
  private done = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  /** False while the configured admin is not known to exist yet; true when none is configured. */
  get isDone(): boolean {
    return this.done || !this.config.adminEmail || !this.config.adminPassword;
  }

  onApplicationBootstrap(): void {
    if (!this.isDone) void this.attempt(1);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async attempt(n: number): Promise<void> {
    if (this.stopped) return;
    try {
      await this.auth.ensureAdmin(this.config.adminEmail!, this.config.adminPassword!);
      this.done = true;
      this.logger.log(`admin account ${this.config.adminEmail} is ready`);
    } catch (error) {
      // Another instance (a cluster copy) created it between our look-up and our insert: it is there now.
      const raced = error instanceof DomainError && error.code === ErrorCode.EmailTaken && n < 3;
      const delay = raced ? 0 : Math.min(500 * 2 ** (n - 1), 5000);
      if (!raced) this.logger.warn(`admin bootstrap failed (${(error as Error).message}); retrying in ${delay} ms`);
      this.timer = setTimeout(() => void this.attempt(n + 1), delay);
    }
  }
}
