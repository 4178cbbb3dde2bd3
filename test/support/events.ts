import { randomUUID } from 'node:crypto';
import type { RedisEventsRepository } from '../../src/events/redis-events.repository.js';
import { numberedLayout, venueOf } from '../../src/events/venue-layout.js';
import type { Account, TestApp } from './test-app.js';

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

/** An event of `seats` numbered seats stored straight through the repository (no HTTP, no manager); its id. */
export async function storeNumberedEvent(events: RedisEventsRepository, seats: number): Promise<string> {
  const id = randomUUID();
  const record = { id, name: 'x', totalSeats: seats, holdSeconds: 60, startsAt: null, createdAt: 0 };
  const seatIds = Array.from({ length: seats }, () => randomUUID());
  await events.create({ ...record, createdBy: randomUUID() }, venueOf(id, numberedLayout(seats), seatIds));
  return id;
}
