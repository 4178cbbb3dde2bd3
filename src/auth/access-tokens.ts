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
@Injectable()
export class AccessTokens {
  private readonly jwt: JwtService;

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

  verify(token: string): AuthUser {
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
    return { id: claims.sub, role: claims.role };
  }
}
