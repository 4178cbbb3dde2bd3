import { PLAN_CACHE_SEATS } from '../../src/events/redis-events.repository.js';
import { keys } from '../../src/redis/keys.js';
import { eventsRepository, storeNumberedEvent } from '../support/events.js';

const SEATS_PER_EVENT = 1000;

/** The process cache of seating plans is bounded by the seats it holds, not by the number of plans. */
describe('RedisEventsRepository plan cache', () => {
  const repo = eventsRepository();

  const createEvent = () => storeNumberedEvent(repo.events, SEATS_PER_EVENT);

  /** Whether findPlan still answers once the event is gone from Redis, i.e. from the cache. */
  async function cached(eventId: string): Promise<boolean> {
    await repo.redis.del(keys.event(eventId), keys.eventSeats(eventId));
    return (await repo.events.findPlan(eventId)) !== null;
  }

  it('keeps the most recently used plans up to PLAN_CACHE_SEATS seats and forgets the oldest', async () => {
    const count = PLAN_CACHE_SEATS / SEATS_PER_EVENT + 1;
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(await createEvent());
    for (const id of ids) expect(await repo.events.findPlan(id)).not.toBeNull();
    // One more plan than fits: the first read was evicted, the last one (and the second) are still cached.
    expect(await cached(ids[0])).toBe(false);
    expect(await cached(ids.at(-1)!)).toBe(true);
    expect(await cached(ids[1])).toBe(true);
  });

  it('counts a plan read again as recently used', async () => {
    const count = PLAN_CACHE_SEATS / SEATS_PER_EVENT;
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(await createEvent());
    for (const id of ids) await repo.events.findPlan(id);
    await repo.events.findPlan(ids[0]);
    const extra = await createEvent();
    await repo.events.findPlan(extra);
    expect(await cached(ids[0])).toBe(true);
    expect(await cached(ids[1])).toBe(false);
  });
});
