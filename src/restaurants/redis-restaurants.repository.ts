import { Inject, Injectable } from '@nestjs/common';
import { markOutbox } from '../outbox/outbox-mark.js';
import { RedisClient, readAll } from '../redis/redis-client.js';
import { keys, lexMember, parseLexMember } from '../redis/keys.js';
import type { OpeningHours, Restaurant, Table } from './restaurant.js';
import { parseSitting } from './restaurants.codec.js';
import { RestaurantsRepository } from './restaurants.repository.js';
import { capArgs, restaurantsScripts } from './restaurants.scripts.js';
import type {
  BookOutcome,
  BookRequest,
  MoveChange,
  MoveOutcome,
  RestaurantReservation,
  Sitting,
} from './restaurants.repository.js';

function toRestaurant(f: Record<string, string>): Restaurant | null {
  if (!f.id) return null;
  return {
    id: f.id,
    name: f.name,
    timezone: f.timezone,
    slotMinutes: Number(f.slotMinutes),
    sittingMinutes: Number(f.sittingMinutes),
    openingHours: JSON.parse(f.openingHours) as OpeningHours[],
    managerId: f.managerId,
    createdAt: Number(f.createdAt),
  };
}

function toReservation(restaurantId: string, f: Record<string, string>): RestaurantReservation | null {
  if (!f.id) return null;
  return {
    id: f.id,
    restaurantId,
    userId: f.userId,
    tableId: f.tableId,
    start: Number(f.start),
    end: Number(f.end),
    partySize: Number(f.partySize),
    guestName: f.guestName || null,
    notes: f.notes || null,
    guestPhone: f.guestPhone || null,
    status: f.status as 'booked' | 'cancelled',
    version: Number(f.version ?? 1),
    createdAt: Number(f.createdAt),
    updatedAt: Number(f.updatedAt),
  };
}

@Injectable()
export class RedisRestaurantsRepository extends RestaurantsRepository {
  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {
    super();
  }

  async create(r: Restaurant): Promise<void> {
    await this.redis.hset(keys.restaurant(r.id), {
      ...r,
      openingHours: JSON.stringify(r.openingHours),
      createdAt: String(r.createdAt),
    });
    await this.redis.zadd(keys.restaurantsByCreation(), 0, lexMember(r.createdAt, r.id));
  }

  async find(restaurantId: string): Promise<{ restaurant: Restaurant; tables: Table[] } | null> {
    // Each key is written on its own, so a pipeline loses no snapshot a MULTI would give.
    const [fields, tables] = (await readAll(
      this.redis.pipeline().hgetall(keys.restaurant(restaurantId)).hvals(keys.restaurantTables(restaurantId)),
    )) as [Record<string, string>, string[]];
    const restaurant = toRestaurant(fields ?? {});
    if (!restaurant) return null;
    return { restaurant, tables: (tables ?? []).map((t) => JSON.parse(t) as Table) };
  }

  async list(after: string | null, limit: number): Promise<{ restaurants: Restaurant[]; next: string | null }> {
    const members = await this.redis.zrangebylex(
      keys.restaurantsByCreation(),
      after ? `(${after}` : '-',
      '+',
      'LIMIT',
      0,
      limit + 1,
    );
    const page = members.slice(0, limit);
    // One command per restaurant: on Redis Cluster each lives on its own node.
    const rows = await Promise.all(page.map((m) => this.redis.hgetall(keys.restaurant(parseLexMember(m).ref))));
    return {
      restaurants: rows.map(toRestaurant).filter((r): r is Restaurant => r !== null),
      next: members.length > limit ? page[page.length - 1] : null,
    };
  }

  async setOpeningHours(r: Restaurant): Promise<void> {
    await this.redis.hset(keys.restaurant(r.id), 'openingHours', JSON.stringify(r.openingHours));
  }

  async addTable(restaurantId: string, table: Table): Promise<void> {
    await this.redis.hset(keys.restaurantTables(restaurantId), table.id, JSON.stringify(table));
  }

