import { Inject, Injectable } from '@nestjs/common';
import { RedisClient } from '../redis/redis-client.js';
import { keys, sortableTime } from '../redis/keys.js';
import { fingerprintOf } from './booking.js';
import {
  adminBookingMember,
  bookingMember,
  decodeBooking,
  encodeBooking,
  parseAdminBookingMember,
  parseBookingMember,
} from './bookings.codec.js';
import type { Booking } from './booking.js';
import { BookingsRepository } from './bookings.repository.js';
import { markOutbox } from '../outbox/outbox-mark.js';
import { outboxNoteArgs } from '../outbox/outbox-note.js';
import type { OutboxNote } from '../outbox/outbox-note.js';
import { bookingsScripts } from './bookings.scripts.js';
import type { BookingQuery, CreateOutcome, WriteOutcome } from './bookings.repository.js';

const member = bookingMember;
const globalMember = adminBookingMember;
/** How long a deleted booking's tombstone lets a re-delivered delete answer "deleted". */
const TOMBSTONE_MS = 60_000;
/** How many index batches an admin listing filtered by type reads before it returns a shorter page. */
const MAX_FILTER_BATCHES = 10;

@Injectable()
export class RedisBookingsRepository extends BookingsRepository {
  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {
    super();
  }

  async create(booking: Booking, note: OutboxNote): Promise<CreateOutcome> {
    const { userId, id } = booking;
    const { create } = bookingsScripts;
    const existingId = create.outcome(
      await create.run(this.redis, [
        keys.booking(userId, id),
        keys.userBookings(userId),
        keys.userBookingsOfType(userId, booking.type),
        keys.userBookingFingerprints(userId),
        keys.userOutbox(userId),
        id,
        encodeBooking(booking),
        member(booking),
        fingerprintOf(booking),
        userId,
        ...outboxNoteArgs(note),
      ]),
    );
    if (existingId === null) markOutbox(this.redis, keys.userOutbox(userId));
    // existingId === id: this very command was delivered twice (ioredis re-sends after a reconnect).
    if (existingId && existingId !== id) {
      const existing = await this.find(userId, existingId);
      if (existing) return { outcome: 'duplicate', existing };
      throw new Error(`booking fingerprint of user ${userId} points to missing booking ${existingId}`);
    }
    await this.indexForAdmins(booking, null);
    return { outcome: 'created' };
  }

  /**
   * Cross-slot lookups for admins, written after the owner's atomic step and again on every edit, so one lost
   * write (a crash in between) heals the next time the booking changes. Separate commands, not a pipeline: on
   * Redis Cluster the keys live on different nodes.
   */
  private async indexForAdmins(next: Booking | null, previous: Booking | null): Promise<void> {
    const writes: Promise<unknown>[] = [];
    if (previous && (!next || globalMember(previous) !== globalMember(next))) {
      writes.push(this.redis.zrem(keys.allBookings(), globalMember(previous)));
    }
    if (next) {
      writes.push(this.redis.set(keys.bookingOwner(next.id), next.userId));
      writes.push(this.redis.zadd(keys.allBookings(), 0, globalMember(next)));
    } else if (previous) {
      writes.push(this.redis.del(keys.bookingOwner(previous.id)));
    }
    await Promise.all(writes);
  }

  async find(userId: string, bookingId: string): Promise<Booking | null> {
    const json = await this.redis.get(keys.booking(userId, bookingId));
    return json ? decodeBooking(json) : null;
  }

  async ownerOf(bookingId: string): Promise<string | null> {
    return this.redis.get(keys.bookingOwner(bookingId));
  }

