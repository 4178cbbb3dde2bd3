import { createHmac } from 'node:crypto';
import type { Account } from '../support/test-app.js';
import { TEST_JWT_SECRET, TestApp, expectProblem } from '../support/test-app.js';

const TTL = 900;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('hardening: access tokens the service did not issue', () => {
  let t: TestApp;
  let alice: Account;

  beforeAll(async () => {
    t = await TestApp.start({ accessTokenTtlSeconds: TTL });
    alice = await t.register();
  });
  afterAll(() => t.close());

  const now = () => Math.floor(t.clock.now() / 1000);
  /** A JWT signed with the service's real secret (or another algorithm, or none), with any header and claims. */
  function forge(
    claims: Record<string, unknown>,
    header: Record<string, unknown> = {},
    algorithm: 'sha256' | 'sha512' | 'none' = 'sha256',
  ): string {
    const alg = { sha256: 'HS256', sha512: 'HS512', none: 'none' }[algorithm];
    const head = b64({ alg, typ: 'JWT', ...header });
    const body = b64({
      sub: alice.id,
      role: 'customer',
      typ: 'access',
      iss: t.config.jwtIssuer,
      aud: t.config.jwtAudience,
      ...claims,
    });
    const signature =
      algorithm === 'none' ? '' : createHmac(algorithm, TEST_JWT_SECRET).update(`${head}.${body}`).digest('base64url');
    return `${head}.${body}.${signature}`;
  }
  const me = (token: string) => t.http().get('/v1/auth/me').set('Authorization', `Bearer ${token}`);
  const refused = async (token: string) => {
    // Twice: a refusal must not be remembered as a success, and a second look must refuse too.
    for (let i = 0; i < 2; i++) expectProblem(await me(token), 401, 'UNAUTHORIZED');
  };

  it('accepts a forged token that follows every rule (so the refusals below are about the rule each breaks)', async () => {
    const res = await me(forge({ iat: now(), exp: now() + TTL }));
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(alice.id);
  });

  it('refuses a token without exp', async () => {
    await refused(forge({ iat: now() }));
  });

  it('refuses a token without iat', async () => {
    await refused(forge({ exp: now() + TTL }));
  });

  it('refuses exp in the year 3 trillion', async () => {
    await refused(forge({ iat: now(), exp: 3e12 * 365 * 86_400 }));
  });

  it('refuses a lifetime longer than ACCESS_TOKEN_TTL_SECONDS plus the skew', async () => {
    await refused(forge({ iat: now(), exp: now() + TTL + 3600 }));
    await refused(forge({ iat: now() - 86_400, exp: now() + 60 }));
  });

  it('refuses a token issued in the future (exp - now too long even if exp - iat is not)', async () => {
    await refused(forge({ iat: now() + 86_400, exp: now() + 86_400 + TTL }));
  });

  it('accepts a token issued by an instance whose clock is a few seconds ahead', async () => {
    const res = await me(forge({ iat: now() + 5, exp: now() + 5 + TTL }));
    expect(res.status).toBe(200);
  });

  it('refuses non-numeric exp and iat', async () => {
    await refused(forge({ iat: String(now()), exp: now() + TTL }));
    await refused(forge({ iat: now(), exp: String(now() + TTL) }));
  });

  it('refuses any header crit, known names included', async () => {
    await refused(forge({ iat: now(), exp: now() + TTL }, { crit: ['x-unknown'], 'x-unknown': 1 }));
    await refused(forge({ iat: now(), exp: now() + TTL }, { crit: ['exp'] }));
    await refused(forge({ iat: now(), exp: now() + TTL }, { crit: [] }));
  });

  it('keeps refusing alg none and every algorithm but HS256', async () => {
    await refused(forge({ iat: now(), exp: now() + TTL }, {}, 'none'));
    await refused(forge({ iat: now(), exp: now() + TTL }, {}, 'sha512'));
    // HS256's signature under another name in the header.
    await refused(forge({ iat: now(), exp: now() + TTL }, { alg: 'HS384' }));
  });

  it('a token that was accepted is refused once it has expired, cache or not', async () => {
    const token = forge({ iat: now(), exp: now() + 60 });
    expect((await me(token)).status).toBe(200);
    t.clock.advance(61_000);
    await refused(token);
  });
});
