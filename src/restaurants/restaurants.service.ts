import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { CursorCodec } from '../common/cursor.js';
import { ForbiddenError, NotFoundError, ValidationFailedError } from '../common/domain-error.js';
import { toIso } from '../common/iso-date-time.js';
import type { Page } from '../common/pagination.js';
import type { AuthUser } from '../auth/auth-user.js';
import { fittingTables, isManager, localIso, tablesFor, timeslotsOn } from './restaurant.js';
import type { OpeningHours, Restaurant, Table } from './restaurant.js';
import type { CreateRestaurantDto, CreateTableDto, RestaurantView, TimeslotView } from './restaurants.dto.js';
import { TableHasReservationsError } from './restaurants.errors.js';
import { RestaurantsRepository } from './restaurants.repository.js';

function checkHours(hours: readonly OpeningHours[]): void {
  const errors = hours.flatMap((h, i) =>
    h.opens === h.closes ? [{ field: `openingHours.${i}.closes`, message: 'must differ from opens' }] : [],
  );
  if (errors.length) throw new ValidationFailedError(errors);
}

/** Restaurants, their tables and opening hours, and the timeslots they offer. Reservations: RestaurantReservationsService. */
@Injectable()
export class RestaurantsService {
  constructor(
    private readonly restaurants: RestaurantsRepository,
    private readonly cursors: CursorCodec,
    private readonly clock: Clock,
  ) {}

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
    if (result === 'busy') throw new TableHasReservationsError();
  }

  /** The bookable start times of a local date, each with how many fitting tables are free for the whole sitting. */
  async timeslots(restaurantId: string, date: string, partySize: number): Promise<TimeslotView[]> {
    const { restaurant, tables } = await this.load(restaurantId);
    const fitting = fittingTables(tables, partySize);
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

  private async load(restaurantId: string) {
    const found = await this.restaurants.find(restaurantId);
    if (!found) throw new NotFoundError('The restaurant');
    return found;
  }

  private async managed(restaurantId: string, user: AuthUser) {
    const found = await this.load(restaurantId);
    if (!isManager(found.restaurant, user))
      throw new ForbiddenError('Only this restaurant’s manager (or an admin) may do this');
    return found;
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
