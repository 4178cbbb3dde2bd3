import { BEST_AVAILABLE_SCAN_LIMIT } from '../../src/events/seat-script-args.js';
import { eventsApp } from '../support/events.js';
import { expectProblem } from '../support/test-app.js';

/**
 * Review 1: one best-available call reads at most BEST_AVAILABLE_SCAN_LIMIT free seats, so a request nothing near
 * the front can satisfy (accessible seats only at the back, say) is answered NOT_ENOUGH_SEATS instead of reading the
 * whole venue inside one script.
 */
describe('best available reads a bounded number of free seats (HTTP)', () => {
  const app = eventsApp({ accessTokenTtlSeconds: 86_400 });

  it('answers NOT_ENOUGH_SEATS when the only fitting seats lie beyond the bound', async () => {
    const { t, manager } = app;
    const rows = Array.from({ length: BEST_AVAILABLE_SCAN_LIMIT / 100 + 1 }, (_, r) => ({
      label: `R${r + 1}`,
      categoryId: 'general',
      count: 100,
    }));
    const back = {
      label: 'Z',
      categoryId: 'general',
      seats: Array.from({ length: 10 }, (_, p) => ({ label: String(p + 1), accessible: true })),
    };
    const layout = {
      categories: [{ id: 'general', name: 'General', price: null }],
      sections: [{ name: 'Hall', rows: [...rows, back] }],
    };
    const created = await t.http().post('/v1/events').set(manager.auth).send({ name: 'Big', layout }).expect(201);
    const best = (body: Record<string, unknown>) =>
      t.http().post(`/v1/events/${created.body.id}/holds`).set(t.bearer().auth).send(body);
    expectProblem(await best({ quantity: 1, accessible: true }), 409, 'NOT_ENOUGH_SEATS');
    expect((await best({ quantity: 2 })).status).toBe(200);
  });
});
