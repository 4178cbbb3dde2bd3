import type { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

/**
 * A once-per-keyspace migration started in the background at application bootstrap: `run` is tried until it
 * succeeds, again after 0.5 s, 1 s, 2 s, ... (at most 5 s apart) while Redis is not reachable, and no more once the
 * application shuts down (`stopped` then tells a long `run` to stop between pages). `run` checks and sets the
 * migration's own marker, so an instance that starts after it is done does nothing.
 */
export abstract class StartupMigration implements OnApplicationBootstrap, OnApplicationShutdown {
  protected stopped = false;
  private timer: NodeJS.Timeout | undefined;

  /** `what` names the migration in the retry warning ("venue migration failed (...)"). */
  protected constructor(
    protected readonly logger: Logger,
    private readonly what: string,
  ) {}

  /** Runs the migration unless its marker says it ran. */
  abstract run(): Promise<unknown>;

  onApplicationBootstrap(): void {
    void this.attempt(1);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async attempt(n: number): Promise<void> {
    if (this.stopped) return;
    try {
      await this.run();
    } catch (error) {
      const delay = Math.min(500 * 2 ** (n - 1), 5000);
      this.logger.warn(`${this.what} failed (${(error as Error).message}); retrying in ${delay} ms`);
      this.timer = setTimeout(() => void this.attempt(n + 1), delay);
    }
  }
}
