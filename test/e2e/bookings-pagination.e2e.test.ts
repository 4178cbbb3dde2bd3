import { randomUUID } from 'node:crypto';
import type { Booking } from '../../src/bookings/booking.js';
import { BookingsRepository } from '../../src/bookings/bookings.repository.js';
import { TestApp } from '../support/test-app.js';

/** The outbox note the repository's writes take (what the outbox gets is not what these tests look at). */
const NOTE = { at: 0, data: {} };

/**
 * Paging through 10,000 bookings of one user. Timing is not asserted (that is the benchmark's job): instead the test
 * records the Redis commands each page costs and requires the last page to cost exactly what the first one does,
 * a range read from the cursor position (never an offset) and one MGET.
 */
describe('booking pagination at 10,000 bookings', () => {
  let t: TestApp;
  const total = 10_000;
  const userId = randomUUID();

  beforeAll(async () => {
    t = await TestApp.start({ accessTokenTtlSeconds: 86_400 });
    const repository = t.app.get(BookingsRepository);
    const now = t.clock.now();
    for (let batch = 0; batch < total / 250; batch++) {
      await Promise.all(
        Array.from({ length: 250 }, (_, i) => {
          const n = batch * 250 + i;
          const booking: Booking = {
            id: randomUUID(),
            userId,
            type: 'show',
            title: `Show ${n}`,
            startTime: now + 86_400_000 + n * 60_000,
            endTime: now + 86_400_000 + n * 60_000 + 3_600_000,
            location: null,
            notes: null,
            reminderMinutesBefore: null,
            version: 1,
            createdAt: now,
            updatedAt: now,
          };
          return repository.create(booking, NOTE);
        }),
      );
    }
  }, 60_000);
  afterAll(() => t.close());

  it('visits every booking once, in start order, at a constant cost per page', async () => {
    const { auth } = t.bearer(userId);
    const commandsPerPage: string[][] = [];
    const redis = t.redis;
    const send = redis.sendCommand.bind(redis);
    let current: string[] = [];
    redis.sendCommand = ((command: { name: string; args: unknown[] }) => {
      current.push(`${command.name} ${command.args.length}`);
      return send(command as never);
    }) as typeof redis.sendCommand;

    const seen: string[] = [];
    let cursor: string | null = null;
    let previousStart = '';
    try {
      do {
        current = [];
        const res: { status: number; body: { items: unknown[]; nextCursor: string | null } } = await t
          .http()
          .get(`/v1/bookings?limit=100${cursor ? `&cursor=${cursor}` : ''}`)
          .set(auth);
        expect(res.status).toBe(200);
        commandsPerPage.push(current);
        for (const b of res.body.items as { id: string; startTime: string }[]) {
          expect(b.startTime >= previousStart).toBe(true);
          previousStart = b.startTime;
          seen.push(b.id);
        }
        cursor = res.body.nextCursor;
      } while (cursor);
    } finally {
      redis.sendCommand = send;
    }

    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(commandsPerPage).toHaveLength(100);
    expect(commandsPerPage[0]).toEqual(['zrangebylex 6', 'mget 100']);
    expect(commandsPerPage[99]).toEqual(commandsPerPage[0]);
  }, 60_000);
});
