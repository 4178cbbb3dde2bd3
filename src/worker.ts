// First: refuses an unsupported Node before any import loads a native binding.
import './common/node-version.js';
import { NestFactory } from '@nestjs/core';
import { PinoNestLogger, createLogger } from './common/logger.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { localJwtSecret } from './config/local-secret.js';
import { serveWorkerHealth } from './health/worker-health.server.js';
import { WorkerModule } from './worker.module.js';

/**
 * `npm run worker`: the reminder worker as its own process (then start the API with REMINDER_WORKER=off). It needs
 * REDIS_URL: the embedded Redis belongs to the API process. It boots WorkerModule: the reminder worker and its
 * health and metrics port, nothing of the API (the API instances run the sweepers).
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  if (!config.redisUrl && config.redisClusterNodes.length === 0) {
    process.stderr.write('The worker needs REDIS_URL or REDIS_CLUSTER_NODES (the Redis the API uses).\n');
    process.exit(1);
  }
  // The admin account is the API's to create (its readiness waits for it); the worker serves no logins.
  config = config.with({
    reminderWorker: 'inline',
    jwtSecret: config.jwtSecret ?? localJwtSecret(config.dataDir),
    adminEmail: undefined,
    adminPassword: undefined,
  });
  const logger = createLogger(config.logLevel);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: new PinoNestLogger(logger),
  });
  const health = await serveWorkerHealth(app, config);
  logger.info(
    health
      ? `reminder worker running; health and metrics on http://${config.host}:${config.workerPort}`
      : 'reminder worker running (WORKER_PORT=0: no health port)',
  );
  const stop = async (signal: string) => {
    logger.info(`${signal} received, stopping the worker`);
    setTimeout(() => process.exit(1), config.shutdownTimeoutMs).unref();
    health?.close();
    health?.closeAllConnections();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
