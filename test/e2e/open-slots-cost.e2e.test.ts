import { randomUUID } from 'node:crypto';
import { TestApp } from '../support/test-app.js';

const T0 = Date.parse('2030-01-01T00:00:00Z');
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * What one page of GET /v1/slots costs in Redis commands. Its own file, with no background work (the expiry sweeper
 * of open-slots.e2e.test.ts would add its own commands to the count).
 */
describe('GET /v1/slots: the cost of a page', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ accessTokenTtlSeconds: 30 * 86_400 });
    t.clock.set(T0);
  });
  afterAll(() => t.close());

  /** Providers need no account to publish (a signed token says the role): no password hashing for 50 of them. */
  async function publishAt(start: number, providers: number): Promise<void> {
    await Promise.all(
      Array.from({ length: providers }, async () => {
        const res = await t
          .http()
          .post('/v1/providers/me/availability')
          .set(t.bearer(randomUUID(), 'provider').auth)
          .send({ windows: [{ start: iso(start), end: iso(start + HOUR) }] });
        expect(res.status).toBe(201);
      }),
    );
  }

  async function page(from: number): Promise<{ commands: string[]; items: number }> {
    let res;
    const query = { from: iso(from), to: iso(from + 2 * 24 * HOUR), limit: 4 };
    const commands = await t.commandsDuring(
      async () => (res = await t.http().get('/v1/slots').query(query).set(t.bearer().auth)),
    );
    return { commands, items: res!.body.items.length };
  }

  it('is the same with 10 providers or 40, and never scans the keyspace', async () => {
    await publishAt(T0 + 30 * HOUR, 10);
    await publishAt(T0 + 10 * 24 * HOUR, 40);
    const few = await page(T0 + 29 * HOUR);
    const many = await page(T0 + 10 * 24 * HOUR - HOUR);
    expect([few.items, many.items]).toEqual([4, 4]);
    // One range read, then one check per provider among the limit + 1 entries read.
    expect(many.commands).toEqual(few.commands);
    expect(many.commands.length).toBeLessThanOrEqual(1 + 4 + 1);
    expect(many.commands.filter((c) => ['scan', 'keys'].includes(c))).toEqual([]);
  });
});
