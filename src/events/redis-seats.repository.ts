import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { RedisClient } from '../redis/redis-client.js';
import { keys } from '../redis/keys.js';
import type { SeatStates, StoredSeatState } from './event.js';
import { SeatsRepository } from './seats.repository.js';
import type {
  BestSeatsRequest,
  CancelOutcome,
  EventOffer,
  FreeingTerms,
  HoldOutcome,
  HoldTerms,
  OfferMade,
  ReleaseOutcome,
  ReserveOutcome,
  UserSeat,
} from './seats.repository.js';
import {
  cancelReservationArgs,
  expireHoldsArgs,
  expiryOf,
  holdBestArgs,
  holdSeatsArgs,
  releaseFreeHoldArgs,
  releaseHoldArgs,
  reserveSeatsArgs,
  seatScripts,
} from './seat-script-args.js';
import { markOutbox } from '../outbox/outbox-mark.js';
import { encodeSeatReservation, parseSeatReservation, parseSeatState } from './seat-state.codec.js';
import { parseSeatOffer } from './waitlist.codec.js';

/** How often one hold frees the event's lapsed holds before it answers the seats still lapsed as taken. */
const MAX_SWEEPS = 3;

/**
 * The seat-state hash as HGETALL answered it (ioredis gives an object of field -> value). Values are parsed when asked
 * for, so a read whose seat map is already known (sameAs an earlier read) parses nothing.
 */
export class StoredSeatStates implements SeatStates {
  /** `offers`: the event's offers hash as read with the states (seatId -> "<userId>|<entryId>|<until>"). */
  constructor(
    private readonly raw: Readonly<Record<string, string>>,
    private readonly offers: Readonly<Record<string, string>> = {},
  ) {}

  /** True when the seat is held by the waiting line's offer of it: the offer's user, until the offer's end. */
  offered(seatId: string): boolean {
    const value = Object.hasOwn(this.offers, seatId) ? this.offers[seatId] : undefined;
    const offer = value === undefined ? undefined : parseSeatOffer(value);
    const state = this.get(seatId);
    return !!offer && state?.kind === 'held' && state.userId === offer.userId && state.until === offer.expiresAt;
  }

  get(seatId: string): StoredSeatState | undefined {
    const value = Object.hasOwn(this.raw, seatId) ? this.raw[seatId] : undefined;
    return value === undefined ? undefined : parseSeatState(value);
  }

  *values(): Iterable<StoredSeatState> {
    for (const seatId in this.raw) {
      const state = parseSeatState(this.raw[seatId]);
      if (state) yield state;
    }
  }

  sameAs(other: SeatStates): boolean {
    if (!(other instanceof StoredSeatStates)) return false;
    if (other === this) return true;
    const mine = this.raw;
    const theirs = other.raw;
    let fields = 0;
    for (const seatId in mine) {
      if (!Object.hasOwn(theirs, seatId) || mine[seatId] !== theirs[seatId]) return false;
      fields++;
    }
    // Every field of mine is in theirs with the same value: equal when theirs has no more (and the offers too).
    if (Object.keys(theirs).length !== fields) return false;
    const [a, b] = [this.offers, other.offers];
    return Object.keys(a).length === Object.keys(b).length && Object.keys(a).every((k) => b[k] === a[k]);
  }
}

@Injectable()
export class RedisSeatsRepository extends SeatsRepository {
  private readonly channelPrefix: string;
  private readonly tokenPrefix = randomBytes(6).toString('base64url');
  private holdsSent = 0;

  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {
    super();
    this.channelPrefix = redis.options.keyPrefix ?? '';
  }

  async states(eventId: string): Promise<SeatStates> {
    return new StoredSeatStates(await this.redis.hgetall(keys.seatState(eventId)));
  }

  /**
   * The hold script frees nothing, so that the hot path carries none of the waiting line's keys: when it meets lapsed
   * holds, the event's lapsed holds are freed first (the expire script: the line gets them before this caller, as
   * the sweeper would) and the hold is sent again. Seats still lapsed after MAX_SWEEPS runs (a hold missing from the
   * expiry index, which the integrity check reports) are answered as taken.
   */
  async hold(eventId: string, userId: string, seatIds: readonly string[], terms: HoldTerms): Promise<HoldOutcome> {
    const offers: OfferMade[] = [];
    for (let sweeps = 0; ; sweeps++) {
      const outcome = seatScripts.hold.outcome(
        await seatScripts.hold.run(
          this.redis,
          holdSeatsArgs(this.channelPrefix, eventId, userId, seatIds, terms, this.nextToken()),
        ),
      );
      if (outcome.outcome !== 'lapsed') {
        return this.afterHold(eventId, userId, 'offers' in outcome ? { ...outcome, offers } : outcome, terms);
      }
      if (sweeps === MAX_SWEEPS) {
        return this.afterHold(eventId, userId, { outcome: 'taken', seatIds: outcome.seatIds, offers }, terms);
      }
      const expired = expiryOf(
        await seatScripts.expire.run(this.redis, expireHoldsArgs(this.channelPrefix, eventId, terms, 500)),
      );
      markOutbox(this.redis, keys.eventOutbox(eventId));
      offers.push(...expired.offers);
    }
  }

