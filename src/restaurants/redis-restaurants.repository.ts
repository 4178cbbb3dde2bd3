import { Inject, Injectable } from '@nestjs/common';
import type { Result } from 'ioredis';
import { RedisClient, defineLuaScripts, readAll } from '../redis/redis-client.js';
import { keys, sortableTime } from '../redis/keys.js';
import type { OpeningHours, Restaurant, Table } from './restaurant.js';
import { parseSitting } from './restaurants.codec.js';
import { RestaurantsRepository } from './restaurants.repository.js';
import type {
  BookOutcome,
  BookRequest,
  DayCap,
  MoveChange,
  MoveOutcome,
  RestaurantReservation,
  Sitting,
} from './restaurants.repository.js';

/** The cap's ARGV: day start, day end, most reservations (0: no cap). */
const capArgs = (cap: DayCap | null) => (cap ? [cap.from, cap.to, cap.max] : [0, 0, 0]);

declare module 'ioredis' {
  interface RedisCommander<Context> {
    bookTable(...args: (string | number)[]): Result<[number, string?], Context>;
    moveReservation(...args: (string | number)[]): Result<[number, string?], Context>;
    cancelReservation(...args: (string | number)[]): Result<number, Context>;
    removeTable(...args: (string | number)[]): Result<number, Context>;
  }
}

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
    defineLuaScripts(redis, new URL('./lua/', import.meta.url));
  }

  async create(r: Restaurant): Promise<void> {
    await this.redis.hset(keys.restaurant(r.id), {
      ...r,
      openingHours: JSON.stringify(r.openingHours),
      createdAt: String(r.createdAt),
    });
    await this.redis.zadd(keys.restaurantsByCreation(), 0, `${sortableTime(r.createdAt)}:${r.id}`);
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
    const rows = await Promise.all(page.map((m) => this.redis.hgetall(keys.restaurant(m.slice(m.indexOf(':') + 1)))));
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
    const result = await this.redis.removeTable(
      keys.restaurantTables(restaurantId),
      keys.restaurantSittings(restaurantId),
      tableId,
      now,
      sittingMs,
    );
    return result === 1 ? 'removed' : result === 0 ? 'missing' : 'busy';
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
    const [status, tableId] = await this.redis.bookTable(
      keys.restaurantSittings(r.restaurantId),
      keys.restaurantReservation(r.restaurantId, r.id),
      keys.restaurantReservations(r.restaurantId),
      keys.restaurantTables(r.restaurantId),
      keys.restaurantLiveOf(r.restaurantId, r.userId),
      r.id,
      r.userId,
      r.start,
      r.end,
      r.partySize,
      r.guestName ?? '',
      r.notes ?? '',
      r.createdAt,
      sittingMs,
      ...capArgs(cap),
      ...candidates,
    );
    if (status > 0 && tableId) return { tableId };
    return status === -2 ? 'limit' : 'no-table';
  }

  async findReservation(restaurantId: string, reservationId: string): Promise<RestaurantReservation | null> {
    return toReservation(
      restaurantId,
      await this.redis.hgetall(keys.restaurantReservation(restaurantId, reservationId)),
    );
  }

  async move(reservation: RestaurantReservation, change: MoveChange): Promise<MoveOutcome> {
    const { restaurantId, id } = reservation;
    const [status, tableId] = await this.redis.moveReservation(
      keys.restaurantSittings(restaurantId),
      keys.restaurantReservation(restaurantId, id),
      keys.restaurantReservations(restaurantId),
      keys.restaurantTables(restaurantId),
      keys.restaurantLiveOf(restaurantId, reservation.userId),
      id,
      change.start,
      change.end,
      change.partySize,
      change.now,
      change.sittingMs,
      reservation.version,
      ...capArgs(change.cap),
      ...change.candidates,
    );
    if (status === 1 && tableId) return { tableId };
    if (status === -4) return 'changed';
    if (status === -5) return 'limit';
    return status === -1 ? 'missing' : status === -2 ? 'cancelled' : 'no-table';
  }

  async cancel(restaurantId: string, reservationId: string, userId: string, now: number): Promise<boolean> {
    const result = await this.redis.cancelReservation(
      keys.restaurantSittings(restaurantId),
      keys.restaurantReservation(restaurantId, reservationId),
      keys.restaurantLiveOf(restaurantId, userId),
      reservationId,
      now,
    );
    return result !== -1;
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
