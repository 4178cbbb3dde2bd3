import { CREATE_EVENT_BODY_LIMIT } from '../../src/events/events.controller.js';
import type { Account } from '../support/test-app.js';
import { TestApp } from '../support/test-app.js';

/** BODY_LIMIT_BYTES configured above the create route's own limit applies to that route too. */
describe('POST /v1/events body limit with BODY_LIMIT_BYTES above it (HTTP)', () => {
  const bodyLimitBytes = CREATE_EVENT_BODY_LIMIT + 1024 * 1024;
  let t: TestApp;
  let manager: Account;

  beforeAll(async () => {
    t = await TestApp.start({ bodyLimitBytes });
    manager = await t.register('manager');
  });
  afterAll(() => t.close());

  const create = (padding: number) =>
    t
      .http()
      .post('/v1/events')
      .set(manager.auth)
      .send({ name: 'Big', numberOfSeats: 10, description: 'x'.repeat(padding) });

  it('reads a body between the route’s own limit and BODY_LIMIT_BYTES, and refuses one above both', async () => {
    // Read (and then refused for its unknown field), not 413.
    const between = await create(CREATE_EVENT_BODY_LIMIT + 1000);
    expect(between.status).toBe(400);
    expect(between.body.code).toBe('VALIDATION_FAILED');
    const above = await create(bodyLimitBytes + 1000);
    expect(above.status).toBe(413);
  });
});
