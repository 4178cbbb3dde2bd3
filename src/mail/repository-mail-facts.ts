import { Injectable } from '@nestjs/common';
import { EventsRepository } from '../events/events.repository.js';
import { RestaurantsRepository } from '../restaurants/restaurants.repository.js';
import { UsersRepository } from '../users/users.repository.js';
import { MailFacts } from './mail-facts.js';
import type { SeatPlace } from './mail-facts.js';

/** The facts from the owning modules' repositories (an event's plan is cached per process). */
@Injectable()
export class RepositoryMailFacts extends MailFacts {
  constructor(
    private readonly events: EventsRepository,
    private readonly restaurants: RestaurantsRepository,
    private readonly users: UsersRepository,
  ) {
    super();
  }

  async event(eventId: string) {
    const plan = await this.events.findPlan(eventId);
    return plan && { name: plan.event.name, startsAt: plan.event.startsAt };
  }

  async seats(eventId: string, seatIds: readonly string[]) {
    const plan = await this.events.findPlan(eventId);
    const places = new Map<string, SeatPlace>();
    if (!plan) return places;
    const names = new Map(plan.categories.map((c) => [c.id, c.name]));
    for (const seatId of seatIds) {
      const number = plan.numberOf.get(seatId);
      const seat = number === undefined ? undefined : plan.seats[number - 1];
      if (!seat) continue;
      const parts = [
        seat.section,
        seat.row && `row ${seat.row}`,
        seat.section || seat.row ? `seat ${seat.label}` : `Seat ${seat.label}`,
      ];
      places.set(seatId, { label: parts.filter(Boolean).join(', '), categoryName: names.get(seat.categoryId) ?? null });
    }
    return places;
  }

  async restaurant(restaurantId: string) {
    const found = await this.restaurants.find(restaurantId);
    return found && { name: found.restaurant.name, timeZone: found.restaurant.timezone };
  }

  async userName(userId: string) {
    return (await this.users.findById(userId))?.name ?? null;
  }
}
