import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { UsersModule } from '../users/users.module.js';
import { AccessTokens } from './access-tokens.js';
import { AdminBootstrap } from './admin-bootstrap.js';
import { AuthController } from './auth.controller.js';
import { UsersController } from './users.controller.js';
import { AuthGuard } from './auth.guard.js';
import { RequestRateLimitGuard } from './request-rate-limit.guard.js';
import { RequestRateLimiter } from './request-rate-limiter.js';
import { AuthService } from './auth.service.js';
import { PasswordHasher } from './password-hasher.js';
import { AuthRateLimitGuard } from './rate-limit.guard.js';
import { RateLimitsRepository } from './rate-limits.repository.js';
import { RedisRateLimitsRepository } from './redis-rate-limits.repository.js';
import { RedisRefreshTokensRepository } from './redis-refresh-tokens.repository.js';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';

@Module({
  imports: [UsersModule],
  // Granting roles is access control: the admin's routes over accounts are auth's, the accounts are users'.
  controllers: [AuthController, UsersController],
  providers: [
    AuthService,
    AdminBootstrap,
    AccessTokens,
    PasswordHasher,
    AuthRateLimitGuard,
    { provide: RateLimitsRepository, useClass: RedisRateLimitsRepository },
    { provide: RefreshTokensRepository, useClass: RedisRefreshTokensRepository },
    // Guards run in this order: who is calling, then whether they are over their limit.
    { provide: APP_GUARD, useClass: AuthGuard },
    RequestRateLimiter,
    { provide: APP_GUARD, useClass: RequestRateLimitGuard },
  ],
  exports: [AuthService, AccessTokens, AdminBootstrap],
})
export class AuthModule {}
