import { randomBytes } from 'node:crypto';
import { AccessTokens } from '../../src/auth/access-tokens.js';
import { EmailTakenError, InvalidCredentialsError, InvalidRefreshTokenError } from '../../src/auth/auth.errors.js';
import { authScripts } from '../../src/auth/auth.scripts.js';
import { AuthService } from '../../src/auth/auth.service.js';
import { PasswordHasher } from '../../src/auth/password-hasher.js';
import { RedisRefreshTokensRepository } from '../../src/auth/redis-refresh-tokens.repository.js';
import { ManualClock } from '../../src/common/clock.js';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { keys } from '../../src/redis/keys.js';
import { RedisUsersRepository } from '../../src/users/redis-users.repository.js';
import { NOW, user } from '../support/factories.js';
import { deliveredTwice } from '../support/redelivery.js';
import { testConfig } from '../support/test-app.js';

/** AuthService with its real Redis repositories and a standing clock: sessions, rotation and reuse detection. */
describe('AuthService', () => {
  let redis: RedisClient;
  let users: RedisUsersRepository;
  let auth: AuthService;
  const config = testConfig();
  const password = 'correct horse battery staple';

  const clock = new ManualClock(NOW);

  beforeAll(() => {
    redis = createRedisClient(redisOptionsFrom(config));
    users = new RedisUsersRepository(redis);
    auth = new AuthService(
      users,
      new RedisRefreshTokensRepository(redis),
      new AccessTokens(config, clock),
      new PasswordHasher(),
      clock,
      config,
    );
  });
  afterAll(() => redis.quit());

  /** A registered customer with a fresh email, and its first session. */
  async function registered() {
    const { email, name } = user();
    const session = await auth.register({ email, password, name });
    return { email, session };
  }

  const familyOf = (refreshToken: string) => keys.refreshFamily(refreshToken.split('.')[0]);

  it('registers once per email: of concurrent registrations exactly one succeeds', async () => {
    const { email, name } = user();
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => auth.register({ email: email.toUpperCase(), password, name })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(EmailTakenError);
    }
    await expect(auth.login({ email, password: 'wrong' })).rejects.toThrow(InvalidCredentialsError);
    await expect(auth.login({ email: `x${email}`, password })).rejects.toThrow(InvalidCredentialsError);
    expect((await auth.login({ email, password })).user.email).toBe(email);
  });

  it('a refresh rotates the token; the used one presented again ends every session of the login', async () => {
    const { session } = await registered();
    const next = await auth.refresh(session.refreshToken);
    expect(next.refreshToken.split('.')[0]).toBe(session.refreshToken.split('.')[0]);
    // Past the reuse grace, in which the used token would still swap (a lost answer).
    clock.advance(config.refreshReuseGraceSeconds * 1000);
    await expect(auth.refresh(session.refreshToken)).rejects.toThrow(InvalidRefreshTokenError);
    expect(await redis.hget(familyOf(session.refreshToken), 'revoked')).toBe('1');
    await expect(auth.refresh(next.refreshToken)).rejects.toThrow(InvalidRefreshTokenError);
  });

  it('a refresh re-sent after a lost reply still gives a working token and ends nothing', async () => {
    const { session } = await registered();
    const next = await deliveredTwice(redis, authScripts.rotateRefresh, () => auth.refresh(session.refreshToken));
    expect(await redis.hget(familyOf(session.refreshToken), 'revoked')).toBeNull();
    expect((await auth.refresh(next.refreshToken)).user.id).toBe(session.user.id);
  });

  it('a role granted meanwhile is in the next refreshed session', async () => {
    const { session } = await registered();
    await users.setRole(session.user.id, 'manager');
    expect((await auth.refresh(session.refreshToken)).user.role).toBe('manager');
  });

  it('logout ends the session only with its current token; malformed tokens are refused', async () => {
    const { session } = await registered();
    // A well-formed token of the family that is not its current one.
    await auth.logout(`${session.refreshToken.split('.')[0]}.${randomBytes(32).toString('base64url')}`);
    const next = await auth.refresh(session.refreshToken);
    await auth.logout(next.refreshToken);
    await expect(auth.refresh(next.refreshToken)).rejects.toThrow(InvalidRefreshTokenError);
    await expect(auth.refresh('not-a-token')).rejects.toThrow(InvalidRefreshTokenError);
  });
});
