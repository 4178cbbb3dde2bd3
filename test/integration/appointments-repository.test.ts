import { randomUUID } from 'node:crypto';
import { RedisAppointmentsRepository } from '../../src/appointments/redis-appointments.repository.js';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { keys } from '../../src/redis/keys.js';
import { testConfig } from '../support/test-app.js';

describe('RedisAppointmentsRepository', () => {
  let redis: RedisClient;
  let repo: RedisAppointmentsRepository;
  const config = testConfig();
  const start = 1_900_000_000_000;

  beforeAll(() => {
    redis = createRedisClient(redisOptionsFrom(config));
    repo = new RedisAppointmentsRepository(redis);
  });
  afterAll(() => redis.quit());

  const slot = (providerId: string, offset: number) => ({
    id: randomUUID(),
    providerId,
    start: start + offset,
    end: start + offset + 900_000,
  });

  it('gives every slot an owner lookup and leaves none behind for ids it did not use', async () => {
    const providerId = randomUUID();
    const first = [slot(providerId, 0), slot(providerId, 900_000)];
    await repo.addSlots(providerId, first);
    const again = [slot(providerId, 900_000), slot(providerId, 1_800_000)];
    const { slotIds, created } = await repo.addSlots(providerId, again);
    expect(created).toBe(1);
    expect(slotIds).toEqual([first[1].id, again[1].id]);
    for (const id of slotIds) expect(await repo.slotOwner(id)).toBe(providerId);
    expect(await redis.exists(keys.slotOwner(again[0].id))).toBe(0);
  });

  it('a reserve delivered twice is answered as reserved both times', async () => {
    const providerId = randomUUID();
    const [s] = [slot(providerId, 0)];
    await repo.addSlots(providerId, [s]);
    const request = {
      providerId,
      slotId: s.id,
      clientId: randomUUID(),
      appointmentId: randomUUID(),
      now: start - 2 * 86_400_000,
      expiresAt: start - 2 * 86_400_000 + 1_800_000,
      leadMs: 86_400_000,
      maxPending: 3,
    };
    expect(await repo.reserve(request)).toEqual({ outcome: 'reserved', appointmentId: request.appointmentId });
    expect(await repo.reserve(request)).toEqual({ outcome: 'reserved', appointmentId: request.appointmentId });
    expect(await repo.reserve({ ...request, appointmentId: randomUUID() })).toEqual({
      outcome: 'already-yours',
      appointmentId: request.appointmentId,
    });
  });

  it('keeps a confirmed slot whatever its appointment id starts with (the slot state is read by one parser)', async () => {
    for (const appointmentId of [`0${randomUUID().slice(1)}`, `a${randomUUID().slice(1)}`]) {
      const providerId = randomUUID();
      const s = slot(providerId, 0);
      await repo.addSlots(providerId, [s]);
      const now = start - 2 * 86_400_000;
      const request = {
        providerId,
        slotId: s.id,
        clientId: randomUUID(),
        appointmentId,
        now,
        expiresAt: now + 1_800_000,
        leadMs: 86_400_000,
        maxPending: 3,
      };
      expect(await repo.reserve(request)).toEqual({ outcome: 'reserved', appointmentId });
      const appointment = (await repo.find(providerId, appointmentId))!;
      expect(await repo.confirm(appointment, now + 1)).toBe('confirmed');
      expect(await repo.openSlots(providerId, start - 1, start + 1, now + 2)).toEqual([]);
      expect(await repo.removeSlot(providerId, s.id, now + 2)).toBe('reserved');
    }
  });
});