  async update(previous: Booking, next: Booking, note: OutboxNote): Promise<WriteOutcome> {
    const { userId, id } = previous;
    const { update } = bookingsScripts;
    const outcome = update.outcome(
      await update.run(this.redis, [
        keys.booking(userId, id),
        keys.userBookings(userId),
        keys.userBookingsOfType(userId, previous.type),
        keys.userBookingsOfType(userId, next.type),
        keys.userBookingFingerprints(userId),
        keys.userOutbox(userId),
        String(previous.version),
        encodeBooking(next),
        member(previous),
        member(next),
        fingerprintOf(previous),
        fingerprintOf(next),
        id,
        userId,
        ...outboxNoteArgs(note),
      ]),
    );
    if (outcome.outcome === 'done') markOutbox(this.redis, keys.userOutbox(userId));
    if (outcome.outcome === 'done') await this.indexForAdmins(next, previous);
    return outcome;
  }

  async delete(booking: Booking, note: OutboxNote): Promise<WriteOutcome> {
    const { userId, id } = booking;
    const { delete: remove } = bookingsScripts;
    const outcome = remove.outcome(
      await remove.run(this.redis, [
        keys.booking(userId, id),
        keys.userBookings(userId),
        keys.userBookingsOfType(userId, booking.type),
        keys.userBookingFingerprints(userId),
        keys.bookingTombstone(userId, id),
        keys.userOutbox(userId),
        String(booking.version),
        member(booking),
        fingerprintOf(booking),
        id,
        TOMBSTONE_MS,
        userId,
        ...outboxNoteArgs(note),
      ]),
    );
    if (outcome.outcome === 'done') markOutbox(this.redis, keys.userOutbox(userId));
    if (outcome.outcome === 'done') await this.indexForAdmins(null, booking);
    return outcome;
  }

  async list(query: BookingQuery): Promise<{ bookings: Booking[]; next: string | null }> {
    if (query.userId !== null) return this.listOwn(query, query.userId);
    return this.listAll(query);
  }

  /** One user's bookings: a lexicographic range of the (type) index, then one MGET in the same slot. */
  private async listOwn(query: BookingQuery, userId: string): Promise<{ bookings: Booking[]; next: string | null }> {
    const index = query.type ? keys.userBookingsOfType(userId, query.type) : keys.userBookings(userId);
    const members = await this.range(index, query, query.limit + 1);
    const page = members.slice(0, query.limit);
    if (page.length === 0) return { bookings: [], next: null };
    const ids = page.map((m) => parseBookingMember(m).bookingId);
    const rows = await this.redis.mget(ids.map((id) => keys.booking(userId, id)));
    const bookings = rows.filter((row): row is string => row !== null).map(decodeBooking);
    return { bookings, next: members.length > query.limit ? page[page.length - 1] : null };
  }

  /** Everyone's bookings (admins): the global index, each booking read from its owner's slot. */
  private async listAll(query: BookingQuery): Promise<{ bookings: Booking[]; next: string | null }> {
    const bookings: Booking[] = [];
    let after = query.after;
    for (let batch = 0; batch < MAX_FILTER_BATCHES; batch++) {
      const members = await this.range(keys.allBookings(), { ...query, after }, query.limit + 1);
      const rows = await Promise.all(
        members.map((m) => {
          const { userId, bookingId } = parseAdminBookingMember(m);
          return this.redis.get(keys.booking(userId, bookingId));
        }),
      );
      for (const [i, row] of rows.entries()) {
        after = members[i];
        if (typeof row !== 'string') continue;
        const booking = decodeBooking(row);
        if (query.type && booking.type !== query.type) continue;
        bookings.push(booking);
        if (bookings.length === query.limit) {
          return { bookings, next: i < members.length - 1 || members.length > query.limit ? after : null };
        }
      }
      if (members.length <= query.limit) return { bookings, next: null };
    }
    return { bookings, next: after };
  }

  private range(index: string, query: Omit<BookingQuery, 'limit'>, count: number): Promise<string[]> {
    const min = query.after ? `(${query.after}` : query.from !== null ? `[${sortableTime(query.from)}` : '-';
    const max = query.to !== null ? `(${sortableTime(query.to)}` : '+';
    return this.redis.zrangebylex(index, min, max, 'LIMIT', 0, count);
  }
}
