import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { ManualClock } from '../../src/common/clock.js';
import { TestApp } from '../support/test-app.js';
import { createEvent } from '../support/events.js';
import { History, checkLinearizable, mutexModel } from '../support/history.js';
import type { Model, MutexInput, MutexOutput } from '../support/history.js';

/**
 * Two instances of the service on one Redis (one key prefix, one clock), every race split across them: clients
 * alternate between the instances. Besides counting winners, each race records every operation with its real-time
 * interval and result, and the history must be linearizable: explainable by some one-at-a-time order that a single
 * seat, slot or table could have produced.
 */
const T0 = Date.parse('2030-01-07T09:00:00Z');
const HOUR = 3_600_000;

/** A small deterministic random source, so that a failing interleaving of requests can be replayed. */
function random(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0;
    return x / 2 ** 32;
  };
}

/** An answer as the mutex model sees it; anything but the expected success or refusal fails the test at once. */
function outcome(status: number, success: number, refusal: number): MutexOutput {
  if (status !== success && status !== refusal) throw new Error(`unexpected status ${status}`);
  return status === success ? 'ok' : 'refused';
}

type SeatInput = { op: 'hold' | 'release' | 'reserve'; client: string };
/** `renewer` held the seat last (released or not) and has renewed it `renewals` times in a row since. */
type SeatState = { holder: string | null; buyer: string | null; renewer: string | null; renewals: number };

/**
 * One seat, as the API promises it behaves (answers are HTTP statuses), with the clock standing still: every hold by
 * the client who held the seat last is a renewal in a row (released or not), refused past `maxRenewals`.
 */
function seatModel(maxRenewals: number): Model<SeatState, SeatInput, number> {
  return {
    init: { holder: null, buyer: null, renewer: null, renewals: 0 },
    step(state, { op, client }) {
      const { holder, buyer } = state;
      if (op === 'hold') {
        if (buyer !== null || (holder !== null && holder !== client)) return { state, output: 409 };
        const renewals = state.renewer === client ? state.renewals + 1 : 0;
        if (renewals > maxRenewals) return { state, output: 409 };
        return { state: { holder: client, buyer, renewer: client, renewals }, output: 200 };
      }
      if (op === 'release') {
        return holder === client ? { state: { ...state, holder: null }, output: 204 } : { state, output: 404 };
      }
      if (buyer === client) return { state, output: 200 };
      if (buyer === null && holder === client) return { state: { ...state, holder: null, buyer: client }, output: 201 };
      return { state, output: 409 };
    },
    key: ({ holder, buyer, renewer, renewals }) => `${holder}|${buyer}|${renewer}|${renewals}`,
    // Refusals change nothing; so does a repeated reservation (200): the buyer stays the buyer.
    readOnly: ({ op }, output) => output === 409 || output === 404 || (op === 'reserve' && output === 200),
  };
}

