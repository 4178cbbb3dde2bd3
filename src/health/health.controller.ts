import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AdminBootstrap } from '../auth/admin-bootstrap.js';
import { Public } from '../auth/auth.decorators.js';
import { AppConfig } from '../config/app-config.js';
import { RedisHealth } from '../redis/redis.module.js';
import { VenueMigration } from '../events/venue-migration.js';
import { NotRateLimited } from '../auth/request-rate-limit.guard.js';

type Readiness = {
  status: 'ok' | 'unavailable';
  redis: 'up' | 'down';
  admin?: 'pending';
  emailMigration?: 'pending';
  venueMigration?: 'pending';
};

@ApiTags('health')
@Public()
@NotRateLimited()
@Controller('health')
export class HealthController {
  constructor(
    private readonly redis: RedisHealth,
    private readonly config: AppConfig,
    private readonly adminBootstrap: AdminBootstrap,
    private readonly venueMigration: VenueMigration,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up (does not look at Redis)' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary:
      'The service can serve requests: Redis answers, the email migration has run and the configured admin (ADMIN_EMAIL) exists',
  })
  @ApiOkResponse({ schema: { example: { status: 'ok', redis: 'up' } } })
  @ApiServiceUnavailableResponse({
    description:
      '`redis: down`; `emailMigration: pending` while accounts of former email spellings are being moved, or accounts ' +
      'stored before the search index are being indexed (once per keyspace each); `venueMigration: pending` while ' +
      'events stored before venues get theirs (once per keyspace); `admin: pending` while the configured admin ' +
      'account is still being created',
    schema: { example: { status: 'unavailable', redis: 'down' } },
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    const redisUp = await this.redis.isReady();
    if (redisUp && this.adminBootstrap.isDone && this.venueMigration.isDone) return { status: 'ok', redis: 'up' };
    void reply.status(503).header('retry-after', String(this.config.retryAfterSeconds));
    if (!redisUp) return { status: 'unavailable', redis: 'down' };
    if (!this.adminBootstrap.isMigrated) return { status: 'unavailable', redis: 'up', emailMigration: 'pending' };
    if (!this.venueMigration.isDone) return { status: 'unavailable', redis: 'up', venueMigration: 'pending' };
    return { status: 'unavailable', redis: 'up', admin: 'pending' };
  }
}
