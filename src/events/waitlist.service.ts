import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { ForbiddenError, NotFoundError, ValidationFailedError } from '../common/domain-error.js';
import { toIso } from '../common/iso-date-time.js';
import type { AuthUser } from '../auth/auth-user.js';
import { AppConfig } from '../config/app-config.js';
import {
  AlreadyInWaitlistError,
  EventStartedError,
  HoldLimitReachedError,
  SeatsStillAvailableError,
} from './events.errors.js';
import { EventsService } from './events.service.js';
import { SeatsService } from './seats.service.js';
import type { JoinWaitlistDto, MyWaitlistView, WaitlistLengthsView, WaitlistPlaceView } from './waitlist.dto.js';
import { WaitlistRepository } from './waitlist.repository.js';
import type { WaitlistPlace } from './waitlist.repository.js';

function placeView(place: WaitlistPlace): WaitlistPlaceView {
  return {
    eventId: place.eventId,
    entryId: place.entryId,
    quantity: place.quantity,
    categoryId: place.categoryId,
    position: place.position,
    joinedAt: toIso(place.joinedAt),
  };
}

/**
 * The waiting line of an event: a user joins when too few seats of what they want are free; the scripts that free
 * seats offer them to the first fitting entry (SeatsRepository), which leaves the line then.
 */
@Injectable()
export class WaitlistService {
  constructor(
    private readonly events: EventsService,
    private readonly waitlist: WaitlistRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly seats: SeatsService,
  ) {}

  /** Joins the line for `quantity` seats of a category (or any), only while fewer are free. */
  async join(eventId: string, dto: JoinWaitlistDto, user: AuthUser): Promise<WaitlistPlaceView> {
    const plan = await this.events.plan(eventId);
    const now = this.clock.now();
    const request = {
      entryId: randomUUID(),
      userId: user.id,
      quantity: dto.quantity,
      categoryId: dto.categoryId ?? null,
      maxHolds: this.config.maxHoldsPerUser,
    };
    const outcome = await this.waitlist.join(eventId, request, now, plan.event.startsAt);
    switch (outcome.outcome) {
      case 'seats-free':
        throw new SeatsStillAvailableError(outcome.free);
      case 'already':
        throw new AlreadyInWaitlistError(outcome.position);
      case 'unknown-category':
        throw ValidationFailedError.field('categoryId', 'the event has no such category');
      case 'started':
        throw new EventStartedError();
      case 'limit':
        throw new HoldLimitReachedError(request.maxHolds);
    }
    const { entryId, userId, quantity, categoryId } = request;
    return placeView({ entryId, userId, quantity, categoryId, eventId, joinedAt: now, position: outcome.position });
  }

  /**
   * Leaves the line, and declines the seats the line offered the caller that are not reserved yet (review 9): they
   * are released, so they go to the next fitting entry. 404 when the caller is neither in line nor holding an offer.
   */
  async leave(eventId: string, user: AuthUser): Promise<void> {
    await this.events.plan(eventId);
    const left = await this.waitlist.leave(eventId, user.id);
    let declined = 0;
    for (const seatId of await this.waitlist.offeredTo(eventId, user.id, this.clock.now())) {
      try {
        await this.seats.release(eventId, seatId, user);
        declined++;
      } catch (error) {
        // Reserved (or released) since it was offered: nothing to decline.
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    if (!left && declined === 0) throw new NotFoundError('Your place in this waiting line (or seats it offered you)');
  }

  async mine(user: AuthUser): Promise<MyWaitlistView> {
    return { items: (await this.waitlist.placesOf(user.id)).map(placeView) };
  }

  /** How many wait per category: for the manager who created the event and admins. */
  async lengths(eventId: string, user: AuthUser): Promise<WaitlistLengthsView> {
    const plan = await this.events.plan(eventId);
    if (user.role !== 'admin' && !(user.role === 'manager' && plan.event.createdBy === user.id)) {
      throw new ForbiddenError('Only the manager who created the event, or an admin, sees its waiting line');
    }
    const lengths = await this.waitlist.lengths(eventId);
    const categories = [...lengths].map(([categoryId, waiting]) => ({ categoryId: categoryId || null, waiting }));
    return { eventId, total: categories.reduce((sum, c) => sum + c.waiting, 0), categories };
  }
}
