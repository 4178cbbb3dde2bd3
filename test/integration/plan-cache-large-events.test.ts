import type { SeatingPlan } from '../../src/events/event.js';
import { eventsRepository, storeNumberedEvent } from '../support/events.js';

const SEATS = 20_000;

/**
 * Three 20,000-seat events read in turn keep their plan objects: with room for two only, every read missed, read
 * 20,000 ids and the chart again, and its new plan object made the seat-map serializer rebuild every fragment.
 */
describe('plan cache with 20,000-seat events', () => {
  const repo = eventsRepository();

  const createEvent = () => storeNumberedEvent(repo.events, SEATS);

  it('keeps the plans of three such events read in turn', async () => {
    const ids = [await createEvent(), await createEvent(), await createEvent()];
    const first: (SeatingPlan | null)[] = [];
    for (const id of ids) first.push(await repo.events.findPlan(id));
    for (let round = 0; round < 2; round++) {
      for (const [i, id] of ids.entries()) expect(await repo.events.findPlan(id)).toBe(first[i]);
    }
  });
});
