import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { CursorCodec } from '../common/cursor.js';
import { DomainError, ForbiddenError, NotFoundError, ValidationFailedError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-codes.js';
import { toIso } from '../common/iso-date-time.js';
import type { Page } from '../common/pagination.js';
import { AppConfig } from '../config/app-config.js';
import { Metrics } from '../metrics/metrics.js';
import { LiveEvents } from '../notifications/live-events.js';
import { bestEffort } from '../notifications/notify.js';
import { Reminders } from '../notifications/reminders.js';
import type { AuthUser } from '../auth/auth-user.js';
import { dayBounds, localDate, localIso, tablesFor, timeslotsOn } from './restaurant.js';
import type { OpeningHours, Restaurant, Table } from './restaurant.js';
import type {
  BookTableDto,
  CreateRestaurantDto,
  CreateTableDto,
  MoveReservationDto,
  RestaurantReservationView,
  RestaurantView,
  TimeslotView,
} from './restaurants.dto.js';
import { RestaurantsRepository } from './restaurants.repository.js';
import type { DayCap, RestaurantReservation } from './restaurants.repository.js';

/** How often a move is reapplied when another move of the same reservation landed first. */
const MOVE_ATTEMPTS = 5;

function checkHours(hours: readonly OpeningHours[]): void {
  const errors = hours.flatMap((h, i) =>
    h.opens === h.closes ? [{ field: `openingHours.${i}.closes`, message: 'must differ from opens' }] : [],
  );
  if (errors.length) throw new ValidationFailedError(errors);
}

const reservationView = (r: RestaurantReservation): RestaurantReservationView => ({
  id: r.id,
  restaurantId: r.restaurantId,
  tableId: r.tableId,
  userId: r.userId,
  start: toIso(r.start),
  end: toIso(r.end),
  partySize: r.partySize,
  guestName: r.guestName,
  notes: r.notes,
  status: r.status,
  createdAt: toIso(r.createdAt),
});

@Injectable()
export class RestaurantsService {
  constructor(
    private readonly restaurants: RestaurantsRepository,
    private readonly cursors: CursorCodec,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly live: LiveEvents,
    private readonly reminders: Reminders,
    private readonly metrics: Metrics,
  ) {}

  private readonly logger = new Logger('RestaurantsService');

  /** Tells the customer; the reminder follows the booking (moved with it, dropped when cancelled). */
  private async announce(type: string, reservation: RestaurantReservation, restaurant: Restaurant): Promise<void> {
    const reminderId = `restaurant-reservation-${reservation.id}`;
    const minutes = this.config.restaurantReminderMinutes;
    await bestEffort(this.logger, 'restaurant reminder', () => {
      if (type === 'restaurant-reservation.cancelled' || minutes === 0) return this.reminders.cancel(reminderId);
      return this.reminders.schedule({
        id: reminderId,
        userId: reservation.userId,
        runAt: reservation.start - minutes * 60_000,
        type: 'restaurant-reservation.reminder',
        title: `Your table at ${restaurant.name} is booked for ${localIso(restaurant, reservation.start)}`,
        data: { restaurantId: restaurant.id, reservationId: reservation.id, start: toIso(reservation.start) },
      });
    });
    await this.live.toUser(reservation.userId, type, { reservation: reservationView(reservation) });
  }

  async create(dto: CreateRestaurantDto, user: AuthUser): Promise<RestaurantView> {
    checkHours(dto.openingHours);
    const restaurant: Restaurant = {
      id: randomUUID(),
      name: dto.name,
      timezone: dto.timezone,
      slotMinutes: dto.slotMinutes ?? 30,
      sittingMinutes: dto.sittingMinutes ?? 90,
      openingHours: dto.openingHours.map(({ day, opens, closes }) => ({ day, opens, closes })),
      managerId: user.id,
      createdAt: this.clock.now(),
    };
    await this.restaurants.create(restaurant);
    return this.view(restaurant);
  }

  async list(limit = 20, cursor?: string): Promise<Page<RestaurantView>> {
    const page = await this.restaurants.list(cursor ? this.cursors.decodePosition(cursor) : null, limit);
    return {
      items: page.restaurants.map((r) => this.view(r)),
      nextCursor: page.next ? this.cursors.encodePosition(page.next) : null,
    };
  }

  async get(restaurantId: string): Promise<RestaurantView> {
    return this.view((await this.load(restaurantId)).restaurant);
  }

  /** Replaces the opening hours; reservations already made stay. */
  async setOpeningHours(restaurantId: string, hours: readonly OpeningHours[], user: AuthUser): Promise<RestaurantView> {
    const { restaurant } = await this.managed(restaurantId, user);
    checkHours(hours);
    const updated = { ...restaurant, openingHours: hours.map(({ day, opens, closes }) => ({ day, opens, closes })) };
    await this.restaurants.setOpeningHours(updated);
    return this.view(updated);
  }

  async tables(restaurantId: string): Promise<Table[]> {
    const { tables } = await this.load(restaurantId);
    return tablesFor(tables, 1);
  }

  async addTable(restaurantId: string, dto: CreateTableDto, user: AuthUser): Promise<Table> {
    await this.managed(restaurantId, user);
    const table: Table = { id: randomUUID(), name: dto.name, seats: dto.seats };
    await this.restaurants.addTable(restaurantId, table);
    return table;
  }

  async removeTable(restaurantId: string, tableId: string, user: AuthUser): Promise<void> {
    const { restaurant } = await this.managed(restaurantId, user);
    const result = await this.restaurants.removeTable(
      restaurantId,
      tableId,
      this.clock.now(),
      restaurant.sittingMinutes * 60_000,
    );
    if (result === 'missing') throw new NotFoundError('The table');
    if (result === 'busy') {
      throw new DomainError(
        ErrorCode.TableHasReservations,
        'The table has current or future reservations; move or cancel them first',
      );
    }
  }

  /** The bookable start times of a local date, each with how many fitting tables are free for the whole sitting. */
  async timeslots(restaurantId: string, date: string, partySize: number): Promise<TimeslotView[]> {
    const { restaurant, tables } = await this.load(restaurantId);
    const fitting = this.fitting(tables, partySize);
    // Only starts still ahead: a slot earlier today cannot be booked, so it is not offered.
    const now = this.clock.now();
    const slots = timeslotsOn(restaurant, date).filter((slot) => slot.start >= now);
    if (slots.length === 0) return [];
    const sittingMs = restaurant.sittingMinutes * 60_000;
    const sittings = await this.restaurants.sittings(
      restaurantId,
      slots[0].start - sittingMs + 1,
      slots[slots.length - 1].end,
    );
    return slots.map((slot) => {
      const busy = new Set(
        sittings.filter((s) => s.start < slot.end && s.start + sittingMs > slot.start).map((s) => s.tableId),
      );
      return {
        start: localIso(restaurant, slot.start),
        end: localIso(restaurant, slot.end),
        freeTables: fitting.filter((t) => !busy.has(t.id)).length,
      };
    });
  }

  /** Books the named table, or the smallest free one that seats the party; never two bookings on one table at once. */
  async book(restaurantId: string, dto: BookTableDto, user: AuthUser): Promise<RestaurantReservationView> {
    const { restaurant, tables } = await this.load(restaurantId);
    const start = Date.parse(dto.start);
    this.checkStart(restaurant, start, 'start');
    const candidates =
      dto.tableId != null
        ? [this.table(tables, dto.tableId, dto.partySize).id]
        : this.fitting(tables, dto.partySize).map((t) => t.id);
    const now = this.clock.now();
    const reservation = {
      id: randomUUID(),
      restaurantId,
      userId: user.id,
      start,
      end: start + restaurant.sittingMinutes * 60_000,
      partySize: dto.partySize,
      guestName: dto.guestName ?? null,
      notes: dto.notes ?? null,
      createdAt: now,
    };
    const result = await this.restaurants.book({
      reservation,
      sittingMs: restaurant.sittingMinutes * 60_000,
      candidates,
      cap: this.isManager(restaurant, user) ? null : this.dayCap(restaurant, start),
    });
    if (result === 'limit') throw this.limitReached();
    if (result === 'no-table') throw this.noTable(dto.tableId != null);
    const { tableId } = result;
    const booked: RestaurantReservation = { ...reservation, tableId, status: 'booked', version: 1, updatedAt: now };
    this.metrics.count('restaurant_bookings');
    await this.announce('restaurant-reservation.booked', booked, restaurant);
    return reservationView(booked);
  }

  /**
   * Moves a booking in one step: the new table/time is taken and the old released together, or nothing changes.
   * The change is applied to the stored reservation; if another move lands between our read and our write, the
   * script refuses and the change is applied again to the fresh read (no partial change is silently lost).
   */
  async move(
    restaurantId: string,
    reservationId: string,
    dto: MoveReservationDto,
    user: AuthUser,
  ): Promise<RestaurantReservationView> {
    const { restaurant, tables } = await this.load(restaurantId);
    for (let attempt = 1; ; attempt++) {
      const current = await this.visible(restaurant, reservationId, user);
      if (current.status === 'cancelled') {
        throw new DomainError(ErrorCode.ReservationCancelled, 'A cancelled reservation cannot be moved');
      }
      const start = dto.start != null ? Date.parse(dto.start) : current.start;
      if (start !== current.start) this.checkStart(restaurant, start, 'start');
      const partySize = dto.partySize ?? current.partySize;
      let candidates: string[];
      if (dto.tableId != null) {
        candidates = [this.table(tables, dto.tableId, partySize).id];
      } else {
        // Staying at the current table is preferred when it still fits; otherwise the smallest free one.
        const fitting = this.fitting(tables, partySize).map((t) => t.id);
        candidates = fitting.includes(current.tableId)
          ? [current.tableId, ...fitting.filter((id) => id !== current.tableId)]
          : fitting;
      }
      const sittingMs = restaurant.sittingMinutes * 60_000;
      const now = this.clock.now();
      // The cap binds a customer moving to another day; a move within the day does not add one to it.
      const otherDay = localDate(restaurant, start) !== localDate(restaurant, current.start);
      const cap = otherDay && !this.isManager(restaurant, user) ? this.dayCap(restaurant, start) : null;
      const change = { start, end: start + sittingMs, partySize, now, sittingMs, candidates, cap };
      const result = await this.restaurants.move(current, change);
      if (result === 'changed' && attempt < MOVE_ATTEMPTS) continue;
      if (result === 'missing') throw new NotFoundError('The reservation');
      if (result === 'cancelled') {
        throw new DomainError(ErrorCode.ReservationCancelled, 'A cancelled reservation cannot be moved');
      }
      if (result === 'changed') throw new DomainError(ErrorCode.Conflict, 'The reservation kept changing; try again');
      if (result === 'no-table') throw this.noTable(dto.tableId != null);
      if (result === 'limit') throw this.limitReached();
      const moved = {
        ...current,
        start,
        end: change.end,
        partySize,
        tableId: result.tableId,
        updatedAt: now,
        version: current.version + 1,
      };
      this.metrics.count('restaurant_moves');
      await this.announce('restaurant-reservation.moved', moved, restaurant);
      return reservationView(moved);
    }
  }

  async cancel(restaurantId: string, reservationId: string, user: AuthUser): Promise<RestaurantReservationView> {
    const { restaurant } = await this.load(restaurantId);
    const current = await this.visible(restaurant, reservationId, user);
    await this.restaurants.cancel(restaurantId, reservationId, current.userId, this.clock.now());
    const after = await this.restaurants.findReservation(restaurantId, reservationId);
    if (current.status !== 'cancelled' && after)
      await this.announce('restaurant-reservation.cancelled', after, restaurant);
    return reservationView(after ?? current);
  }

  /** A local date's reservations: all of them for the manager, the caller's own for anyone else. */
  async reservations(
    restaurantId: string,
    date: string | undefined,
    user: AuthUser,
  ): Promise<RestaurantReservationView[]> {
    const { restaurant } = await this.load(restaurantId);
    const { from, to } = dayBounds(restaurant, date ?? localDate(restaurant, this.clock.now()));
    const all = await this.restaurants.reservations(restaurantId, from, to);
    const mine = this.isManager(restaurant, user) ? all : all.filter((r) => r.userId === user.id);
    return mine.map(reservationView);
  }

  private checkStart(restaurant: Restaurant, start: number, field: string): void {
    if (start < this.clock.now()) throw ValidationFailedError.field(field, 'must not be in the past');
    if (!timeslotsOn(restaurant, localDate(restaurant, start)).some((slot) => slot.start === start)) {
      throw new DomainError(
        ErrorCode.NotATimeslot,
        'This is not one of the day’s timeslots; list them with GET .../timeslots',
        {
          field,
        },
      );
    }
  }

  /** A customer's cap for the restaurant's local day of `start`. */
  private dayCap(restaurant: Restaurant, start: number): DayCap {
    const { from, to } = dayBounds(restaurant, localDate(restaurant, start));
    return { from, to, max: this.config.restaurantMaxReservationsPerDay };
  }

  private limitReached(): DomainError {
    const max = this.config.restaurantMaxReservationsPerDay;
    return new DomainError(
      ErrorCode.ReservationLimitReached,
      `You may have at most ${max} live reservations at this restaurant on one day`,
      { maxPerDay: max },
    );
  }

  private fitting(tables: readonly Table[], partySize: number): Table[] {
    const fitting = tablesFor(tables, partySize);
    if (fitting.length === 0) {
      throw new DomainError(ErrorCode.PartyTooLarge, `No table of this restaurant seats ${partySize}`, {
        field: 'partySize',
      });
    }
    return fitting;
  }

  private table(tables: readonly Table[], tableId: string, partySize: number): Table {
    const table = tables.find((t) => t.id === tableId);
    if (!table) throw new NotFoundError('The table');
    if (table.seats < partySize) {
      throw new DomainError(ErrorCode.PartyTooLarge, `Table ${table.name} seats ${table.seats}`, {
        field: 'partySize',
      });
    }
    return table;
  }

  private noTable(named: boolean): DomainError {
    return named
      ? new DomainError(ErrorCode.TableUnavailable, 'The table is taken for (part of) this sitting')
      : new DomainError(ErrorCode.NoTableAvailable, 'No table that seats the party is free for this sitting');
  }

  private async load(restaurantId: string) {
    const found = await this.restaurants.find(restaurantId);
    if (!found) throw new NotFoundError('The restaurant');
    return found;
  }

  private async managed(restaurantId: string, user: AuthUser) {
    const found = await this.load(restaurantId);
    if (!this.isManager(found.restaurant, user))
      throw new ForbiddenError('Only this restaurant’s manager (or an admin) may do this');
    return found;
  }

  private isManager(restaurant: Restaurant, user: AuthUser): boolean {
    return user.role === 'admin' || (user.role === 'manager' && restaurant.managerId === user.id);
  }

  /** The reservation if the caller made it or manages the restaurant; anyone else gets the 404 of a missing one. */
  private async visible(restaurant: Restaurant, reservationId: string, user: AuthUser): Promise<RestaurantReservation> {
    const reservation = await this.restaurants.findReservation(restaurant.id, reservationId);
    if (!reservation || (reservation.userId !== user.id && !this.isManager(restaurant, user))) {
      throw new NotFoundError('The reservation');
    }
    return reservation;
  }

  private view(r: Restaurant): RestaurantView {
    return {
      id: r.id,
      name: r.name,
      timezone: r.timezone,
      slotMinutes: r.slotMinutes,
      sittingMinutes: r.sittingMinutes,
      openingHours: [...r.openingHours],
      managerId: r.managerId,
      createdAt: toIso(r.createdAt),
    };
  }
}
