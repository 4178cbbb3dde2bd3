import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { CursorCodec } from '../common/cursor.js';
import { ForbiddenError, NotFoundError, ValidationFailedError } from '../common/domain-error.js';
import { toIso } from '../common/iso-date-time.js';
import type { Page } from '../common/pagination.js';
import { DomainEvents } from '../domain-events/domain-events.js';
import type { BookingEvent } from '../domain-events/domain-events.js';
import type { AuthUser } from '../auth/auth-user.js';
import { EDITABLE, reminderRunAt } from './booking.js';
import type { Booking } from './booking.js';
import type { BookingView, BookingsQuery, CreateBookingDto, UpdateBookingDto } from './bookings.dto.js';
import { PreconditionFailedError, PreconditionRequiredError } from './bookings.errors.js';
import { BookingsRepository } from './bookings.repository.js';
import type { WriteOutcome } from './bookings.repository.js';

/** How often a DELETE without If-Match re-reads after losing a race with an edit. */
const DELETE_ATTEMPTS = 5;

export const etagOf = (booking: { version: number }) => `"${booking.version}"`;

export function bookingView(b: Booking): BookingView {
  return {
    id: b.id,
    userId: b.userId,
    type: b.type,
    title: b.title,
    startTime: toIso(b.startTime),
    endTime: toIso(b.endTime),
    location: b.location,
    notes: b.notes,
    reminderMinutesBefore: b.reminderMinutesBefore,
    version: b.version,
    createdAt: toIso(b.createdAt),
    updatedAt: toIso(b.updatedAt),
  };
}

/** Does an If-Match header name the current version? `*` matches any existing booking; weak tags never match. */
function matches(ifMatch: string, booking: Booking): boolean {
  if (ifMatch.trim() === '*') return true;
  return ifMatch.split(',').some((tag) => tag.trim() === etagOf(booking));
}

/**
 * The event of a booking stored as `booking` (its reminder job is then moved there, or removed when it has none);
 * `hadReminder`: the version it replaced had a reminder (none for a create).
 */
function stored(type: 'booking.created' | 'booking.updated', booking: Booking, hadReminder: boolean): BookingEvent {
  return {
    type,
    bookingId: booking.id,
    userId: booking.userId,
    hadReminder,
    title: booking.title,
    startTime: booking.startTime,
    version: booking.version,
    reminderAt: reminderRunAt(booking),
    view: bookingView(booking),
  };
}

@Injectable()
export class BookingsService {
  constructor(
    private readonly bookings: BookingsRepository,
    private readonly cursors: CursorCodec,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
  ) {}

