import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { DomainEvents } from '../domain-events/domain-events.js';
import { Metrics } from '../metrics/metrics.js';
import type { SeatingPlan } from './event.js';
import { EventsService } from './events.service.js';
import { SeatsRepository } from './seats.repository.js';
import type { FreeingTerms, OfferMade } from './seats.repository.js';

/**
 * What follows the scripts that free seats: the terms they run with (how long an offer made now lasts), the inbox
 * notification of each offer they made (the live message is the script's own), and the expiry sweeper's run.
 */
@Injectable()
export class WaitlistOffers {
  constructor(
    private readonly events: EventsService,
    private readonly seats: SeatsRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly domainEvents: DomainEvents,
    private readonly metrics: Metrics,
  ) {}

  /** The clock now, and when an offer to the waiting line made now ends. */
  terms(): FreeingTerms {
    const now = this.clock.now();
    return { now, offerUntil: now + this.config.waitlistOfferSeconds * 1000, maxHolds: this.config.maxHoldsPerUser };
  }

  /** Tells the users their offers: a `waitlist.offered` domain event each, which the Notifier puts in the inbox. */
  async announce(plan: SeatingPlan, offers: readonly OfferMade[], terms: FreeingTerms): Promise<void> {
    if (offers.length === 0) return;
    this.metrics.count('waitlist_offers', offers.length);
    for (const offer of offers) {
      await this.domainEvents.emit({
        type: 'waitlist.offered',
        userId: offer.userId,
        eventId: plan.event.id,
        eventName: plan.event.name,
        entryId: offer.entryId,
        seatIds: offer.seatIds,
        // The scripts end an offer at the event's start when that comes first.
        expiresAt: Math.min(terms.offerUntil, plan.event.startsAt ?? Infinity),
      });
    }
  }

  /**
   * One run of the expiry sweeper: lapsed holds (lapsed offers too) freed in up to maxEvents events, to the waiting
   * line first; the offers made are announced. Answers how many events were visited.
   */
  async sweepLapsed(maxEvents = 100): Promise<number> {
    const terms = this.terms();
    // Announced event by event, as each script commits them: an event failing later loses no announcement.
    const { visited } = await this.seats.sweep(terms, maxEvents, async (eventId, offers) =>
      this.announce(await this.events.plan(eventId), offers, terms),
    );
    return visited;
  }
}