  async removeTable(restaurantId: string, tableId: string, now: number, sittingMs: number) {
    const { removeTable } = restaurantsScripts;
    return removeTable.outcome(
      await removeTable.run(this.redis, [
        keys.restaurantTables(restaurantId),
        keys.restaurantSittings(restaurantId),
        tableId,
        now,
        sittingMs,
      ]),
    );
  }

  async sittings(restaurantId: string, from: number, to: number): Promise<Sitting[]> {
    const raw = await this.redis.zrangebyscore(keys.restaurantSittings(restaurantId), from, `(${to}`, 'WITHSCORES');
    const sittings: Sitting[] = [];
    for (let i = 0; i < raw.length; i += 2) {
      sittings.push({ ...parseSitting(raw[i]), start: Number(raw[i + 1]) });
    }
    return sittings;
  }

  async book({ reservation: r, sittingMs, candidates, cap }: BookRequest): Promise<BookOutcome> {
    const { book } = restaurantsScripts;
    const outcome = book.outcome(
      await book.run(this.redis, [
        keys.restaurantSittings(r.restaurantId),
        keys.restaurantReservation(r.restaurantId, r.id),
        keys.restaurantReservations(r.restaurantId),
        keys.restaurantTables(r.restaurantId),
        keys.restaurantLiveOf(r.restaurantId, r.userId),
        keys.restaurantOutbox(r.restaurantId),
        keys.restaurant(r.restaurantId),
        r.id,
        r.userId,
        r.start,
        r.end,
        r.partySize,
        r.guestName ?? '',
        r.notes ?? '',
        r.guestPhone ?? '',
        r.createdAt,
        sittingMs,
        ...capArgs(cap),
        ...candidates,
      ]),
    );
    if (typeof outcome === 'object') markOutbox(this.redis, keys.restaurantOutbox(r.restaurantId));
    return outcome;
  }

  async findReservation(restaurantId: string, reservationId: string): Promise<RestaurantReservation | null> {
    return toReservation(
      restaurantId,
      await this.redis.hgetall(keys.restaurantReservation(restaurantId, reservationId)),
    );
  }

  async move(reservation: RestaurantReservation, change: MoveChange): Promise<MoveOutcome> {
    const { restaurantId, id } = reservation;
    const { move } = restaurantsScripts;
    const outcome = move.outcome(
      await move.run(this.redis, [
        keys.restaurantSittings(restaurantId),
        keys.restaurantReservation(restaurantId, id),
        keys.restaurantReservations(restaurantId),
        keys.restaurantTables(restaurantId),
        keys.restaurantLiveOf(restaurantId, reservation.userId),
        keys.restaurantOutbox(restaurantId),
        keys.restaurant(restaurantId),
        id,
        change.start,
        change.end,
        change.partySize,
        change.now,
        change.sittingMs,
        reservation.version,
        ...capArgs(change.cap),
        ...change.candidates,
      ]),
    );
    if (typeof outcome === 'object') markOutbox(this.redis, keys.restaurantOutbox(restaurantId));
    return outcome;
  }

  async cancel(restaurantId: string, reservationId: string, userId: string, now: number): Promise<boolean> {
    const { cancel } = restaurantsScripts;
    const found = cancel.outcome(
      await cancel.run(this.redis, [
        keys.restaurantSittings(restaurantId),
        keys.restaurantReservation(restaurantId, reservationId),
        keys.restaurantLiveOf(restaurantId, userId),
        keys.restaurantOutbox(restaurantId),
        keys.restaurant(restaurantId),
        reservationId,
        now,
      ]),
    );
    if (found) markOutbox(this.redis, keys.restaurantOutbox(restaurantId));
    return found;
  }

  async reservations(restaurantId: string, from: number, to: number): Promise<RestaurantReservation[]> {
    const ids = await this.redis.zrangebyscore(keys.restaurantReservations(restaurantId), from, `(${to}`);
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(keys.restaurantReservation(restaurantId, id));
    const rows = await readAll(pipeline);
    return rows
      .map((fields) => toReservation(restaurantId, fields as Record<string, string>))
      .filter((r): r is RestaurantReservation => r !== null);
  }
}
