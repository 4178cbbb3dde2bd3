import { Inject, Injectable } from '@nestjs/common';
import { RedisClient } from '../redis/redis-client.js';
import { keys } from '../redis/keys.js';
import { StoredSeatStates } from './redis-seats.repository.js';
import { encodeCategory, parseCategory } from './venue.codec.js';
import type { Category, Venue } from './venue-layout.js';
import { VenueRepository } from './venue.repository.js';
import type { StatusSnapshot } from './venue.repository.js';
import { addVenueArgs, readStatesArgs, setPriceArgs, venueScripts } from './venue.scripts.js';
import type { AddVenueOutcome } from './venue.scripts.js';

@Injectable()
export class RedisVenueRepository extends VenueRepository {
  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {
    super();
  }

  async statusSnapshot(eventId: string, knownVersion = ''): Promise<StatusSnapshot> {
    const [seq, version, flat, flatOffers = []] = await venueScripts.readStates.run(
      this.redis,
      readStatesArgs(eventId, knownVersion),
    );
    if (!flat) return { states: null, seq: Number(seq), version };
    const raw: Record<string, string> = {};
    for (let i = 0; i < flat.length; i += 2) raw[flat[i]] = flat[i + 1];
    const offers: Record<string, string> = {};
    for (let i = 0; i < flatOffers.length; i += 2) offers[flatOffers[i]] = flatOffers[i + 1];
    return { states: new StoredSeatStates(raw, offers), seq: Number(seq), version };
  }

  async categories(eventId: string): Promise<Map<string, Category>> {
    const stored = await this.redis.hgetall(keys.eventCategories(eventId));
    const categories = new Map<string, Category>();
    for (const [id, value] of Object.entries(stored)) {
      const category = parseCategory(id, value);
      if (category) categories.set(id, category);
    }
    return categories;
  }

  async setPrice(eventId: string, category: Category): Promise<boolean> {
    return venueScripts.setPrice.outcome(
      await venueScripts.setPrice.run(this.redis, setPriceArgs(eventId, category.id, encodeCategory(category))),
    );
  }

  seatIdsOf(eventId: string): Promise<string[]> {
    return this.redis.lrange(keys.eventSeats(eventId), 0, -1);
  }

  async addVenue(eventId: string, venue: Venue): Promise<AddVenueOutcome> {
    return venueScripts.addVenue.outcome(await venueScripts.addVenue.run(this.redis, addVenueArgs(eventId, venue)));
  }

  async isMigrated(name: string): Promise<boolean> {
    return (await this.redis.exists(keys.migrationDone(name))) === 1;
  }

  async markMigrated(name: string, at: number): Promise<void> {
    await this.redis.set(keys.migrationDone(name), String(at), 'NX');
  }
}