  async holdBest(eventId: string, userId: string, request: BestSeatsRequest, terms: HoldTerms): Promise<HoldOutcome> {
    const outcome = seatScripts.holdBest.outcome(
      await seatScripts.holdBest.run(
        this.redis,
        holdBestArgs(this.channelPrefix, eventId, userId, request, terms, this.nextToken()),
      ),
    );
    // It may have freed lapsed holds (hold.expired) and made offers (waitlist.offered): not the hot path.
    markOutbox(this.redis, keys.eventOutbox(eventId));
    return this.afterHold(eventId, userId, outcome, terms);
  }

  /** Request tokens of holds: unique per process and call, so the hold scripts tell a re-sent command from a new one. */
  private nextToken(): string {
    return `${this.tokenPrefix}${(++this.holdsSent).toString(36)}`;
  }

  private async afterHold(eventId: string, userId: string, outcome: HoldOutcome, terms: HoldTerms) {
    if ('offers' in outcome) await this.afterOffers(eventId, outcome.offers, terms.offerUntil);
    if (outcome.outcome !== 'held') return outcome;
    // The per-user index lives in the user's slot, so it is written after the event's script: it is only a hint
    // that holdsOf() checks against the event state, and losing this write loses nothing that matters.
    // Which events to look in for GET /users/me/holds; the seats themselves are in the event's own per-user set.
    // GT: a shorter hold in the same event never shortens the entry.
    // And which events the expiry sweeper must visit, by their earliest expiry (LT: never postpones a visit).
    await Promise.all([
      this.redis.zadd(keys.userHoldEvents(userId), 'GT', terms.expiresAt, eventId),
      this.redis.zadd(keys.expiringEvents(), 'LT', terms.expiresAt, eventId),
    ]);
    return outcome;
  }

  /**
   * Offers are holds of the users in line, made by the event's script: their users' hold index and the sweeper's
   * registry (other slots) learn of them here, as for any hold.
   */
  private async afterOffers(eventId: string, offers: readonly OfferMade[], offerUntil: number): Promise<void> {
    if (offers.length === 0) return;
    await Promise.all([
      ...offers.map((offer) => this.redis.zadd(keys.userHoldEvents(offer.userId), 'GT', offerUntil, eventId)),
      this.redis.zadd(keys.expiringEvents(), 'LT', offerUntil, eventId),
    ]);
  }

  async reserve(
    eventId: string,
    userId: string,
    seatIds: readonly string[],
    now: number,
    startsAt: number | null,
  ): Promise<ReserveOutcome> {
    const outcome = seatScripts.reserve.outcome(
      await seatScripts.reserve.run(
        this.redis,
        reserveSeatsArgs(this.channelPrefix, eventId, userId, seatIds, now, startsAt),
      ),
    );
    if (outcome.outcome !== 'reserved') return outcome;
    if (outcome.newlyReserved > 0) markOutbox(this.redis, keys.eventOutbox(eventId));
    const times = outcome.reservedAt;
    // Written on every successful answer, also for a repeated reserve: a retry repairs an index write that a crash
    // or a lost connection skipped the first time. ZADD of the same member is a no-op.
    await this.redis.zadd(
      keys.userSeatReservations(userId),
      ...seatIds.flatMap((seatId, i) => [0, encodeSeatReservation({ eventId, seatId, at: times[i] })]),
    );
    return outcome;
  }

  async release(
    eventId: string,
    userId: string,
    seatId: string,
    terms: FreeingTerms,
    notice = '',
  ): Promise<ReleaseOutcome> {
    // Nobody waits, usually: the release that carries none of the line's keys. Else (it changed nothing) the one
    // that frees through the line and makes the offers in the same step.
    const usual = seatScripts.releaseFree.outcome(
      await seatScripts.releaseFree.run(
        this.redis,
        releaseFreeHoldArgs(this.channelPrefix, eventId, userId, seatId, terms.now, notice),
      ),
    );
    if (usual !== 'someone-waits') return usual;
    const outcome = seatScripts.release.outcome(
      await seatScripts.release.run(
        this.redis,
        releaseHoldArgs(this.channelPrefix, eventId, userId, seatId, terms, notice),
      ),
    );
    if (outcome.offers.length > 0) markOutbox(this.redis, keys.eventOutbox(eventId));
    await this.afterOffers(eventId, outcome.offers, terms.offerUntil);
    return outcome;
  }

