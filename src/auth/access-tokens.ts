import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config.js';
import { UnauthorizedError } from '../common/domain-error.js';
import { Clock } from '../common/clock.js';
import { ROLES } from '../users/user.js';
import type { AuthUser, Role } from '../users/user.js';

const TOKEN_TYPE = 'access';

interface AccessClaims {
  sub: string;
  role: Role;
  typ: string;
  iat: number;
  exp: number;
}

/**
 * Short-lived HS256 JWTs. Verification pins the algorithm, issuer, audience and token type, and checks `exp` against
 * the injected clock, so a refresh token or a token minted for another service is never accepted.
 */
/** How many verified tokens one process remembers (about 200 bytes each). */
const VERIFIED_CACHE_SIZE = 10_000;

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
    let claims: AccessClaims;
    try {
      claims = this.jwt.verify<AccessClaims>(token, {
        algorithms: ['HS256'],
        issuer: this.config.jwtIssuer,
        audience: this.config.jwtAudience,
        clockTimestamp: Math.floor(this.clock.now() / 1000),
      });
    } catch {
      throw new UnauthorizedError('The access token is invalid or expired');
    }
    if (claims.typ !== TOKEN_TYPE || typeof claims.sub !== 'string' || !ROLES.includes(claims.role)) {
      throw new UnauthorizedError('The access token is invalid or expired');
    }
    const user: AuthUser = { id: claims.sub, role: claims.role };
    this.verified.set(token, { user, exp: claims.exp });
    if (this.verified.size > VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
    return user;
  }
}
