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
  const started = new Map<number, { at: number; slot: number }>();
  // Work that one process should do for all (the periodic integrity scan) is left to the copy in slot 0; a copy that
  // replaces another takes its slot. Every copy makes sure of the admin account (they race harmlessly: one creates
  // it, the others find it), since each copy's /health/ready must wait until the admin exists.
  const fork = (slot: number): Worker => {
    const once = slot === 0 ? {} : { INTEGRITY_CHECK_INTERVAL_MS: '0' };
    const worker = cluster.fork({ ...env, ...once });
    started.set(worker.id, { at: Date.now(), slot });
    return worker;
  };
  // A copy that dies soon after its start (a bad setting, the port taken, a crash during boot) would die again at
  // once: such restarts back off (1 s, 2 s, ... 30 s), and the primary gives up after 10 in a row.
  let quickDeaths = 0;
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    const { at, slot } = started.get(worker.id) ?? { at: 0, slot: 1 };
    const lived = Date.now() - at;
    started.delete(worker.id);
    quickDeaths = lived < 10_000 ? quickDeaths + 1 : 0;
    if (quickDeaths > 10) {
      log(`workers keep dying at start (last: ${signal ?? code}); giving up`);
      void stop('SIGTERM', 1);
      return;
    }
    const delay = quickDeaths === 0 ? 0 : Math.min(1000 * 2 ** (quickDeaths - 1), 30_000);
    log(`worker ${worker.process.pid} exited (${signal ?? code}); starting another${delay ? ` in ${delay} ms` : ''}`);
    setTimeout(() => stopping || fork(slot), delay);
  });
  for (let slot = 0; slot < count; slot++) fork(slot);
  log(`supervising ${count} workers on port ${config.port}`);

  const stop = async (signal: NodeJS.Signals, exitCode = 0) => {
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
    process.exit(clean.every(Boolean) ? exitCode : 1);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
