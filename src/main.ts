// First: refuses an unsupported Node before any import loads a native binding.
import './common/node-version.js';
import cluster from 'node:cluster';
import { join } from 'node:path';
import { createApp } from './app.factory.js';
import { superviseWorkers } from './cluster-primary.js';
import { createLogger } from './common/logger.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { localJwtSecret } from './config/local-secret.js';
import type { AppConfig } from './config/app-config.js';
import { RedisBinaryNotFoundError, startEmbeddedRedis } from './redis/embedded-redis.js';
import type { EmbeddedRedis } from './redis/embedded-redis.js';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }

  let embedded: EmbeddedRedis | undefined;
  if (!config.redisUrl && config.redisClusterNodes.length === 0) {
    try {
      embedded = await startEmbeddedRedis(join(config.dataDir, 'redis'), config.redisServerBin);
    } catch (error) {
      if (error instanceof RedisBinaryNotFoundError) fail(error.message);
      throw error;
    }
    config = config.with({ redisUrl: embedded.url });
  }
  if (!config.jwtSecret) config = config.with({ jwtSecret: localJwtSecret(config.dataDir) });

  if (config.clusterWorkers !== 1 && cluster.isPrimary) {
    // The copies get the resolved Redis and secret, so they all use this process's embedded Redis and one secret.
    const env = { REDIS_URL: config.redisUrl ?? '', JWT_SECRET: config.jwtSecret!, CLUSTER_WORKERS: '1' };
    const logger = createLogger(config.logLevel);
    const log = (message: string) => logger.info(message);
    if (embedded) log(`embedded redis-server at ${embedded.url}, data in ${join(config.dataDir, 'redis')}`);
    return superviseWorkers(config, env, embedded, log);
  }

  const app = await createApp(config);
  const logger = app.getHttpAdapter().getInstance().log;
  if (embedded) logger.info(`embedded redis-server at ${embedded.url}, data in ${join(config.dataDir, 'redis')}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // No new connections from this moment: a load balancer's next attempt fails at once and goes elsewhere. Node also
    // closes the idle kept-alive connections now; app.close() then answers requests on the other ones 503, lets those
    // already running finish, ends live streams, and only then stops the workers and closes Redis.
    app.getHttpServer().close();
    logger.info(`${signal} received, shutting down`);
    const timer = setTimeout(() => {
      logger.error(`shutdown took longer than ${config.shutdownTimeoutMs} ms, exiting`);
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    await app.close();
    await embedded?.stop();
    clearTimeout(timer);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  logger.info(`listening on http://${config.host}:${config.port} (Swagger UI at /docs)`);
}

main().catch((error: unknown) => {
  process.stderr.write(`fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
