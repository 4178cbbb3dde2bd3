import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators.js';
import { AppConfig } from '../config/app-config.js';
import { RedisHealth } from '../redis/redis.module.js';
import { NotRateLimited } from '../auth/request-rate-limit.guard.js';

@ApiTags('health')
@Public()
@NotRateLimited()
@Controller('health')
export class HealthController {
  constructor(
    private readonly redis: RedisHealth,
    private readonly config: AppConfig,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up (does not look at Redis)' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'The service can serve requests: Redis answers' })
  @ApiOkResponse({ schema: { example: { status: 'ok', redis: 'up' } } })
  @ApiServiceUnavailableResponse({ schema: { example: { status: 'unavailable', redis: 'down' } } })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<{ status: string; redis: string }> {
    if (await this.redis.isReady()) return { status: 'ok', redis: 'up' };
    void reply.status(503).header('retry-after', String(this.config.retryAfterSeconds));
    return { status: 'unavailable', redis: 'down' };
  }
}
