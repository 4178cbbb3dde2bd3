import type { Account } from '../support/test-app.js';
import { TestApp } from '../support/test-app.js';
import { openSse, waitFor } from '../support/live.js';

const SEATS = 40;

/**
 * The recipe of docs/live-updates.md ("A venue chart"): read the status, then subscribe with lastSeq = its seq, and
 * apply the updates with a higher seq. While holds and releases run in parallel with both steps, the status with the
 * updates applied ends equal to the final status: no change falls between the status and the stream.
 */
describe('seat status, then the stream from its seq (HTTP, SSE)', () => {
  let t: TestApp;
  let manager: Account;

  beforeAll(async () => {
    t = await TestApp.start();
    manager = await t.register('manager');
  });
  afterAll(() => t.close());

  it('misses no change made while the status is read and the stream opens', async () => {
    const created = await t.http().post('/v1/events').set(manager.auth).send({ name: 'Race', numberOfSeats: SEATS });
    const eventId = created.body.id as string;
    const seats = await t.http().get(`/v1/events/${eventId}/seats`);
    const seatIds: string[] = seats.body.map((s: { id: string }) => s.id);
    const position = new Map(seatIds.map((id, i) => [id, i]));
    const codes: Record<string, string> = { available: 'a', held: 'h', reserved: 'r' };

    // Every seat held by its own buyer, then every other one released, all in parallel with the client below.
    const buyers = seatIds.map(() => t.bearer());
    const changes = Promise.all(
      seatIds.map(async (seatId, i) => {
        await t.http().post(`/v1/events/${eventId}/seats/${seatId}/hold`).set(buyers[i].auth).expect(200);
        if (i % 2 === 0) {
          await t.http().delete(`/v1/events/${eventId}/seats/${seatId}/hold`).set(buyers[i].auth).expect(204);
        }
      }),
    );

    const status = (await t.http().get(`/v1/events/${eventId}/seat-status`)).body as { seq: number; status: string };
    const view = status.status.split('');
    let seq = status.seq;
    const stream = openSse(`${t.url}/v1/events/${eventId}/seats/stream?lastSeq=${status.seq}`);
    try {
      await changes;
      const final = (await t.http().get(`/v1/events/${eventId}/seat-status`)).body as { seq: number; status: string };
      expect(final.seq).toBe(SEATS + SEATS / 2);
      await waitFor(() => stream.events.find((e) => e.event === 'seat.updated' && Number(e.id) === final.seq), 15_000);
      expect(stream.events.some((e) => e.event === 'resync')).toBe(false);
      for (const e of stream.events.filter((e) => e.event === 'seat.updated')) {
        const m = JSON.parse(e.data) as { seq: number; seatId: string; status: string };
        if (m.seq <= seq) continue;
        expect(m.seq).toBe(seq + 1);
        seq = m.seq;
        view[position.get(m.seatId)!] = codes[m.status];
      }
      expect(view.join('')).toBe(final.status);
      expect(final.status).toBe('ah'.repeat(SEATS / 2));
    } finally {
      stream.close();
    }
  });
});
