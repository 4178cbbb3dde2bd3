import { randomUUID } from 'node:crypto';
import { keys } from '../../src/redis/keys.js';
import type { Account } from '../support/test-app.js';
import { TestApp, expectProblem } from '../support/test-app.js';

const PASSWORD = 'correct horse battery';

describe('hardening: the last-admin guard does not trust a damaged admin index', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  const admins = keys.usersByRole('admin');
  const setRole = (by: Account, target: Account, role: string) =>
    t.http().patch(`/v1/users/${target.id}`).set(by.auth).send({ role });
  const roleOf = async (who: Account) => (await t.http().get(`/v1/users/${who.id}`).set(who.auth)).body.role as string;
  const indexed = async () => (await t.redis.zrange(admins, '0', '-1')).map((m: string) => m.slice(m.indexOf(':') + 1));

  it('refuses demoting the only admin when the index has lost it (409 LAST_ADMIN), and repairs the index', async () => {
    const only = await t.register('admin');
    // A crash between the hash write and the ZADD, or data older than the index: the index is empty.
    await t.redis.del(admins);
    for (const role of ['customer', 'manager']) {
      expectProblem(await setRole(only, only, role), 409, 'LAST_ADMIN');
    }
    expect(await roleOf(only)).toBe('admin');
    expect(await indexed()).toEqual([only.id]);

    // With a second admin the first may step down, and the index follows.
    const second = await t.register('admin');
    expect((await setRole(only, only, 'customer')).status).toBe(200);
    expect(await indexed()).toEqual([second.id]);
    expectProblem(await setRole(second, second, 'customer'), 409, 'LAST_ADMIN');
  });

  it('counts the admin again when the role change fails after it left the index', async () => {
    const [x, y] = [await t.register('admin'), await t.register('admin')];
    const before = await indexed();
    expect(before).toEqual(expect.arrayContaining([x.id, y.id]));
    // Redis fails the role write itself (the demotion script before it has run): the one command is refused here.
    const redis = t.redis;
    const send = redis.sendCommand.bind(redis);
    let injected = 0;
    redis.sendCommand = ((command: { name: string; args: unknown[]; reject: (e: Error) => void; promise: unknown }) => {
      const userKey = `${t.config.redisKeyPrefix}${keys.user(x.id)}`;
      if (injected === 0 && command.name === 'evalsha' && command.args.includes(userKey)) {
        injected++;
        command.reject(new Error('injected failure'));
        return command.promise;
      }
      return send(command as never);
    }) as typeof redis.sendCommand;
    let res;
    try {
      res = await setRole(x, x, 'customer');
    } finally {
      redis.sendCommand = send;
    }
    expect(injected).toBe(1);
    expect(res.status).toBe(500);
    expect(await roleOf(x)).toBe('admin');
    expect((await indexed()).sort()).toEqual(before.sort());
    // Still an admin and counted as one, so the demotion can simply be asked again.
    expect((await setRole(x, x, 'customer')).status).toBe(200);
    expect(await indexed()).not.toContain(x.id);
    expect(await indexed()).toContain(y.id);
  });
});

describe('hardening: zero-width joiners inside words and emoji are text', () => {
  let t: TestApp;
  let manager: Account;

  beforeAll(async () => {
    t = await TestApp.start();
    manager = await t.register('manager');
  });
  afterAll(() => t.close());

  const register = (name: string, email = `${randomUUID()}@example.com`) =>
    t.http().post('/v1/auth/register').send({ email, password: PASSWORD, name });

  it.each([
    ['Persian with a non-joiner between letters', 'می\u200Cخواهم'],
    ['Hindi with a joiner after a virama', 'क्\u200Dष'],
    ['Malayalam chillu with a joiner', 'ന്\u200D'.concat('മ')],
    ['a family emoji', '👨\u200D👩\u200D👧'],
    ['a rainbow flag (variation selector, joiner)', '🏳\uFE0F\u200D🌈'],
    ['a technologist with a skin tone', '👩🏽\u200D💻'],
  ])('takes %s', async (_, name) => {
    const res = await register(name);
    expect(res.status).toBe(201);
    expect(res.body.user.name).toBe(name);
    const event = await t.http().post('/v1/events').set(manager.auth).send({ name, numberOfSeats: 10 });
    expect(event.status).toBe(201);
    expect(event.body.name).toBe(name);
  });

  it.each([
    ['a leading non-joiner', '\u200Cمی'],
    ['a trailing joiner', 'Ada\u200D'],
    ['a repeated non-joiner', 'می\u200C\u200Cخواهم'],
    ['a joiner beside a non-joiner', 'a\u200D\u200Cb'],
    ['a joiner before a space', 'Ada\u200D Lovelace'],
    ['a joiner after a space', 'Ada \u200DLovelace'],
    ['a joiner between digits', '1\u200D2'],
    ['a joiner beside a zero-width space', 'a\u200D\u200Bb'],
    ['a zero-width space', 'Ada\u200BLovelace'],
    ['a word joiner', 'Ada\u2060Lovelace'],
    ['a byte order mark', 'Ada\uFEFFLovelace'],
    ['a right-to-left override', 'a\u202Eb'],
    ['an isolate', 'a\u2067b'],
    ['a lone surrogate', 'a\uD83Db'],
  ])('refuses %s (400, nothing stored)', async (_, name) => {
    const before = await t.storedKeys();
    const res = await register(name);
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual([{ field: 'name', message: expect.stringContaining('zero-width') }]);
    expect(await t.storedKeys()).toEqual(before);
  });

  it('still refuses joiners in emails, even between letters', async () => {
    const res = await register('Ada', `ad\u200Ca-${randomUUID().slice(0, 8)}@example.com`);
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual([{ field: 'email', message: expect.any(String) }]);
  });
});
