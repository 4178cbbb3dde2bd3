import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { freePort } from '../../src/redis/embedded-redis.js';

export interface TestCluster {
  readonly ports: number[];
  /** An ioredis Cluster client over all masters, with the given key prefix. */
  client(keyPrefix: string): Cluster;
  stop(): Promise<void>;
}

/**
 * A real Redis Cluster of `masters` redis-server processes (no replicas) on loopback ports, slots split evenly:
 * what the service meets on Cluster, for code that must work there (SCAN per master, MULTI within one hash tag).
 */
export async function startCluster(masters = 3): Promise<TestCluster> {
  const binary = process.env.REDIS_SERVER_BIN ?? 'redis-server';
  const dir = mkdtempSync(join(tmpdir(), 'redis-cluster-'));
  const ports: number[] = [];
  const children: ChildProcess[] = [];
  const admins: Redis[] = [];
  const clients: Cluster[] = [];
  const stop = async () => {
    await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
    admins.forEach((a) => a.disconnect());
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      const port = await freePort();
      ports.push(port);
      const child = spawn(
        binary,
        [
          '--port', String(port),
          '--bind', '127.0.0.1',
          '--cluster-enabled', 'yes',
          '--cluster-config-file', join(dir, `nodes-${port}.conf`),
          '--dir', dir,
          '--save', '',
          '--appendonly', 'no',
        ], // prettier-ignore
        { stdio: 'ignore' },
      );
      children.push(child);
    }
    for (const port of ports) {
      // Queued until the server listens (it reconnects every 50 ms meanwhile).
      const admin = new Redis({ port, host: '127.0.0.1', retryStrategy: () => 50, maxRetriesPerRequest: 100 });
      admins.push(admin);
      await admin.ping();
    }
    const per = Math.ceil(16384 / masters);
    await Promise.all(
      admins.map((admin, i) =>
        admin.call('CLUSTER', 'ADDSLOTSRANGE', String(i * per), String(Math.min(16383, (i + 1) * per - 1))),
      ),
    );
    for (const port of ports.slice(1)) await admins[0].call('CLUSTER', 'MEET', '127.0.0.1', String(port));
    for (let attempt = 0; ; attempt++) {
      const infos = await Promise.all(admins.map((a) => a.call('CLUSTER', 'INFO') as Promise<string>));
      if (infos.every((info) => info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${masters}`)))
        break;
      if (attempt > 200) throw new Error(`cluster did not come up:\n${infos.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    ports,
    client(keyPrefix: string) {
      const cluster = new Cluster([{ host: '127.0.0.1', port: ports[0] }], { keyPrefix });
      clients.push(cluster);
      return cluster;
    },
    stop,
  };
}
