/**
 * A reminder's title: fixed text, or "<subject> starts in N minutes" worded when it fires from the time then left
 * until `startsAt` (a reminder scheduled less than its lead time before the start fires at once, and a late one
 * late: the lead time it was scheduled with would be a lie).
 */
export type ReminderTitle = string | { readonly subject: string; readonly startsAt: number };

export interface Reminder {
  /** Stable per thing reminded of (e.g. booking-<id>): scheduling it again moves it. */
  readonly id: string;
  readonly userId: string;
  readonly runAt: number;
  readonly type: string;
  readonly title: ReminderTitle;
  readonly data: Record<string, unknown>;
}

const minutes = (n: number) => `${n} ${n === 1 ? 'minute' : 'minutes'}`;

/** The title as it reads at `now`, to the nearest minute. */
export function reminderTitle(title: ReminderTitle, now: number): string {
  if (typeof title === 'string') return title;
  const left = Math.round((title.startsAt - now) / 60_000);
  if (left > 0) return `${title.subject} starts in ${minutes(left)}`;
  if (left === 0) return `${title.subject} starts now`;
  return `${title.subject} started ${minutes(-left)} ago`;
}

/** Reminder jobs by state: due and waiting for a worker, not due yet, running, and given up after their attempts. */
export type ReminderCounts = Record<'waiting' | 'delayed' | 'active' | 'failed', number>;

/** Delayed reminder jobs that survive restarts of the service. */
export abstract class Reminders {
  /** Schedules the reminder, replacing an earlier one with the same id. */
  abstract schedule(reminder: Reminder): Promise<void>;

  /** Removes a scheduled reminder; nothing happens when there is none. */
  abstract cancel(reminderId: string): Promise<void>;

  /** How many reminder jobs are in each state, for every instance together (the jobs are in Redis). */
  abstract counts(): Promise<ReminderCounts>;
}
