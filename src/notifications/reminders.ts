export interface Reminder {
  /** Stable per thing reminded of (e.g. booking-<id>): scheduling it again moves it. */
  readonly id: string;
  readonly userId: string;
  readonly runAt: number;
  readonly type: string;
  readonly title: string;
  readonly data: Record<string, unknown>;
}

/** Delayed reminder jobs that survive restarts of the service. */
export abstract class Reminders {
  /** Schedules the reminder, replacing an earlier one with the same id. */
  abstract schedule(reminder: Reminder): Promise<void>;

  /** Removes a scheduled reminder; nothing happens when there is none. */
  abstract cancel(reminderId: string): Promise<void>;
}
