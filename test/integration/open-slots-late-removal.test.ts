import { randomUUID } from 'node:crypto';
import { openSlotMember } from '../../src/appointments/appointments.codec.js';
import { RedisAppointmentsRepository } from '../../src/appointments/redis-appointments.repository.js';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { keys } from '../../src/redis/keys.js';
import { testConfig } from '../support/test-app.js';

/**
 * Review of issue 18, item 4: an open-slots index removal decided on an earlier reading can land after a later,
 * right re-add. Here a reservation's removal is held back (a real Redis client whose ZREM waits for a gate: the
 * network or a busy event loop delaying it) while the appointment is cancelled and its slot listed again.
 */
describe('open-slots index: a late removal', () => {
  const config = testConfig();
  let plain: RedisClient;
  let delayed: RedisClient;
  beforeAll(() => {
    plain = createRedisClient(redisOptionsFrom(config));
    delayed = createRedisClient(redisOptionsFrom(config));
  });
  afterAll(async () => {
    await Promise.all([plain.quit(), delayed.quit()]);
  });

  it('does not hide a slot that is open again', async () => {
    const start = 1_900_000_000_000;
    const now = start - 2 * 86_400_000;
    const providerId = randomUUID();
    const slot = { id: randomUUID(), providerId, start, end: start + 900_000 };
    const member = openSlotMember(start, providerId, slot.id);
    const repo = new RedisAppointmentsRepository(plain);
    await repo.addSlots(providerId, [slot]);
    expect(await plain.zscore(keys.openSlots(), member)).not.toBeNull();

    // The reserving instance's ZREM of the slot waits until the test lets it go.
    let reached!: () => void;
    const atGate = new Promise<void>((resolve) => (reached = resolve));
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const zrem = delayed.zrem.bind(delayed) as (...args: unknown[]) => Promise<number>;
    (delayed as unknown as { zrem: (...args: unknown[]) => Promise<number> }).zrem = async (...args: unknown[]) => {
      if (args.includes(member)) {
        reached();
        await gate;
      }
      return zrem(...args);
    };
    const reserving = new RedisAppointmentsRepository(delayed);
    const appointmentId = randomUUID();
    const reserved = reserving.reserve({
      providerId,
      slotId: slot.id,
      clientId: randomUUID(),
      appointmentId,
      now,
      expiresAt: now + 1_800_000,
      leadMs: 86_400_000,
      maxPending: 3,
    });
    await atGate;

    // Meanwhile the appointment is cancelled and the slot listed again, by another instance.
    const appointment = await repo.find(providerId, appointmentId);
    expect(appointment?.status).toBe('pending');
    await repo.cancel(appointment!, now + 1000);
    expect(await plain.zscore(keys.openSlots(), member)).not.toBeNull();

    // The held-back removal lands now.
    open();
    expect(await reserved).toEqual({ outcome: 'reserved', appointmentId });
    expect(await plain.zscore(keys.openSlots(), member)).not.toBeNull();
  });
});
