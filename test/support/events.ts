import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../../src/config/app-config.js';
import { RedisEventsRepository } from '../../src/events/redis-events.repository.js';
import { numberedLayout, venueOf } from '../../src/events/venue-layout.js';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { TestApp, testConfig } from './test-app.js';
import type { Account } from './test-app.js';

export interface SeatRow {
  id: string;
  eventId: string;
  number: number;
  status?: string;
}

/** Creates an event through the API as the given manager and returns it with its seats in number order. */
export async function createEvent(
  t: TestApp,
  manager: Account,
  body: Record<string, unknown> = {},
): Promise<{ id: string; seats: SeatRow[] }> {
  const res = await t
    .http()
    .post('/v1/events')
    .set(manager.auth)
    .send({ name: 'Concert', numberOfSeats: 10, ...body });
  if (res.status !== 201) throw new Error(`create event failed: ${res.status} ${JSON.stringify(res.body)}`);
  const seats = await t.http().get(`/v1/events/${res.body.id}/seats?status=all`);
  return { id: res.body.id, seats: seats.body };
}

export async function seatMap(t: TestApp, eventId: string): Promise<Record<number, string>> {
  const res = await t.http().get(`/v1/events/${eventId}/seats?status=all`);
  return Object.fromEntries((res.body as SeatRow[]).map((s) => [s.number, s.status!]));
}

/**
 * A client of the test Redis and the events repository over it (no app), for the describe block that calls it: made
 * before all, the client quit after all. Read the fields inside the tests.
 */
export function eventsRepository(): { readonly redis: RedisClient; readonly events: RedisEventsRepository } {
  let redis: RedisClient | undefined;
  let events: RedisEventsRepository | undefined;
  beforeAll(() => {
    redis = createRedisClient(redisOptionsFrom(testConfig()));
    events = new RedisEventsRepository(redis);
  });
  afterAll(() => redis?.quit());
  return {
    get redis() {
      return redis!;
    },
    get events() {
      return events!;
    },
  };
}

/** An event of `seats` numbered seats stored straight through the repository (no HTTP, no manager); its id. */
export async function storeNumberedEvent(events: RedisEventsRepository, seats: number): Promise<string> {
  const id = randomUUID();
  const record = { id, name: 'x', totalSeats: seats, holdSeconds: 60, startsAt: null, createdAt: 0 };
  const seatIds = Array.from({ length: seats }, () => randomUUID());
  await events.create({ ...record, createdBy: randomUUID() }, venueOf(id, numberedLayout(seats), seatIds));
  return id;
}

/** What the waiting-list tests start the app with: ten holds a user, offers kept five minutes, tokens that last. */
export const WAITLIST_CONFIG: Partial<AppConfig> = {
  maxHoldsPerUser: 10,
  waitlistOfferSeconds: 300,
  accessTokenTtlSeconds: 30 * 86_400,
};

/**
 * The app of the describe block that calls it, started with `config` before all, with a manager to create events,
 * and closed after all. Its fields are set once beforeAll has run: read them inside the tests.
 */
export function eventsApp(config: Partial<AppConfig>): { readonly t: TestApp; readonly manager: Account } {
  let t: TestApp | undefined;
  let manager: Account | undefined;
  beforeAll(async () => {
    t = await TestApp.start(config);
    manager = await t.register('manager');
  });
  afterAll(() => t?.close());
  return {
    get t() {
      return t!;
    },
    get manager() {
      return manager!;
    },
  };
}

/** `who` holds these seats of the event (one POST of holds, answered 200). */
export async function holdSeats(t: TestApp, eventId: string, who: Pick<Account, 'auth'>, seatIds: string[]) {
  await t.http().post(`/v1/events/${eventId}/holds`).set(who.auth).send({ seatIds }).expect(200);
}

/** `who` joins the event's waiting line for `quantity` seats (answered 201). */
export async function joinWaitlist(t: TestApp, eventId: string, who: Pick<Account, 'auth'>, quantity: number) {
  await t.http().post(`/v1/events/${eventId}/waitlist`).set(who.auth).send({ quantity }).expect(201);
}
