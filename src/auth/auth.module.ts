import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { UsersModule } from '../users/users.module.js';
import { AccessTokens } from './access-tokens.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { PasswordHasher } from './password-hasher.js';
import { AuthRateLimitGuard } from './rate-limit.guard.js';
import { RateLimitsRepository } from './rate-limits.repository.js';
import { RedisRateLimitsRepository } from './redis-rate-limits.repository.js';
import { RedisRefreshTokensRepository } from './redis-refresh-tokens.repository.js';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';

@Module({
  imports: [UsersModule],
  controllers: [AuthController],
  providers: [
    AuthService,
    AccessTokens,
    PasswordHasher,
    AuthRateLimitGuard,
    { provide: RateLimitsRepository, useClass: RedisRateLimitsRepository },
    { provide: RefreshTokensRepository, useClass: RedisRefreshTokensRepository },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService, AccessTokens],
})
export class AuthModule {}