  /** Creates a booking; an identical one of the same user (type, title, start, end) is returned instead (200). */
  async create(dto: CreateBookingDto, user: AuthUser): Promise<{ booking: Booking; created: boolean }> {
    const now = this.clock.now();
    const startTime = Date.parse(dto.startTime);
    const endTime = Date.parse(dto.endTime);
    this.checkTimes(startTime, endTime, now, true);
    const booking: Booking = {
      id: randomUUID(),
      userId: user.id,
      type: dto.type,
      title: dto.title,
      startTime,
      endTime,
      location: dto.location ?? null,
      notes: dto.notes ?? null,
      reminderMinutesBefore: dto.reminderMinutesBefore ?? null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    const result = await this.bookings.create(booking, { at: now, data: bookingView(booking) });
    if (result.outcome !== 'created') return { booking: result.existing, created: false };
    await this.events.emit(stored('booking.created', booking, false));
    return { booking, created: true };
  }

  async list(query: BookingsQuery, user: AuthUser): Promise<Page<BookingView>> {
    if (query.userId !== undefined && user.role !== 'admin') {
      throw new ForbiddenError('Only admins may list the bookings of another user');
    }
    const from = query.from ? Date.parse(query.from) : null;
    const to = query.to ? Date.parse(query.to) : null;
    if (from !== null && to !== null && to <= from) throw ValidationFailedError.field('to', 'must be after from');
    const page = await this.bookings.list({
      userId: user.role === 'admin' ? (query.userId ?? null) : user.id,
      from,
      to,
      type: query.type ?? null,
      after: query.cursor ? this.cursors.decodePosition(query.cursor) : null,
      limit: query.limit ?? 20,
    });
    return {
      items: page.bookings.map(bookingView),
      nextCursor: page.next ? this.cursors.encodePosition(page.next) : null,
    };
  }

  /** The booking if the caller owns it (or is an admin); anyone else gets the same 404 as for a missing one. */
  async get(bookingId: string, user: AuthUser): Promise<Booking> {
    const own = await this.bookings.find(user.id, bookingId);
    if (own) return own;
    if (user.role === 'admin') {
      const owner = await this.bookings.ownerOf(bookingId);
      const booking = owner ? await this.bookings.find(owner, bookingId) : null;
      if (booking) return booking;
    }
    throw new NotFoundError('The booking');
  }

  /**
   * Applies a partial change if If-Match names the current version (428 without it, 412 when stale). Of many
   * concurrent edits from one version exactly one wins. A change that changes nothing keeps version and ETag.
   */
  async update(
    bookingId: string,
    dto: UpdateBookingDto,
    ifMatch: string | undefined,
    user: AuthUser,
  ): Promise<Booking> {
    if (ifMatch === undefined) throw new PreconditionRequiredError();
    const current = await this.get(bookingId, user);
    if (!matches(ifMatch, current)) throw new PreconditionFailedError(current.version);
    const changes = {
      ...(dto.type !== undefined && { type: dto.type }),
      ...(dto.title !== undefined && { title: dto.title }),
      ...(dto.startTime !== undefined && { startTime: Date.parse(dto.startTime) }),
      ...(dto.endTime !== undefined && { endTime: Date.parse(dto.endTime) }),
      ...(dto.location !== undefined && { location: dto.location }),
      ...(dto.notes !== undefined && { notes: dto.notes }),
      ...(dto.reminderMinutesBefore !== undefined && { reminderMinutesBefore: dto.reminderMinutesBefore }),
    };
    const merged = { ...current, ...changes };
    if (EDITABLE.every((field) => merged[field] === current[field])) return current;
    const now = this.clock.now();
    this.checkTimes(merged.startTime, merged.endTime, now, merged.startTime !== current.startTime);
    const next: Booking = { ...merged, version: current.version + 1, updatedAt: now };
    this.settle(await this.bookings.update(current, next, { at: now, data: bookingView(next) }));
    await this.events.emit(stored('booking.updated', next, current.reminderMinutesBefore !== null));
    return next;
  }

  /**
   * Deletes at the version read (so a concurrent edit is never half-undone). With If-Match a changed booking is a
   * 412; without it the caller asked for "whatever it is now", so a lost race is retried on a fresh read.
   */
  async delete(bookingId: string, ifMatch: string | undefined, user: AuthUser): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(bookingId, user);
      if (ifMatch !== undefined && !matches(ifMatch, current)) throw new PreconditionFailedError(current.version);
      const outcome = await this.bookings.delete(current, {
        at: this.clock.now(),
        data: { id: current.id, userId: current.userId },
      });
      if (outcome.outcome !== 'stale' || ifMatch !== undefined || attempt === DELETE_ATTEMPTS) {
        this.settle(outcome);
        const hadReminder = current.reminderMinutesBefore !== null;
        await this.events.emit({ type: 'booking.deleted', bookingId: current.id, userId: current.userId, hadReminder });
        return;
      }
    }
  }

  private settle(outcome: WriteOutcome): void {
    if (outcome.outcome === 'missing') throw new NotFoundError('The booking');
    if (outcome.outcome === 'stale') throw new PreconditionFailedError(outcome.currentVersion);
  }

  private checkTimes(startTime: number, endTime: number, now: number, startChanged: boolean): void {
    const errors = [];
    if (startChanged && startTime < now) errors.push({ field: 'startTime', message: 'must not be in the past' });
    if (endTime <= startTime) errors.push({ field: 'endTime', message: 'must be after startTime' });
    if (errors.length) throw new ValidationFailedError(errors);
  }
}
