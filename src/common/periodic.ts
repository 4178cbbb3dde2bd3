import { Logger } from '@nestjs/common';

/**
 * Runs a piece of background work every `intervalMs` (0: never), one pass at a time: a pass still running when the
 * next is due is not doubled (a slow Redis must not pile passes up). Failures are logged at debug level, since the
 * work is retried on the next pass anyway.
 */
export class Periodic {
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

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

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  async runOnce(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.work();
    } catch (error) {
      this.logger.debug(`pass failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
