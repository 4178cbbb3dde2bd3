import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config.js';
import { UnauthorizedError } from '../common/domain-error.js';
import { Clock } from '../common/clock.js';
import { ROLES } from '../users/user.js';
import type { AuthUser } from './auth-user.js';
import type { Role } from '../users/user.js';

const TOKEN_TYPE = 'access';

interface AccessClaims {
  sub: string;
  role: Role;
  typ: string;
  iat: number;
  exp: number;
}

/** How many verified tokens one process remembers (about 200 bytes each). */
const VERIFIED_CACHE_SIZE = 10_000;

/**
 * How far the clocks of two instances may disagree (seconds): a token signed by one whose clock runs this much ahead
 * still passes the lifetime checks of another. Instances are expected to keep time with NTP (docs/architecture.md).
 */
export const ACCESS_TOKEN_CLOCK_SKEW_SECONDS = 30;

/**
 * Short-lived HS256 JWTs. Verification pins the algorithm, issuer, audience and token type, and checks the lifetime
 * against the injected clock: `exp` and `iat` are required, `iat` may not lie in the future and neither `exp - iat`
 * nor `exp - now` may exceed the configured lifetime (plus the skew), so a token that never or only very late expires
 * is refused even when it carries the right signature. A header with `crit` (extensions the verifier would have to
 * understand) is refused too. A refresh token or a token minted for another service is never accepted.
 */
@Injectable()
export class AccessTokens {
  private readonly jwt: JwtService;
  /**
   * Tokens whose signature and claims were already checked, with their expiry. Verifying an HS256 JWT costs about
   * 100 µs here (jsonwebtoken re-imports the key on every call), more than the whole seat hold; a signature cannot
   * become invalid later, so only `exp` is checked again. Insertion-ordered Map, oldest evicted first.
   */
  private readonly verified = new Map<string, { user: AuthUser; exp: number }>();

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    if (!config.jwtSecret) throw new Error('JWT_SECRET must be resolved before the app is created');
    this.jwt = new JwtService({ secret: config.jwtSecret });
  }

  get ttlSeconds(): number {
    return this.config.accessTokenTtlSeconds;
  }

  sign(user: AuthUser): string {
    const iat = Math.floor(this.clock.now() / 1000);
    const claims: AccessClaims = { sub: user.id, role: user.role, typ: TOKEN_TYPE, iat, exp: iat + this.ttlSeconds };
    return this.jwt.sign(claims, {
      algorithm: 'HS256',
      issuer: this.config.jwtIssuer,
      audience: this.config.jwtAudience,
    });
  }

  /** The token's user when it is valid, else undefined: for routes that work with or without one. */
  identify(token: string): AuthUser | undefined {
    try {
      return this.verify(token);
    } catch {
      return undefined;
    }
  }

  verify(token: string): AuthUser {
    const known = this.verified.get(token);
    if (known) {
      if (known.exp * 1000 > this.clock.now()) return known.user;
      this.verified.delete(token);
    }
    const now = Math.floor(this.clock.now() / 1000);
    let header: { crit?: unknown };
    let claims: Partial<AccessClaims>;
    try {
      // `complete` returns the header too (the signature, algorithm, issuer, audience and exp checks are the same).
      ({ header, payload: claims } = this.jwt.verify<{ header: { crit?: unknown }; payload: Partial<AccessClaims> }>(
        token,
        {
          algorithms: ['HS256'],
          issuer: this.config.jwtIssuer,
          audience: this.config.jwtAudience,
          clockTimestamp: now,
          complete: true,
        },
      ));
    } catch {
      throw new UnauthorizedError('The access token is invalid or expired');
    }
    if (
      header.crit !== undefined ||
      claims.typ !== TOKEN_TYPE ||
      typeof claims.sub !== 'string' ||
      !ROLES.includes(claims.role as Role) ||
      !this.lifetimeIsPlausible(claims.iat, claims.exp, now)
    ) {
      throw new UnauthorizedError('The access token is invalid or expired');
    }
    // Only a token that passed every check is remembered; a cached one is checked against the clock again on use.
    const user: AuthUser = { id: claims.sub, role: claims.role as Role };
    this.verified.set(token, { user, exp: claims.exp! });
    if (this.verified.size > VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
    return user;
  }

  /** Issued now or before (give or take the skew), and living no longer than this service issues tokens for. */
  private lifetimeIsPlausible(iat: unknown, exp: unknown, now: number): boolean {
    if (typeof iat !== 'number' || typeof exp !== 'number' || !Number.isFinite(iat) || !Number.isFinite(exp)) {
      return false;
    }
    const longest = this.ttlSeconds + ACCESS_TOKEN_CLOCK_SKEW_SECONDS;
    return iat <= now + ACCESS_TOKEN_CLOCK_SKEW_SECONDS && exp - iat <= longest && exp - now <= longest;
  }
}
