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
  private stopped = false;

  constructor(
    name: string,
    private readonly work: () => Promise<unknown>,
  ) {
    this.logger = new Logger(name);
  }

  start(intervalMs: number): void {
    if (intervalMs === 0 || this.timer) return;
    this.stopped = false;
    this.timer = setInterval(() => void this.runOnce(), intervalMs);
    this.timer.unref();
  }

  /** Stops the timer (no pass starts after this); resolves once a pass that is running has ended. */
  stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    return this.running ?? Promise.resolve();
  }

  /** Whether stop() was called: long work checks it between steps, so a stop does not wait for all of it. */
  get stopping(): boolean {
    return this.stopped;
  }

  /** Runs a pass now, or answers the one that is running. */
  runOnce(): Promise<void> {
    if (this.running) return this.running;
    if (this.stopped) return Promise.resolve();
    // Started from a resolved promise: a work that throws at once fails this pass, not the Periodic.
    const pass: Promise<void> = Promise.resolve()
      .then(() => this.work())
      .then(
        () => undefined,
        (error: unknown) => this.logger.debug(`pass failed: ${(error as Error).message}`),
      )
      .finally(() => {
        if (this.running === pass) this.running = undefined;
      });
    this.running = pass;
    return pass;
  }
}
