/**
 * The only way the service learns the time. Tests bind a clock they can move, so that hold expiry, lead times and
 * token lifetimes are tested in milliseconds rather than by sleeping.
 */
export abstract class Clock {
  /** Milliseconds since the epoch. */
  abstract now(): number;
}

export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }
}

/** A clock that stands still until told to move; used by tests and by the benchmark's scripted scenarios. */
export class ManualClock extends Clock {
  constructor(private current: number = Date.now()) {
    super();
  }

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(epochMs: number): void {
    this.current = epochMs;
  }
}
