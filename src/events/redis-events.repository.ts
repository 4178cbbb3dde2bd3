import { Inject, Injectable } from '@nestjs/common';
import { RedisClient, readAll } from '../redis/redis-client.js';
import { keys, lexMember, parseLexMember } from '../redis/keys.js';
import { planOf } from './event.js';
import { CACHED_MAP_SEATS } from './seat-map.cache.js';
import { encodeCategory, encodeSeatMeta } from './venue.codec.js';
import { numberedLayout, venueOf } from './venue-layout.js';
import type { Category, Venue } from './venue-layout.js';
import type { EventRecord, SeatingPlan } from './event.js';
import { EventsRepository } from './events.repository.js';
import type { EventPage } from './events.repository.js';

/**
 * How many seats the cached seating plans of one process may hold together: the seat-map cache's bound (whose kept
 * maps hold their plans: CACHED_MAP_SEATS) plus one more 20,000-seat event, so that three 20,000-seat events read in
 * turn, or two and many small ones, each keep their plan object (with two, every read of the third missed: it read
 * 20,000 ids and a 1.9 MB chart again, and the new plan object made the seat-map serializer rebuild every fragment).
 * A plan with its chart, its seats' facts and the seat map's fragments costs about 0.65 KB per seat (1.6 KB once
 * ?status=all was asked; measured for 1,000 and 20,000 seats, docs/performance.md "Venue layouts"): 39-96 MB at this
 * bound whatever the size of the events; counting plans instead (500 before) allowed 500 MB. Exported for the tests.
 */
export const PLAN_CACHE_SEATS = CACHED_MAP_SEATS + 20_000;

function toEvent(fields: Record<string, string>): EventRecord | null {
  if (!fields.id) return null;
  return {
    id: fields.id,
    name: fields.name,
    totalSeats: Number(fields.totalSeats),
    holdSeconds: Number(fields.holdSeconds),
    startsAt: fields.startsAt ? Number(fields.startsAt) : null,
    createdAt: Number(fields.createdAt),
    createdBy: fields.createdBy,
  };
}

/** seat-meta's fields: seatId, value, seatId, value, ... */
export function seatMetaFields(venue: Venue): string[] {
  return venue.seatIds.flatMap((seatId, i) => [seatId, encodeSeatMeta(venue.facts[i])]);
}

export function categoryFields(categories: readonly Category[]): string[] {
  return categories.flatMap((category) => [category.id, encodeCategory(category)]);
}

/** The free index's members per category, all seats: score (best-available order), seatId, score, seatId, ... */
export function freeMembers(venue: Venue): Map<string, (string | number)[]> {
  const byCategory = new Map<string, (string | number)[]>();
  venue.facts.forEach((fact, i) => {
    let members = byCategory.get(fact.categoryId);
    if (!members) byCategory.set(fact.categoryId, (members = []));
    members.push(fact.order, venue.seatIds[i]);
  });
  return byCategory;
}

/**
 * The plan of a numberOfSeats event stored before venues (issue 19) whose chart the migration has not written yet:
 * the contract's implicit layout, with the ETag the migration will store for it (the same chart, byte for byte).
 */
function numberedPlan(event: EventRecord, seatIds: readonly string[]): SeatingPlan {
  const venue = venueOf(event.id, numberedLayout(seatIds.length), seatIds);
  return planOf(event, seatIds, venue.document, venue.etag);
}

@Injectable()
export class RedisEventsRepository extends EventsRepository {
  /** Insertion-ordered Map used as an LRU: plans are immutable, so a cached one is never stale. */
  private readonly plans = new Map<string, SeatingPlan>();
  private cachedSeats = 0;

  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {
    super();
  }

  async create(event: EventRecord, venue: Venue): Promise<void> {
    const fields = {
      ...event,
      startsAt: event.startsAt === null ? '' : String(event.startsAt),
      createdAt: String(event.createdAt),
      layoutEtag: venue.etag,
      categories: String(venue.layout.categories.length),
    };
    const id = event.id;
    // Every key shares the event's hash tag, so MULTI makes the event appear with all its seats, their facts, its
    // categories, its chart and its full free index at once, or not at all.
    const multi = this.redis
      .multi()
      .hset(keys.event(id), fields)
      .rpush(keys.eventSeats(id), ...venue.seatIds)
      .hset(keys.seatMeta(id), seatMetaFields(venue))
      .hset(keys.eventCategories(id), categoryFields(venue.layout.categories))
      .set(keys.eventLayout(id), venue.document);
    for (const [categoryId, members] of freeMembers(venue)) multi.zadd(keys.freeSeats(id, categoryId), ...members);
    const results = await multi.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('event creation was aborted');
    await this.redis.zadd(keys.eventsByCreation(), 0, lexMember(event.createdAt, event.id));
  }

  async findPlan(eventId: string): Promise<SeatingPlan | null> {
    const cached = this.plans.get(eventId);
    if (cached) {
      this.plans.delete(eventId);
      this.plans.set(eventId, cached);
      return cached;
    }
    // readAll throws a failed read's error: a Redis that is away must be a 503, not an event that does not exist.
    const [fields, seatIds, chart] = (await readAll(
      this.redis
        .pipeline()
        .hgetall(keys.event(eventId))
        .lrange(keys.eventSeats(eventId), 0, -1)
        .get(keys.eventLayout(eventId)),
    )) as [Record<string, string>, string[], string | null];
    const event = toEvent(fields ?? {});
    if (!event || !seatIds?.length) return null;
    const plan =
      chart && fields.layoutEtag ? planOf(event, seatIds, chart, fields.layoutEtag) : numberedPlan(event, seatIds);
    // Two concurrent misses of one event both read it: the second replaces the first's copy, counted once.
    const previous = this.plans.get(eventId);
    if (previous) {
      this.plans.delete(eventId);
      this.cachedSeats -= previous.seatIds.length;
    }
    this.plans.set(eventId, plan);
    this.cachedSeats += seatIds.length;
    for (const [oldest, cached] of this.plans) {
      if (this.cachedSeats <= PLAN_CACHE_SEATS || oldest === eventId) break;
      this.plans.delete(oldest);
      this.cachedSeats -= cached.seatIds.length;
    }
    return plan;
  }

  async list(after: string | null, limit: number): Promise<EventPage> {
    const members = await this.redis.zrange(
      keys.eventsByCreation(),
      after ? `(${after}` : '+',
      '-',
      'BYLEX',
      'REV',
      'LIMIT',
      0,
      limit + 1,
    );
    const page = members.slice(0, limit);
    const ids = page.map((member) => parseLexMember(member).ref);
    // One command per event, not a pipeline: on Redis Cluster the events live on different nodes.
    const rows = await Promise.all(ids.map((id) => this.redis.hgetall(keys.event(id))));
    const events = rows.map(toEvent).filter((e) => e !== null);
    return { events, next: members.length > limit ? page[page.length - 1] : null };
  }
}
