import { createHash } from 'node:crypto';
import { keys } from '../../src/redis/keys.js';
import { TestApp, expectProblem } from '../support/test-app.js';

/**
 * The refresh-token reuse grace over HTTP: a refresh whose answer was lost (a reload, a dropped connection) can be
 * repeated with the same token for REFRESH_REUSE_GRACE_SECONDS instead of ending the login as theft.
 */
describe('refresh-token reuse grace (HTTP)', () => {
  let t: TestApp;
  let strict: TestApp;
  const graceMs = 10_000;

  beforeAll(async () => {
    t = await TestApp.start({ refreshReuseGraceSeconds: graceMs / 1000 });
    strict = await TestApp.start({ refreshReuseGraceSeconds: 0 });
  });
  afterAll(async () => {
    await t.close();
    await strict.close();
  });

  const refresh = (app: TestApp, refreshToken: string) => app.http().post('/v1/auth/refresh').send({ refreshToken });
  const revoked = async (app: TestApp, refreshToken: string) =>
    app.redis.hget(keys.refreshFamily(refreshToken.split('.')[0]), 'revoked');

  it('a refresh whose answer was lost, repeated within the grace, gets a working pair; the lost one is dead', async () => {
    const account = await t.register();
    const lost = await refresh(t, account.refreshToken);
    expect(lost.status).toBe(200);
    t.clock.advance(graceMs - 1);

    const again = await refresh(t, account.refreshToken);

    expect(again.status).toBe(200);
    expect(again.body.refreshToken).not.toBe(lost.body.refreshToken);
    expect(again.body.user.id).toBe(account.id);
    const me = await t.http().get('/v1/auth/me').set('Authorization', `Bearer ${again.body.accessToken}`);
    expect(me.status).toBe(200);
    const next = await refresh(t, again.body.refreshToken);
    expect(next.status).toBe(200);
    expect(await revoked(t, account.refreshToken)).toBeNull();
    // The successor whose answer was lost was superseded: presenting it now counts as theft and ends the login.
    expectProblem(await refresh(t, lost.body.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
    expect(await revoked(t, account.refreshToken)).toBe('1');
    expectProblem(await refresh(t, next.body.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
  });

  it('repeating within the grace does not extend it: the window counts from the rotation that spent the token', async () => {
    const account = await t.register();
    expect((await refresh(t, account.refreshToken)).status).toBe(200);
    t.clock.advance(graceMs / 2);
    expect((await refresh(t, account.refreshToken)).status).toBe(200);
    t.clock.advance(graceMs / 2);

    expectProblem(await refresh(t, account.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
    expect(await revoked(t, account.refreshToken)).toBe('1');
  });

  it('after the grace the spent token revokes the family, its successor included', async () => {
    const account = await t.register();
    const lost = await refresh(t, account.refreshToken);
    expect(lost.status).toBe(200);
    t.clock.advance(graceMs);

    expectProblem(await refresh(t, account.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
    expect(await revoked(t, account.refreshToken)).toBe('1');
    expectProblem(await refresh(t, lost.body.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
  });

  it('with a grace of 0 rotation is strict: the spent token revokes the family at once', async () => {
    const account = await strict.register();
    const lost = await refresh(strict, account.refreshToken);
    expect(lost.status).toBe(200);

    expectProblem(await refresh(strict, account.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
    expect(await revoked(strict, account.refreshToken)).toBe('1');
    expectProblem(await refresh(strict, lost.body.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
  });

  it('concurrent refreshes of one token within the grace all get a pair; the last rotation stays current', async () => {
    const account = await t.register();
    const answers = await Promise.all(Array.from({ length: 10 }, () => refresh(t, account.refreshToken)));

    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    const tokens = answers.map((a) => a.body.refreshToken as string);
    expect(new Set(tokens).size).toBe(10);
    // Which rotation ran last is Redis's order, not the order the answers arrived in: read it from the family.
    const current = await t.redis.hget(keys.refreshFamily(account.refreshToken.split('.')[0]), 'current');
    const hashOf = (token: string) => createHash('sha256').update(token.split('.')[1]).digest('base64url');
    const kept = tokens.filter((token) => hashOf(token) === current);
    expect(kept).toHaveLength(1);

    // The client that stored that answer keeps its session.
    const next = await refresh(t, kept[0]);
    expect(next.status).toBe(200);
    expect(await revoked(t, account.refreshToken)).toBeNull();
    // Any other answer of the race was superseded: presenting it later ends the login (docs/security.md).
    const superseded = tokens.find((token) => token !== kept[0])!;
    expectProblem(await refresh(t, superseded), 401, 'INVALID_REFRESH_TOKEN');
    expect(await revoked(t, account.refreshToken)).toBe('1');
  });
});
