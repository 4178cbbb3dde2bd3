import type { ReservedPrice, SeatingPlan } from './event.js';
import type { Price } from './venue-layout.js';

export interface Total {
  readonly currency: string;
  readonly amount: number;
}

/** Prices added up per currency, by currency code; seats without a price add nothing. */
export function totalsOf(prices: readonly (Price | null)[]): Total[] {
  const sums = new Map<string, number>();
  for (const price of prices) if (price) sums.set(price.currency, (sums.get(price.currency) ?? 0) + price.amount);
  return [...sums].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, amount]) => ({ currency, amount }));
}

/**
 * What a reservation shows of its price: the snapshot taken when it was reserved, or for a seat reserved before
 * prices existed (no snapshot) the seat's category from the plan and no price, which is all that is known of it.
 */
export function reservedPriceOf(
  plan: SeatingPlan | null,
  seatId: string,
  snapshot: ReservedPrice | undefined,
): ReservedPrice {
  if (snapshot) return snapshot;
  const index = plan?.numberOf.get(seatId);
  return { categoryId: index === undefined ? '' : plan!.seats[index - 1].categoryId, price: null };
}
