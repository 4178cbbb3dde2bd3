import { Logger } from '@nestjs/common';

/**
 * Runs a piece of background work every `intervalMs` (0: never), one pass at a time: a pass still running when the
 * next is due is not doubled (a slow Redis must not pile passes up). Failures are logged at debug level, since the
 * work is retried on the next pass anyway.
 */
export class Periodic {
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    name: string,
    private readonly work: () => Promise<unknown>,
  ) {
    this.logger = new Logger(name);
  }

  start(intervalMs: number): void {
    if (intervalMs === 0 || this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), intervalMs);
    this.timer.unref();
  }

  /** Stops the timer; resolves once a pass that is running has ended (awaiting it is optional). */
  stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    return this.running ?? Promise.resolve();
  }

  runOnce(): Promise<void> {
    if (this.running) return Promise.resolve();
    const pass = (async () => {
      try {
        await this.work();
      } catch (error) {
        this.logger.debug(`pass failed: ${(error as Error).message}`);
      } finally {
        this.running = undefined;
      }
    })();
    // The pass's finally runs after at least one await, so after this assignment.
    this.running = pass;
    return pass;
  }
}