describe('races split across two instances, with linearizable histories', () => {
  const clock = new ManualClock(T0);
  let a: TestApp;
  let b: TestApp;
  let apps: TestApp[];

  beforeAll(async () => {
    a = await TestApp.start({ accessTokenTtlSeconds: 30 * 86_400 }, clock);
    b = await TestApp.start({ accessTokenTtlSeconds: 30 * 86_400, redisKeyPrefix: a.config.redisKeyPrefix }, clock);
    apps = [a, b];
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  type Caller = { id: string; auth: { Authorization: string } };

  /**
   * 30 clients on alternating instances, each up to 4 times: try to take the thing (201 or 409) and, when it got it,
   * give it back at once (200). Every attempt is recorded for the linearizability check.
   */
  async function takeTurns(
    take: (app: TestApp, who: Caller) => Promise<Response>,
    giveBack: (app: TestApp, who: Caller, id: string) => Promise<Response>,
  ): Promise<History<MutexInput, MutexOutput>> {
    const history = new History<MutexInput, MutexOutput>();
    const clients = Array.from({ length: 30 }, (_, i) => ({
      app: apps[i % 2],
      who: a.bearer(randomUUID(), 'customer'),
    }));
    await Promise.all(
      clients.map(async ({ app, who }) => {
        for (let attempt = 0; attempt < 4; attempt++) {
          let id = '';
          const taken = await history.record(who.id, { op: 'take', client: who.id }, async () => {
            const res = await take(app, who);
            id = res.body.id;
            return outcome(res.status, 201, 409);
          });
          if (taken === 'ok') {
            await history.record(who.id, { op: 'give-back', client: who.id }, async () =>
              outcome((await giveBack(app, who, id)).status, 200, 409),
            );
          }
        }
      }),
    );
    return history;
  }

  it('one seat: 200 simultaneous holds split over both instances, one winner', async () => {
    const event = await createEvent(a, await a.register('manager'));
    const url = `/v1/events/${event.id}/seats/${event.seats[0].id}`;
    const history = new History<SeatInput, number>();
    const clients = Array.from({ length: 200 }, (_, i) => ({ app: apps[i % 2], who: a.bearer() }));
    await Promise.all(
      clients.map(({ app, who }) =>
        history.record(
          who.id,
          { op: 'hold', client: who.id },
          async () => (await app.http().post(`${url}/hold`).set(who.auth)).status,
        ),
      ),
    );
    expect(history.operations.filter((o) => o.output === 200)).toHaveLength(1);
    expect(history.operations.filter((o) => o.output === 409)).toHaveLength(199);
    expect(checkLinearizable(history.operations, seatModel(a.config.holdMaxRenewals)).linearizable).toBe(true);
  });

  it('one seat: clients holding, releasing and reserving at random on both instances', async () => {
    const event = await createEvent(a, await a.register('manager'));
    const url = `/v1/events/${event.id}/seats/${event.seats[0].id}`;
    const history = new History<SeatInput, number>();
    const next = random(7);
    const clients = Array.from({ length: 24 }, (_, i) => ({ app: apps[i % 2], who: a.bearer() }));
    await Promise.all(
      clients.map(async ({ app, who }) => {
        for (let step = 0; step < 8; step++) {
          const op = (['hold', 'hold', 'release', 'reserve'] as const)[Math.floor(next() * 4)];
          await history.record(who.id, { op, client: who.id }, async () => {
            const req = op === 'release' ? app.http().delete(`${url}/hold`) : app.http().post(`${url}/${op}`);
            return (await req.set(who.auth)).status;
          });
        }
      }),
    );
    const outputs = history.operations.map((o) => o.output);
    expect(outputs.every((s) => [200, 201, 204, 404, 409].includes(s))).toBe(true);
    expect(outputs.filter((s) => s === 201).length).toBeLessThanOrEqual(1);
    expect(checkLinearizable(history.operations, seatModel(a.config.holdMaxRenewals)).linearizable).toBe(true);
    // The check is not a formality: add a reservation by someone who never held the seat, and it is impossible.
    const [first, last] = [history.operations[0], history.operations.at(-1)!];
    const intruder = { client: 'intruder', input: { op: 'reserve', client: 'intruder' }, output: 201 } as const;
    const tampered = [...history.operations, { ...intruder, start: first.start, end: last.end }];
    expect(checkLinearizable(tampered, seatModel(a.config.holdMaxRenewals)).linearizable).toBe(false);
  });

  it('one seat: a client renewing past the limit is refused, and the model knows it', async () => {
    const event = await createEvent(a, await a.register('manager'));
    const url = `/v1/events/${event.id}/seats/${event.seats[0].id}`;
    const history = new History<SeatInput, number>();
    const who = a.bearer();
    const max = a.config.holdMaxRenewals;
    for (let i = 0; i <= max + 1; i++) {
      const app = apps[i % 2];
      await history.record(who.id, { op: 'hold', client: who.id }, async () => {
        return (await app.http().post(`${url}/hold`).set(who.auth)).status;
      });
    }
    // The first hold and `max` renewals, then a refusal: the random race above can reach that state too.
    expect(history.operations.map((o) => o.output)).toEqual([...Array(max + 1).fill(200), 409]);
    expect(checkLinearizable(history.operations, seatModel(max)).linearizable).toBe(true);
    expect(checkLinearizable(history.operations, seatModel(max + 1)).linearizable).toBe(false);
  });

  it('one appointment slot: clients taking it and cancelling, across both instances', async () => {
    const provider = await a.register('provider');
    const published = await a
      .http()
      .post('/v1/providers/me/availability')
      .set(provider.auth)
      .send({
        windows: [{ start: new Date(T0 + 48 * HOUR).toISOString(), end: new Date(T0 + 49 * HOUR).toISOString() }],
      })
      .expect(201);
    const slotId = (published.body.slots as { id: string }[])[0].id;
    const history = await takeTurns(
      (app, who) => app.http().post('/v1/appointments').set(who.auth).send({ slotId }),
      (app, who, id) => app.http().delete(`/v1/appointments/${id}`).set(who.auth),
    );
    // Several clients had it in turn (others cancelled), never two at once.
    expect(history.operations.filter((o) => o.input.op === 'take' && o.output === 'ok').length).toBeGreaterThan(1);
    expect(checkLinearizable(history.operations, mutexModel).linearizable).toBe(true);
  });

  it('one restaurant table at one time: clients booking it and cancelling, across both instances', async () => {
    const manager = await a.register('manager');
    const restaurant = await a
      .http()
      .post('/v1/restaurants')
      .set(manager.auth)
      .send({
        name: 'Two doors',
        timezone: 'Europe/London',
        openingHours: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({
          day,
          opens: '18:00',
          closes: '23:00',
        })),
      })
      .expect(201);
    const base = `/v1/restaurants/${restaurant.body.id}`;
    const table = await a.http().post(`${base}/tables`).set(manager.auth).send({ name: 'T1', seats: 4 }).expect(201);
    const booking = { start: '2030-02-01T19:00:00Z', partySize: 2, tableId: table.body.id };
    const history = await takeTurns(
      (app, who) => app.http().post(`${base}/reservations`).set(who.auth).send(booking),
      (app, who, id) => app.http().delete(`${base}/reservations/${id}`).set(who.auth),
    );
    // Several clients had it in turn (others cancelled), never two at once.
    expect(history.operations.filter((o) => o.input.op === 'take' && o.output === 'ok').length).toBeGreaterThan(1);
    expect(checkLinearizable(history.operations, mutexModel).linearizable).toBe(true);
  });

  describe('per-user caps hold under concurrent load', () => {
    it('one user sending 40 holds on 40 seats at once gets exactly MAX_HOLDS_PER_USER (10)', async () => {
      const event = await createEvent(a, await a.register('manager'), { numberOfSeats: 40 });
      const user = a.bearer();
      const results = await Promise.all(
        event.seats.map((seat, i) =>
          apps[i % 2].http().post(`/v1/events/${event.id}/seats/${seat.id}/hold`).set(user.auth),
        ),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(10);
      expect(results.filter((r) => r.status === 409 && r.body.code === 'HOLD_LIMIT_REACHED')).toHaveLength(30);
      const mine = await a.http().get('/v1/users/me/holds').set(user.auth).expect(200);
      expect(JSON.stringify(mine.body).match(/"seatId"/g)).toHaveLength(10);
    });

    it('one client sending 8 appointment requests at once keeps at most 3 unconfirmed with one provider', async () => {
      const provider = await a.register('provider');
      const windows = [{ start: new Date(T0 + 50 * HOUR).toISOString(), end: new Date(T0 + 52 * HOUR).toISOString() }];
      const published = await a
        .http()
        .post('/v1/providers/me/availability')
        .set(provider.auth)
        .send({ windows })
        .expect(201);
      const slots = published.body.slots as { id: string }[];
      expect(slots).toHaveLength(8);
      const client = a.bearer(randomUUID(), 'customer');
      const results = await Promise.all(
        slots.map((slot, i) => apps[i % 2].http().post('/v1/appointments').set(client.auth).send({ slotId: slot.id })),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(3);
      expect(results.filter((r) => r.status === 409 && r.body.code === 'PENDING_LIMIT_REACHED')).toHaveLength(5);
    });
  });
});
