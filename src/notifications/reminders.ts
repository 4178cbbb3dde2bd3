import { Injectable } from '@nestjs/common';

/** What a title saying how long until something starts is worded from, when the reminder fires. */
export interface StartingTitle {
  readonly subject: string;
  readonly startsAt: number;
}

/**
 * A reminder as stored in its job. `title` is always plain text worded when it was scheduled, so that a worker of an
 * older release (which shows `title` as it is) still shows a sensible one during a rolling deploy; `titleParts`, when
 * present, lets this release word "<subject> starts in N minutes" when it fires, from the time then left (a reminder
 * scheduled less than its lead time before the start fires at once, and a late one late).
 */
export interface Reminder {
  /** Stable per thing reminded of (e.g. booking-<id>): scheduling it again moves it. */
  readonly id: string;
  readonly userId: string;
  readonly runAt: number;
  readonly type: string;
  readonly title: string;
  readonly titleParts?: StartingTitle;
  readonly data: Record<string, unknown>;
}

const minutes = (n: number) => `${n} ${n === 1 ? 'minute' : 'minutes'}`;

/** "<subject> starts in N minutes" as it reads at `now`, to the nearest minute. */
export function startingTitle({ subject, startsAt }: StartingTitle, now: number): string {
  const left = Math.round((startsAt - now) / 60_000);
  if (left > 0) return `${subject} starts in ${minutes(left)}`;
  if (left === 0) return `${subject} starts now`;
  return `${subject} started ${minutes(-left)} ago`;
}

/** The title and its parts of a reminder of something that starts at `startsAt`, worded for its run time. */
export function titleStarting(
  subject: string,
  startsAt: number,
  runAt: number,
): Pick<Reminder, 'title' | 'titleParts'> {
  const parts = { subject, startsAt };
  return { title: startingTitle(parts, runAt), titleParts: parts };
}

const isStartingTitle = (value: unknown): value is StartingTitle =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as StartingTitle).subject === 'string' &&
  Number.isFinite((value as StartingTitle).startsAt);

/** What a reminder is of and when it starts, absolute: from `titleParts` when the job has them, else null. */
export function startingOf(job: { readonly title: unknown; readonly titleParts?: unknown }): StartingTitle | null {
  if (isStartingTitle(job.titleParts)) return job.titleParts;
  if (isStartingTitle(job.title)) return job.title;
  return null;
}

/**
 * The title of a reminder job as it reads at `now`: worded from `titleParts` when the job has them, else its text. Jobs
 * of earlier releases have no `titleParts` (a plain title), or briefly had the parts in `title` itself.
 */
export function reminderTitle(job: { readonly title: unknown; readonly titleParts?: unknown }, now: number): string {
  if (isStartingTitle(job.titleParts)) return startingTitle(job.titleParts, now);
  if (isStartingTitle(job.title)) return startingTitle(job.title, now);
  return String(job.title);
}

/** Reminder jobs by state: due and waiting for a worker, not due yet, running, and given up after their attempts. */
export type ReminderCounts = Record<'waiting' | 'delayed' | 'active' | 'failed', number>;

/** Delayed reminder jobs that survive restarts of the service. */
export abstract class Reminders {
  /**
   * Schedules the reminder, replacing an earlier one with the same id. One that is running right now cannot be
   * replaced: the new time is then scheduled beside it (as scheduleAside), and the running one fires once more.
   */
  abstract schedule(reminder: Reminder): Promise<void>;

  /**
   * Removes a scheduled reminder; nothing happens when there is none. One that is running right now cannot be removed
   * and fires once more (a type with a check, ReminderChecks, drops it there when it is no longer wanted).
   */
  abstract cancel(reminderId: string): Promise<void>;

  /**
   * Schedules a reminder beside, not in place of, the one with its id: a job of its own for that due time
   * (`<id>@<runAt>`). For a reminder a stale job found its subject wanting at another time (ReminderCheck); neither job
   * replaces the other, and the one that fires when it is no longer current is dropped. Both notify under the same
   * notification id when due at the same time, so the user hears once.
   */
  abstract scheduleAside(reminder: Reminder): Promise<void>;

  /** How many reminder jobs are in each state, for every instance together (the jobs are in Redis). */
  abstract counts(): Promise<ReminderCounts>;
}

/**
 * Whether a reminder that fires now is still wanted by what it reminds of: true, false (drop it, notify nobody), or
 * the reminder its subject wants instead, due at another time. The last is how a lost move shows: two changes of one
 * subject race, the one stored first moves the job last (remove, then add under the same id), and the job left is
 * for a time the subject no longer has; the worker then schedules the wanted one (or sends it, when already due).
 */
export type ReminderCheck = (reminder: Reminder) => Promise<boolean | Reminder>;

/**
 * The checks the reminder worker runs before it notifies, one per reminder type, registered by the domain that
 * schedules that type (bookings: src/bookings/booking-reminder.check.ts). A type with no check always fires.
 */
@Injectable()
export class ReminderChecks {
  private readonly checks = new Map<string, ReminderCheck>();

  register(type: string, check: ReminderCheck): void {
    this.checks.set(type, check);
  }

  verdict(reminder: Reminder): Promise<boolean | Reminder> {
    return this.checks.get(reminder.type)?.(reminder) ?? Promise.resolve(true);
  }
}
