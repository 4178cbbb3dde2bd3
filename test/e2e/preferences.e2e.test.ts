import type { Account } from '../support/test-app.js';
import { TestApp, expectProblem } from '../support/test-app.js';

const DEFAULTS = {
  email: { confirmations: true, appointmentUpdates: true, reminders: true, waitingList: true },
  locale: null,
  timeZone: null,
};

describe('preferences (GET/PATCH /v1/users/me/preferences)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  const get = (who: Account) => t.http().get('/v1/users/me/preferences').set(who.auth);
  const patch = (who: Account, body: unknown) =>
    t
      .http()
      .patch('/v1/users/me/preferences')
      .set(who.auth)
      .send(body as object);

  it('starts with every category on and no locale or zone, and needs a signed-in user', async () => {
    const ada = await t.register();
    expect((await get(ada).expect(200)).body).toEqual(DEFAULTS);
    expectProblem(await t.http().get('/v1/users/me/preferences'), 401, 'UNAUTHORIZED');
    expectProblem(await t.http().patch('/v1/users/me/preferences').send({ locale: 'de' }), 401, 'UNAUTHORIZED');
  });

  it('changes only what is sent, stores canonical forms, and null clears', async () => {
    const ada = await t.register();
    const changed = await patch(ada, { email: { reminders: false }, locale: 'en-gb', timeZone: 'europe/berlin' });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({
      email: { ...DEFAULTS.email, reminders: false },
      locale: 'en-GB',
      timeZone: 'Europe/Berlin',
    });
    expect((await patch(ada, { email: { waitingList: false } }).expect(200)).body.email).toEqual({
      ...DEFAULTS.email,
      reminders: false,
      waitingList: false,
    });
    const cleared = await patch(ada, { locale: null, email: { reminders: true } }).expect(200);
    expect(cleared.body).toEqual({
      email: { ...DEFAULTS.email, waitingList: false },
      locale: null,
      timeZone: 'Europe/Berlin',
    });
    expect((await get(ada).expect(200)).body).toEqual(cleared.body);
    // Another user's preferences are their own.
    expect((await get(await t.register()).expect(200)).body).toEqual(DEFAULTS);
  });

  it.each([
    [{ locale: 'en_US' }, 'locale'],
    [{ locale: 'xx' }, 'locale'],
    [{ locale: 'x'.repeat(65) }, 'locale'],
    [{ locale: 42 }, 'locale'],
    [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
    [{ timeZone: '+01:00' }, 'timeZone'],
    [{ timeZone: '' }, 'timeZone'],
    [{ email: { reminders: 'false' } }, 'email.reminders'],
    [{ email: { newsletter: true } }, 'email.newsletter'],
    [{ email: null }, 'email'],
    [{ email: [true] }, 'email'],
    [{ theme: 'dark' }, 'theme'],
  ])('refuses %j with 400 naming %s and changes nothing', async (body, field) => {
    const ada = await t.register();
    await patch(ada, { email: { reminders: false }, locale: 'de' }).expect(200);
    const before = (await get(ada)).body;
    const res = await patch(ada, { email: { confirmations: false }, ...body });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await get(ada)).body).toEqual(before);
  });

  it('refuses a body that is not an object, storing nothing', async () => {
    const ada = await t.register();
    const before = await t.storedKeys();
    expectProblem(await patch(ada, [{ locale: 'de' }]), 400, 'VALIDATION_FAILED');
    expect(await t.storedKeys()).toEqual(before);
  });

  it('keeps every change when different members change at once', async () => {
    const ada = await t.register();
    const changes = [
      { email: { confirmations: false } },
      { email: { appointmentUpdates: false } },
      { email: { reminders: false } },
      { email: { waitingList: false } },
      { locale: 'fr-FR' },
      { timeZone: 'Asia/Tokyo' },
    ];
    const answers = await Promise.all(changes.map((body) => patch(ada, body)));
    expect(answers.map((r) => r.status)).toEqual(changes.map(() => 200));
    expect((await get(ada)).body).toEqual({
      email: { confirmations: false, appointmentUpdates: false, reminders: false, waitingList: false },
      locale: 'fr-FR',
      timeZone: 'Asia/Tokyo',
    });
  });
});
