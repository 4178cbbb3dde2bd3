import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { StartupMigration } from '../redis/startup-migration.js';
import { EventsRepository } from './events.repository.js';
import { numberedLayout, venueOf } from './venue-layout.js';
import { VenueRepository } from './venue.repository.js';

/** The marker's name: bump it only for a new migration, never to re-run this one by accident. */
export const VENUE_MIGRATION = 'events-venue-1';

/** Events per page of the event list while migrating. */
const PAGE = 100;

/**
 * Gives every event stored before venues (issue 19) the keys creation writes today, once per keyspace, at start:
 * seat-meta, categories, the chart and its ETag, and the free index (the seats without a seat-state entry), each
 * event in one script (add-venue-7.lua) that does nothing for an event that has them. Events created since have them
 * from creation, so the marker ends the work for good. Idempotent and safe on several instances at once. It walks
 * the event list (`{events}:by-creation`), not a SCAN. Runs in the background, retrying while Redis is not
 * reachable; /health/ready answers 503 (`venueMigration: pending`) until it is done. Meanwhile reads need nothing of
 * it (a plan without a stored chart is built from the implicit layout, the same chart byte for byte), but best
 * available and the waiting list need the free index, hence the readiness wait.
 */
@Injectable()
export class VenueMigration extends StartupMigration {
  private done = false;

  constructor(
    private readonly events: EventsRepository,
    private readonly venues: VenueRepository,
    private readonly clock: Clock,
  ) {
    super(new Logger('VenueMigration'), 'venue migration');
  }

  /** False until this process has seen the migration done (by itself or by the marker). */
  get isDone(): boolean {
    return this.done;
  }

  /** Runs the migration unless its marker says it ran; answers how many events it gave a venue (null: ran before). */
  async run(): Promise<number | null> {
    if (await this.venues.isMigrated(VENUE_MIGRATION)) {
      this.done = true;
      return null;
    }
    let added = 0;
    let after: string | null = null;
    do {
      const page = await this.events.list(after, PAGE);
      const outcomes = await Promise.all(page.events.map((event) => this.migrate(event.id)));
      added += outcomes.filter((outcome) => outcome === 'added').length;
      after = page.next;
    } while (after !== null && !this.stopped);
    if (this.stopped) return added;
    await this.venues.markMigrated(VENUE_MIGRATION, this.clock.now());
    this.done = true;
    if (added > 0) this.logger.log(`venues added to ${added} events stored before them`);
    return added;
  }

  private async migrate(eventId: string) {
    const seatIds = await this.venues.seatIdsOf(eventId);
    if (seatIds.length === 0) return 'no-event';
    return this.venues.addVenue(eventId, venueOf(eventId, numberedLayout(seatIds.length), seatIds));
  }
}
