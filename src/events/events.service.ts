import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { CursorCodec } from '../common/cursor.js';
import { NotFoundError, ValidationFailedError } from '../common/domain-error.js';
import { toIso } from '../common/iso-date-time.js';
import type { Page } from '../common/pagination.js';
import { AppConfig } from '../config/app-config.js';
import type { AuthUser } from '../auth/auth-user.js';
import type { EventRecord, SeatStates, SeatingPlan } from './event.js';
import { ReadBatches } from './read-batches.js';
import type { CreateEventDto, EventDetailView, EventView } from './events.dto.js';
import { EventStartsInPastError } from './events.errors.js';
import { SeatMapCache } from './seat-map.cache.js';
import type { SeatMap } from './seat-map.serializer.js';
import { EventsRepository } from './events.repository.js';
import { VenueRepository } from './venue.repository.js';
import { parseLayout } from './layout.validator.js';
import { numberedLayout, seatCountOf, venueOf } from './venue-layout.js';

export function eventView(event: EventRecord): EventView {
  return {
    id: event.id,
    name: event.name,
    totalSeats: event.totalSeats,
    holdSeconds: event.holdSeconds,
    startsAt: event.startsAt === null ? null : toIso(event.startsAt),
    createdAt: toIso(event.createdAt),
  };
}

@Injectable()
export class EventsService {
  /** Seat-state reads of one event in flight: callers arriving meanwhile share the next read (ReadBatches). */
  private readonly reads = new ReadBatches<{ states: SeatStates; seq: number; version: string }>();

  constructor(
    private readonly events: EventsRepository,
    private readonly cursors: CursorCodec,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly maps: SeatMapCache,
    private readonly venues: VenueRepository,
  ) {}

  /**
   * Creates an event with seats 1..numberOfSeats, or the seats of a layout, all available. Its seats can be held and
   * reserved until it starts; an event without startsAt never starts (its date is not set: bookable until an
   * operator removes it).
   */
  async create(dto: CreateEventDto, user: AuthUser): Promise<EventView> {
    // `== null`: a JSON null is as absent as a missing field (class-validator's IsOptional lets both through).
    if ((dto.numberOfSeats == null) === (dto.layout == null)) {
      throw ValidationFailedError.field(
        'numberOfSeats',
        'give either numberOfSeats or layout, not both and not neither',
      );
    }
    const layout = dto.layout == null ? numberedLayout(dto.numberOfSeats!) : parseLayout(dto.layout);
    const now = this.clock.now();
    const startsAt = dto.startsAt ? Date.parse(dto.startsAt) : null;
    if (startsAt !== null && startsAt <= now) {
      throw new EventStartsInPastError();
    }
    const seatIds = Array.from({ length: seatCountOf(layout) }, () => randomUUID());
    const event: EventRecord = {
      id: randomUUID(),
      name: dto.name,
      totalSeats: seatIds.length,
      holdSeconds: dto.holdSeconds ?? this.config.holdSeconds,
      startsAt,
      createdAt: now,
      createdBy: user.id,
    };
    await this.events.create(event, venueOf(event.id, layout, seatIds));
    return eventView(event);
  }

  async list(limit = 20, cursor?: string): Promise<Page<EventView>> {
    const after = cursor ? this.cursors.decodePosition(cursor) : null;
    const page = await this.events.list(after, limit);
    return { items: page.events.map(eventView), nextCursor: page.next ? this.cursors.encodePosition(page.next) : null };
  }

  /** The event with its seat counts, its categories with their current prices, and its chart's ETag. */
  async get(eventId: string): Promise<EventDetailView> {
    const [{ plan, statuses }, prices] = await Promise.all([this.seatMap(eventId), this.venues.categories(eventId)]);
    const counts = { available: 0, held: 0, reserved: 0 };
    for (const status of statuses) counts[status]++;
    const categories = plan.categories.map(({ id, name }) => ({ id, name, price: prices.get(id)?.price ?? null }));
    return { ...eventView(plan.event), counts, categories, layoutEtag: plan.layout.etag };
  }

  /**
   * Every seat's status now, from one Redis round trip (the seating plan is cached; the map itself is reused while
   * it is exactly what the stored states give now: SeatMapCache). Holders are not included.
   */
  async seatMap(eventId: string): Promise<SeatMap> {
    return (await this.seatSnapshot(eventId)).map;
  }

  /**
   * The seat map with the sequence number of the latest change it includes, from one round trip: the states are
   * fetched only when they changed since the kept map's version (a read of 20,000 unchanged states costs Redis a GET
   * and an XREVRANGE instead of an HGETALL).
   */
  async seatSnapshot(eventId: string): Promise<{ map: SeatMap; seq: number; states: SeatStates }> {
    const plan = await this.plan(eventId);
    const { states, seq, version } = await this.reads.run(eventId, () => this.readStates(plan));
    return { map: this.maps.mapOf(plan, states, this.clock.now(), version), seq, states };
  }

  /** The stored states, fetched only when they are not those of the kept map's version (asked at send time). */
  private async readStates(plan: SeatingPlan) {
    const kept = this.maps.kept(plan.event.id);
    const read = await this.venues.statusSnapshot(plan.event.id, kept?.plan === plan ? kept.version : '');
    // states null: unchanged since the kept version, whose states `kept` holds (captured before the read, so another
    // request replacing the kept entry meanwhile does not matter).
    return { states: read.states ?? kept!.states, seq: read.seq, version: read.version };
  }

  /**
   * The seat map now as JSON: every seat with its status, or the available ones only (see SeatMapSerializer); of one
   * section only when `section` names one (404 when the event has no section of that name).
   */
  async seatMapJson(eventId: string, status: 'available' | 'all', section?: string): Promise<Buffer> {
    const map = await this.seatMap(eventId);
    const range = section === undefined ? undefined : map.plan.sections.find((s) => s.name === section);
    if (section !== undefined && !range) throw new NotFoundError('The section');
    return this.maps.json(map, status, range);
  }

  /** The event with its seats, or null (a reservation's event that is gone: its seats are shown without a plan). */
  findPlan(eventId: string): Promise<SeatingPlan | null> {
    return this.events.findPlan(eventId);
  }

  /**
   * The event with its seats, or 404. The seat-map cache's plan first: the plan cache may have let it go while a kept
   * map still holds it, and reading it again would build a second plan object (and every fragment keyed by it).
   */
  async plan(eventId: string): Promise<SeatingPlan> {
    const plan = this.maps.kept(eventId)?.plan ?? (await this.events.findPlan(eventId));
    if (!plan) throw new NotFoundError('The event');
    return plan;
  }

  /** The number of a seat of the event; a seat of another event is as unknown as a made-up one. */
  static numberOf(plan: SeatingPlan, seatId: string): number {
    const number = plan.numberOf.get(seatId);
    if (number === undefined) throw new NotFoundError('The seat');
    return number;
  }
}
