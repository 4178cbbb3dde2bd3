import { Global, Inject, Injectable, Logger, Module } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { ChannelSubscriber } from './channel-subscriber.js';
import { RedisClient, createRedisClient, redisOptionsFrom } from './redis-client.js';

/** Readiness of the store, for /health/ready: a PING with a short bound of its own. */
@Injectable()
export class RedisHealth {
  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {}

  async isReady(timeoutMs = 1000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      return await Promise.race([this.redis.ping().then((reply) => reply === 'PONG'), timeout]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis.status === 'end') return;
    // Never connected (lazy) or not connected now: nothing to flush, and QUIT would only wait for a reconnect.
    if (this.redis.status !== 'ready') return this.redis.disconnect();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

const logger = new Logger('Redis');
let lastErrorLog = 0;

/** Logs connection trouble at most every 5 s: a Redis outage must not flood the log with one line per retry. */
function logRedisError(error: Error): void {
  const now = Date.now();
  if (now - lastErrorLog < 5000) return;
  lastErrorLog = now;
  logger.warn(`Redis connection problem: ${error.message}`);
}

@Global()
@Module({
  providers: [
    {
      provide: RedisClient,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => createRedisClient(redisOptionsFrom(config), logRedisError),
    },
    RedisHealth,
    RedisLifecycle,
    ChannelSubscriber,
  ],
  exports: [RedisClient, RedisHealth, ChannelSubscriber],
})
export class RedisModule {}
