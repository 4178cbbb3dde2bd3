import { randomUUID } from 'node:crypto';
import { keys } from '../../src/redis/keys.js';
import { TestApp } from '../support/test-app.js';

const T0 = Date.parse('2030-03-04T08:00:00Z');
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Listing a cancelled appointment's slot again in GET /v1/slots is a step after the cancel is stored: when it fails
 * (here the index key holds the wrong type, as a stand-in for Redis refusing the write), the cancel still answers as
 * stored, and the slot stays bookable through its provider.
 */
describe('a cancel or reservation whose open-slots index write fails', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ accessTokenTtlSeconds: 30 * 86_400 }, undefined);
    t.clock.set(T0);
  });
  afterAll(() => t.close());

  it('answers the cancel as done, and the slot can be reserved again', async () => {
    const provider = await t.register('provider');
    const published = await t
      .http()
      .post('/v1/providers/me/availability')
      .set(provider.auth)
      .send({ windows: [{ start: iso(T0 + 48 * HOUR), end: iso(T0 + 48 * HOUR + 15 * 60_000) }] })
      .expect(201);
    const slotId = published.body.slots[0].id as string;
    const client = t.bearer(randomUUID(), 'customer');
    const reserved = await t.http().post('/v1/appointments').set(client.auth).send({ slotId }).expect(201);

    await t.redis.del(keys.openSlots());
    await t.redis.set(keys.openSlots(), 'not a sorted set');
    await t.http().delete(`/v1/appointments/${reserved.body.id}`).set(client.auth).expect(200);

    // Taking it again removes its entry from the index: that fails the same way, and the reservation stands.
    const again = t.bearer(randomUUID(), 'customer');
    await t.http().post('/v1/appointments').set(again.auth).send({ slotId }).expect(201);
  });
});