  async cancelReservation(
    eventId: string,
    seatId: string,
    userId: string,
    anyOwner: boolean,
    terms: FreeingTerms,
    startsAt: number | null,
  ): Promise<CancelOutcome> {
    const outcome = seatScripts.cancel.outcome(
      await seatScripts.cancel.run(
        this.redis,
        cancelReservationArgs(this.channelPrefix, eventId, seatId, userId, anyOwner, terms, startsAt),
      ),
    );
    if (outcome.outcome !== 'cancelled') return outcome;
    markOutbox(this.redis, keys.eventOutbox(eventId));
    // The owner's index is in the owner's slot: removed after the event's script, like it is written after reserve.
    await Promise.all([
      this.redis.zrem(
        keys.userSeatReservations(outcome.userId),
        encodeSeatReservation({ eventId, seatId, at: outcome.reservedAt }),
      ),
      this.afterOffers(eventId, outcome.offers, terms.offerUntil),
    ]);
    return outcome;
  }

  async holdsOf(userId: string, now: number): Promise<UserSeat[]> {
    const index = keys.userHoldEvents(userId);
    await this.redis.zremrangebyscore(index, '-inf', now);
    const eventIds = await this.redis.zrangebyscore(index, `(${now}`, '+inf');
    // The event's per-user set is exact (hold adds, release and reserve remove, a takeover needs the score to have
    // passed). One command per event, not a pipeline: on Redis Cluster the events live on different nodes.
    const perEvent = await Promise.all(
      eventIds.map((eventId) =>
        this.redis.zrangebyscore(keys.userHoldsInEvent(eventId, userId), `(${now}`, '+inf', 'WITHSCORES'),
      ),
    );
    const holds: UserSeat[] = [];
    perEvent.forEach((flat, i) => {
      for (let j = 0; j < flat.length; j += 2)
        holds.push({ eventId: eventIds[i], seatId: flat[j], at: Number(flat[j + 1]) });
    });
    return holds.sort((a, b) => a.at - b.at);
  }

  async statesOf(eventId: string, seatIds: readonly string[]): Promise<(StoredSeatState | undefined)[]> {
    if (seatIds.length === 0) return [];
    const values = await this.redis.hmget(keys.seatState(eventId), ...seatIds);
    return values.map((value) => (value === null ? undefined : parseSeatState(value)));
  }

  async forgetReservations(userId: string, seats: readonly UserSeat[]): Promise<void> {
    if (seats.length === 0) return;
    await this.redis.zrem(
      keys.userSeatReservations(userId),
      ...seats.map((s) => encodeSeatReservation({ eventId: s.eventId, seatId: s.seatId, at: s.at })),
    );
  }

  async reservationsOf(
    userId: string,
    after: string | null,
    limit: number,
  ): Promise<{ seats: UserSeat[]; next: string | null }> {
    const members = await this.redis.zrange(
      keys.userSeatReservations(userId),
      after ? `(${after}` : '-',
      '+',
      'BYLEX',
      'LIMIT',
      0,
      limit + 1,
    );
    const page = members.slice(0, limit);
    const seats = page.map(parseSeatReservation);
    return { seats, next: members.length > limit ? page[page.length - 1] : null };
  }

  async sweep(
    terms: FreeingTerms,
    maxEvents: number,
    onOffers?: (eventId: string, offers: readonly OfferMade[]) => Promise<void>,
  ): Promise<{ visited: number; offers: EventOffer[] }> {
    const registry = keys.expiringEvents();
    const due = await this.redis.zrangebyscore(registry, '-inf', terms.now, 'LIMIT', 0, maxEvents);
    const offers: EventOffer[] = [];
    let visited = 0;
    let failed: unknown;
    for (const eventId of due) {
      // One event's failure (a script error, a lost connection) does not stop the others, nor lose the announcement
      // of offers already committed in events before it (review 4): each event's offers are announced right away.
      let reply;
      try {
        reply = await seatScripts.expire.run(this.redis, expireHoldsArgs(this.channelPrefix, eventId, terms, 500));
      } catch (error) {
        failed ??= error;
        continue;
      }
      const { next, offers: made } = expiryOf(reply);
      markOutbox(this.redis, keys.eventOutbox(eventId));
      for (const offer of made) offers.push({ ...offer, eventId });
      if (onOffers && made.length > 0) await onOffers(eventId, made).catch((error: unknown) => (failed ??= error));
      await Promise.all(
        made.map((offer) => this.redis.zadd(keys.userHoldEvents(offer.userId), 'GT', terms.offerUntil, eventId)),
      );
      if (next === -1) await this.redis.zrem(registry, eventId);
      else await this.redis.zadd(registry, next, eventId);
      // A hold placed between the script and the line above may have lost its registry entry: look once more.
      const [, earliest] = await this.redis.zrange(keys.holdExpiries(eventId), '0', '0', 'WITHSCORES');
      if (earliest !== undefined) await this.redis.zadd(registry, 'LT', earliest, eventId);
      visited++;
    }
    if (failed !== undefined) throw failed;
    return { visited, offers };
  }
}
