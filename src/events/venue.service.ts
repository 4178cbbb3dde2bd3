import { Injectable } from '@nestjs/common';
import { ForbiddenError, NotFoundError } from '../common/domain-error.js';
import type { AuthUser } from '../auth/auth-user.js';
import type { SeatStatus, SeatingPlan } from './event.js';
import type { CategoryView, SeatStatusView } from './venue.dto.js';
import { EventsService } from './events.service.js';
import { SeatMapCache } from './seat-map.cache.js';
import type { Price } from './venue-layout.js';
import { VenueRepository } from './venue.repository.js';

/**
 * The seat-status encoding: one ASCII character per seat, in layout order. `o` (offered): held for someone on the
 * waiting list by its offer (the offers hash read with the states); a status the table lacks does not compile.
 */
export const STATUS_CODES: Readonly<Record<SeatStatus, string>> & { readonly offered: 'o' } = {
  available: 'a',
  held: 'h',
  reserved: 'r',
  offered: 'o',
};

/** The parts of an event that describe its venue: the chart, the compact status, the categories and their prices. */
@Injectable()
export class VenueService {
  constructor(
    private readonly events: EventsService,
    private readonly venues: VenueRepository,
    private readonly maps: SeatMapCache,
  ) {}

  /** The static chart's bytes and strong ETag (from the process's plan cache: it never changes). */
  async layout(eventId: string): Promise<{ json: Buffer; etag: string }> {
    return (await this.events.plan(eventId)).layout;
  }

  /**
   * Every seat's status in layout order as one character each, with the sequence number of the latest change they
   * include (read together with the states in one step): apply live updates with a higher seq on top.
   */
  async seatStatus(eventId: string): Promise<SeatStatusView> {
    const { map, seq, states } = await this.events.seatSnapshot(eventId);
    // A kept map is reused only for identical states and offers (StoredSeatStates.sameAs), so its string is too.
    const code = (status: SeatStatus, i: number) =>
      status === 'held' && states.offered?.(map.plan.seatIds[i]!) ? STATUS_CODES.offered : STATUS_CODES[status];
    const status = this.maps.derived(map, 'status-codes', () => map.statuses.map(code).join(''));
    return { eventId, seq, encoding: 'char', status };
  }

  /** The categories in layout order with their current prices. */
  async categories(plan: SeatingPlan): Promise<CategoryView[]> {
    const stored = await this.venues.categories(plan.event.id);
    return plan.categories.map(({ id, name }) => ({ id, name, price: stored.get(id)?.price ?? null }));
  }

  /**
   * Changes a category's current price (the event's creator, if still a manager, or an admin). Seats reserved
   * before keep the price they were reserved at.
   */
  async setPrice(eventId: string, categoryId: string, price: Price | null, user: AuthUser): Promise<CategoryView> {
    const plan = await this.events.plan(eventId);
    const mayChange = user.role === 'admin' || (user.role === 'manager' && plan.event.createdBy === user.id);
    if (!mayChange) throw new ForbiddenError('Only the manager who created the event or an admin can change prices');
    const category = plan.categories.find((c) => c.id === categoryId);
    if (!category) throw new NotFoundError('The category');
    const changed = { id: category.id, name: category.name, price };
    if (!(await this.venues.setPrice(eventId, changed))) throw new NotFoundError('The category');
    return changed;
  }
}
