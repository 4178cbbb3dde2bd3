import { randomUUID } from 'node:crypto';
import { PasswordHasher } from '../../src/auth/password-hasher.js';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { keys, sortableTime } from '../../src/redis/keys.js';
import { EMAIL_MIGRATION, EmailMigration } from '../../src/users/email-migration.js';
import { TestApp, expectProblem, testConfig } from '../support/test-app.js';

const PASSWORD = 'correct horse battery';
/** Latin letters in fullwidth (U+FF41...), which NFKC maps to ASCII. */
const fullwidth = (s: string) => s.replace(/[a-z]/g, (c) => String.fromCodePoint(c.codePointAt(0)! - 0x61 + 0xff41));

/**
 * Accounts written the way the code before email normalization wrote them (the email as stored, its key the SHA of
 * that spelling), into a keyspace no app has started on yet; then apps start on it.
 */
describe('hardening: accounts of former email spellings are migrated once, at start', () => {
  const tag = randomUUID().slice(0, 6).replace(/\d/g, 'x');
  const prefix = testConfig().redisKeyPrefix;
  const spelled = {
    /** Stored lower-cased, in fullwidth letters: no typed spelling but its own finds it without a migration. */
    fullwidth: `${fullwidth(`ada${tag}`)}@example.com`,
    /** Stored with a decomposed accent (NFD). */
    decomposed: `renée-${tag}@example.com`.normalize('NFD'),
    /** Stored in capitals (older data, before emails were even lower-cased). */
    upper: `CAROL-${tag}@EXAMPLE.COM`,
    /** Two old accounts of one normalized email: the older is stored in capitals, the younger in fullwidth. */
    dupOlder: `DUP-${tag}@example.com`,
    dupYounger: `${fullwidth(`dup`)}-${tag}@example.com`,
    /** An old fullwidth account beside an account already stored under the normalized spelling. */
    eveOld: `${fullwidth('eve')}-${tag}@example.com`,
    eveNormal: `eve-${tag}@example.com`,
    plain: `plain-${tag}@example.com`,
  };
  const normal = (s: string) => s.normalize('NFKC').toLowerCase();
  const ids: Record<keyof typeof spelled, string> = {} as never;
  let writer: RedisClient;
  let a: TestApp;
  let b: TestApp;

  async function legacyAccount(email: string, createdAt: number, passwordHash: string): Promise<string> {
    const id = randomUUID();
    await writer.hset(keys.user(id), {
      id,
      email,
      name: 'Legacy',
      role: 'customer',
      passwordHash,
      createdAt: String(createdAt),
    });
    await writer.set(keys.userEmail(email), id);
    await writer.zadd(keys.usersByRole('customer'), 0, `${sortableTime(createdAt)}:${id}`);
    return id;
  }

  /** Every key of the keyspace with its value: proves that something changed nothing. */
  async function snapshot(): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const key of await a.storedKeys()) {
      const type = await writer.type(key);
      out[key] =
        type === 'hash'
          ? await writer.hgetall(key)
          : type === 'string'
            ? await writer.get(key)
            : type === 'zset'
              ? await writer.zrange(key, '0', '-1', 'WITHSCORES')
              : type;
    }
    return out;
  }

  beforeAll(async () => {
    writer = createRedisClient(redisOptionsFrom(testConfig({ redisKeyPrefix: prefix })));
    const passwordHash = await new PasswordHasher().hash(PASSWORD);
    const base = Date.parse('2025-01-01T00:00:00Z');
    // The younger duplicate first, so that a scan meeting accounts in writing order would pick it.
    ids.dupYounger = await legacyAccount(spelled.dupYounger, base + 5000, passwordHash);
    ids.dupOlder = await legacyAccount(spelled.dupOlder, base + 1000, passwordHash);
    ids.eveOld = await legacyAccount(spelled.eveOld, base, passwordHash);
    ids.eveNormal = await legacyAccount(spelled.eveNormal, base + 9000, passwordHash);
    for (const name of ['fullwidth', 'decomposed', 'upper', 'plain'] as const) {
      ids[name] = await legacyAccount(spelled[name], base, passwordHash);
    }
    // Two instances starting at once on the same keyspace.
    [a, b] = await Promise.all([TestApp.start({ redisKeyPrefix: prefix }), TestApp.start({ redisKeyPrefix: prefix })]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    writer?.disconnect();
  });

  const login = (t: TestApp, email: string, password = PASSWORD) =>
    t.http().post('/v1/auth/login').send({ email, password });

  it('is ready only once the migration has run', async () => {
    for (const t of [a, b]) expect((await t.http().get('/health/ready')).body).toEqual({ status: 'ok', redis: 'up' });
  });

  it('changes nothing stored when a login fails, whatever the spelling', async () => {
    const before = await snapshot();
    for (const email of [...Object.values(spelled), ...Object.values(spelled).map(normal)]) {
      expectProblem(await login(a, email, 'wrong password!'), 401, 'INVALID_CREDENTIALS');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('logs old accounts in with the normalized spelling (and the old one), stored normalized', async () => {
    for (const name of ['fullwidth', 'decomposed', 'upper', 'plain'] as const) {
      for (const [t, email] of [
        [a, normal(spelled[name])],
        [b, spelled[name]],
      ] as const) {
        const res = await login(t, email);
        expect({ name, email, status: res.status, user: res.body.user }).toEqual({
          name,
          email,
          status: 200,
          user: expect.objectContaining({ id: ids[name], email: normal(spelled[name]) }),
        });
      }
    }
    // The former keys are gone; the plain one was already normalized and stays.
    for (const name of ['fullwidth', 'decomposed', 'upper'] as const) {
      expect(await writer.get(keys.userEmail(spelled[name]))).toBeNull();
    }
    expect(await writer.get(keys.userEmail(spelled.plain))).toBe(ids.plain);
  });

  it('refuses registering the normalized spelling of an old account (409 EMAIL_TAKEN)', async () => {
    const before = await snapshot();
    for (const email of Object.values(spelled)) {
      for (const form of [email, normal(email)]) {
        const res = await a.http().post('/v1/auth/register').send({ email: form, password: PASSWORD, name: 'Dup' });
        expect({ form, status: res.status }).toEqual({ form, status: 409 });
        expectProblem(res, 409, 'EMAIL_TAKEN');
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('gives a shared normalized email to the account already there, else to the older one', async () => {
    const dup = await login(a, normal(spelled.dupOlder));
    expect(dup.body.user?.id).toBe(ids.dupOlder);
    const eve = await login(a, spelled.eveNormal);
    expect(eve.body.user?.id).toBe(ids.eveNormal);
    // The others keep their data and former email, reachable by id only.
    for (const name of ['dupYounger', 'eveOld'] as const) {
      expect(await writer.hget(keys.user(ids[name]), 'email')).toBe(spelled[name]);
    }
  });

  it('is harmless when run again, by both instances at once', async () => {
    const before = await snapshot();
    await writer.del(keys.migrationDone(EMAIL_MIGRATION));
    const reports = await Promise.all([a, b].map((t) => t.app.get(EmailMigration).run()));
    for (const report of reports) expect(report).toEqual({ ran: true, moved: 0, unreachable: 2 });
    expect(await snapshot()).toEqual(before);
    // With the marker in place it does not even look.
    expect(await a.app.get(EmailMigration).run()).toEqual({ ran: false, moved: 0, unreachable: 0 });
  });
});
