import { Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, UnauthorizedError } from '../common/domain-error.js';
import type { AuthUser } from './auth-user.js';
import type { Role } from '../users/user.js';
import { AccessTokens } from './access-tokens.js';
import { PUBLIC_ROUTE, REQUIRED_ROLES } from './auth.decorators.js';

interface RouteRule {
  readonly isPublic: boolean;
  readonly roles: readonly Role[] | undefined;
}

/**
 * The one global guard: a bearer access token on every route not marked @Public, then the @Roles check. The rule of
 * each handler is looked up once and cached, since this runs on every request of the hot paths.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly rules = new WeakMap<object, RouteRule>();

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokens,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const rule = this.ruleOf(context);
    const request = context.switchToHttp().getRequest<{ headers: Record<string, unknown>; user?: AuthUser }>();
    const header = request.headers.authorization;
    if (rule.isPublic) {
      // A public route needs no token, but a valid one tells who calls (the rate limit counts users, not addresses).
      if (typeof header === 'string' && header.startsWith('Bearer '))
        request.user = this.tokens.identify(header.slice(7));
      return true;
    }
    if (typeof header !== 'string' || !header.startsWith('Bearer ')) {
      throw new UnauthorizedError('Send an access token as "Authorization: Bearer <token>"');
    }
    const user = this.tokens.verify(header.slice(7));
    request.user = user;
    if (rule.roles && !rule.roles.includes(user.role)) {
      throw new ForbiddenError(`This needs one of the roles: ${rule.roles.join(', ')}`);
    }
    return true;
  }

  private ruleOf(context: ExecutionContext): RouteRule {
    const handler = context.getHandler();
    let rule = this.rules.get(handler);
    if (!rule) {
      const targets = [handler, context.getClass()];
      rule = {
        isPublic: this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) ?? false,
        roles: this.reflector.getAllAndOverride<Role[]>(REQUIRED_ROLES, targets),
      };
      this.rules.set(handler, rule);
    }
    return rule;
  }
}
