import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { AppConfig } from './config/app-config.js';
import type { EmbeddedRedis } from './redis/embedded-redis.js';

/**
 * CLUSTER_WORKERS > 1: this process only supervises. It forks that many copies of the service, which share one
 * listening port (Node's cluster module hands connections out round robin), restarts one that dies, and on SIGTERM
 * or SIGINT passes the signal on, waits for every copy's own graceful shutdown, then stops the embedded Redis.
 * The copies share nothing but Redis, exactly like instances on separate machines.
 */
export async function superviseWorkers(
  config: AppConfig,
  env: Record<string, string>,
  embedded: EmbeddedRedis | undefined,
  log: (message: string) => void,
): Promise<void> {
  const count = config.clusterWorkers === 0 ? availableParallelism() : config.clusterWorkers;
  let stopping = false;
  const fork = (): Worker => cluster.fork(env);
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    log(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    fork();
  });
  for (let i = 0; i < count; i++) fork();
  log(`supervising ${count} workers on port ${config.port}`);

  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received, stopping ${count} workers`);
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    // A copy still starting has no handler yet and dies of the signal itself: clean too, it had nothing in flight.
    const exits = workers.map(
      (w) =>
        new Promise<boolean>((resolve) =>
          w.once('exit', (code: number | null, by: string | null) => resolve(code === 0 || by === signal)),
        ),
    );
    for (const worker of workers) worker.process.kill(signal);
    const timer = setTimeout(() => {
      log(`workers took longer than ${config.shutdownTimeoutMs} ms, exiting`);
      process.exit(1);
    }, config.shutdownTimeoutMs + 1000).unref();
    const clean = await Promise.all(exits);
    await embedded?.stop();
    clearTimeout(timer);
    process.exit(clean.every(Boolean) ? 0 : 1);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
