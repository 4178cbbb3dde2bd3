import { keys } from '../../src/redis/keys.js';
import { TestApp } from '../support/test-app.js';
import { createEvent, seatMap } from '../support/events.js';

/** "Exactly one winner", proven with many concurrent HTTP requests against the real app and Redis. */
describe('seat races (HTTP)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ maxHoldsPerUser: 10 });
  });
  afterAll(() => t.close());

  async function storedState(eventId: string): Promise<Record<string, string>> {
    return t.redis.hgetall(keys.seatState(eventId));
  }

  it('200 users holding one seat at once: exactly one wins, the others get 409', async () => {
    const manager = await t.register('manager');
    const event = await createEvent(t, manager);
    const seat = event.seats[0];
    const users = Array.from({ length: 200 }, () => t.bearer());

    const results = await Promise.all(
      users.map((u) => t.http().post(`/v1/events/${event.id}/seats/${seat.id}/hold`).set(u.auth)),
    );

    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.body.code === 'SEAT_UNAVAILABLE')).toHaveLength(199);
    const state = await storedState(event.id);
    expect(state[seat.id]).toMatch(new RegExp(`^H\\|${winners[0].body.userId}\\|`));
  });

  it('200 users reserving one seat while one of them holds it: only the holder reserves, once', async () => {
    const manager = await t.register('manager');
    const event = await createEvent(t, manager);
    const seat = event.seats[3];
    const holder = t.bearer();
    await t.http().post(`/v1/events/${event.id}/seats/${seat.id}/hold`).set(holder.auth).expect(200);
    const others = Array.from({ length: 190 }, () => t.bearer());
    const attempts = [...Array.from({ length: 10 }, () => holder), ...others];

    const results = await Promise.all(
      attempts.map((u) => t.http().post(`/v1/events/${event.id}/seats/${seat.id}/reserve`).set(u.auth)),
    );

    const byHolder = results.slice(0, 10);
    expect(byHolder.filter((r) => r.status === 201)).toHaveLength(1);
    expect(byHolder.filter((r) => r.status === 200)).toHaveLength(9);
    expect(new Set(byHolder.map((r) => r.body.reservedAt)).size).toBe(1);
    expect(results.slice(10).every((r) => r.status === 409 && r.body.code === 'HOLD_REQUIRED')).toBe(true);
    expect((await storedState(event.id))[seat.id]).toMatch(new RegExp(`^R\\|${holder.id}\\|`));
  });

  it('overlapping multi-seat holds: no seat in two holds, every hold all or nothing', async () => {
    const manager = await t.register('manager');
    const event = await createEvent(t, manager, { numberOfSeats: 12 });
    const users = Array.from({ length: 60 }, () => t.bearer());
    // Each user wants a window of 3 consecutive seats starting at a pseudo-random place: windows overlap heavily.
    const wants = users.map((_, i) => {
      const start = (i * 7) % 10;
      return event.seats.slice(start, start + 3).map((s) => s.id);
    });

    const results = await Promise.all(
      users.map((u, i) => t.http().post(`/v1/events/${event.id}/holds`).set(u.auth).send({ seatIds: wants[i] })),
    );

    expect(results.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    const winners = results.flatMap((r, i) => (r.status === 200 ? [{ user: users[i], seats: wants[i] }] : []));
    expect(winners.length).toBeGreaterThan(0);
    const claimed = winners.flatMap((w) => w.seats);
    expect(new Set(claimed).size).toBe(claimed.length);

    const state = await storedState(event.id);
    for (const w of winners) {
      for (const seatId of w.seats) expect(state[seatId]).toMatch(new RegExp(`^H\\|${w.user.id}\\|`));
    }
    // Losers hold nothing: the only held seats are the winners'.
    expect(Object.keys(state).sort()).toEqual([...claimed].sort());
  });

  it('quantity holds racing for a nearly full event never share a seat', async () => {
    const manager = await t.register('manager');
    const event = await createEvent(t, manager, { numberOfSeats: 20 });
    const users = Array.from({ length: 40 }, () => t.bearer());

    const results = await Promise.all(
      users.map((u) => t.http().post(`/v1/events/${event.id}/holds`).set(u.auth).send({ quantity: 2 })),
    );

    const won = results.filter((r) => r.status === 200);
    expect(results.filter((r) => r.status !== 200).every((r) => r.status === 409)).toBe(true);
    const seats = won.flatMap((r) => r.body.seats.map((s: { seatId: string }) => s.seatId));
    expect(new Set(seats).size).toBe(seats.length);
    expect(seats.length).toBeLessThanOrEqual(20);
    const map = await seatMap(t, event.id);
    expect(Object.values(map).filter((s) => s === 'held')).toHaveLength(seats.length);
  });
});
