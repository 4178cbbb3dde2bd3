import { masterNodes } from '../../src/redis/redis-client.js';
import { TestApp, testClusterNodes } from '../support/test-app.js';
import { createEvent } from '../support/events.js';

/**
 * Runs only under `npm run test:cluster`, where every other suite also runs against a 3-master Redis Cluster: this one
 * proves that they really did, and that the data of many aggregates spreads over the masters instead of one slot.
 */
const inCluster = testClusterNodes().length > 0;

(inCluster ? describe : describe.skip)('on Redis Cluster', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('talks to a cluster of three masters', async () => {
    await t.redis.ping();
    expect(masterNodes(t.redis)).toHaveLength(3);
  });

  it('spreads the keys of different events over the masters, and each event works', async () => {
    const manager = await t.register('manager');
    const events = [];
    for (let i = 0; i < 12; i++) events.push(await createEvent(t, manager, { numberOfSeats: 10 }));
    for (const event of events) {
      const who = t.bearer();
      await t.http().post(`/v1/events/${event.id}/seats/${event.seats[0].id}/hold`).set(who.auth).expect(200);
      await t.http().post(`/v1/events/${event.id}/seats/${event.seats[0].id}/reserve`).set(who.auth).expect(201);
    }
    const perNode = await Promise.all(
      masterNodes(t.redis).map(
        async (node) => ((await node.call('KEYS', `${t.config.redisKeyPrefix}{event:*`)) as string[]).length,
      ),
    );
    expect(perNode.filter((count) => count > 0).length).toBeGreaterThanOrEqual(2);
    expect(perNode.reduce((a, b) => a + b)).toBeGreaterThan(12);
  });
});
