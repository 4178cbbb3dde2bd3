import { VENUE_MIGRATION } from '../../src/events/venue-migration.js';
import { keys } from '../../src/redis/keys.js';
import { eventually } from '../support/eventually.js';
import { TestApp } from '../support/test-app.js';

/** /health/ready waits for events-venue-1: best available needs the free index of every event. */
describe('readiness while the venue migration cannot finish', () => {
  let t: TestApp;

  beforeAll(async () => {
    const before = await TestApp.start();
    // The event list is not a sorted set: every attempt of the migration fails (and is retried) until it is.
    await before.redis.del(keys.migrationDone(VENUE_MIGRATION));
    await before.redis.set(keys.eventsByCreation(), 'not a sorted set');
    const prefix = before.config.redisKeyPrefix;
    await before.close();
    t = await TestApp.start({ redisKeyPrefix: prefix });
  });
  afterAll(() => t?.close());

  it('answers 503 venueMigration: pending, then 200 once the migration has run', async () => {
    const pending = await t.http().get('/health/ready');
    expect(pending.status).toBe(503);
    expect(pending.body).toEqual({ status: 'unavailable', redis: 'up', venueMigration: 'pending' });
    await t.redis.del(keys.eventsByCreation());
    await eventually(async () => expect((await t.http().get('/health/ready')).status).toBe(200), 15_000);
    expect(await t.redis.exists(keys.migrationDone(VENUE_MIGRATION))).toBe(1);
  });
});
