import { randomUUID } from 'node:crypto';
import calculateSlot from 'cluster-key-slot';
import { Cluster } from 'ioredis';
import { freePort } from '../../src/redis/embedded-redis.js';
import { createRedisClient } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { escapeGlob, scanKeys } from '../../src/redis/scan-keys.js';
import type { ScannableClient } from '../../src/redis/scan-keys.js';
import { startCluster } from '../support/test-cluster.js';
import type { TestCluster } from '../support/test-cluster.js';
import { testRedisUrl } from '../support/test-app.js';

async function all(redis: ScannableClient, match: string): Promise<string[]> {
  const found: string[] = [];
  for await (const page of scanKeys(redis, match)) found.push(...page);
  return found.sort();
}

describe('scanKeys', () => {
  describe('on one Redis', () => {
    const clients: RedisClient[] = [];
    const client = (keyPrefix: string) => {
      const redis = createRedisClient({ url: testRedisUrl(), keyPrefix, commandTimeoutMs: 2000 });
      clients.push(redis);
      return redis;
    };
    afterAll(() => Promise.all(clients.map((c) => c.quit())));

    it('finds the keys of its own prefix only, in several SCAN steps, named without the prefix', async () => {
      const run = randomUUID().slice(0, 8);
      const mine = client(`scan:${run}:`);
      const longer = client(`scan:${run}:x`);
      const written = Array.from({ length: 1200 }, (_, i) => `{user:${i}}:bookings`);
      await Promise.all(written.map((key) => mine.set(key, '1')));
      await longer.set('{user:1}:bookings', 'not mine: another prefix that starts like mine');

      const pages: string[][] = [];
      for await (const page of scanKeys(mine, '{user:*}:bookings')) pages.push(page);
      expect(pages.length).toBeGreaterThan(1);
      expect([...new Set(pages.flat())].sort()).toEqual([...written].sort());
      expect(await all(mine, '{user:1?}:bookings')).toEqual(
        Array.from({ length: 10 }, (_, i) => `{user:1${i}}:bookings`),
      );
    });

    it('matches a prefix with glob characters literally', async () => {
      const run = randomUUID().slice(0, 8);
      const odd = client(`scan:${run}:[a]*?\\:`);
      const lookalike = client(`scan:${run}:a-anything?\\:`);
      await odd.set('{event:1}:seat-state', '1');
      await lookalike.set('{event:2}:seat-state', '1');
      expect(await all(odd, '*')).toEqual(['{event:1}:seat-state']);
      expect(escapeGlob('a[b]*?\\')).toBe('a\\[b\\]\\*\\?\\\\');
    });

    it('finds nothing when nothing matches', async () => {
      expect(await all(client(`scan:${randomUUID()}:`), '*')).toEqual([]);
    });
  });

  describe('on Redis Cluster', () => {
    let cluster: TestCluster;
    let redis: Cluster;

    beforeAll(async () => {
      cluster = await startCluster(3);
      redis = cluster.client('bk:');
    }, 30_000);
    afterAll(() => cluster?.stop());

    it('refuses to scan a cluster it cannot reach, rather than report no keys', async () => {
      const unreachable = new Cluster([{ host: '127.0.0.1', port: await freePort() }], {
        lazyConnect: true,
        clusterRetryStrategy: () => null,
      });
      try {
        await expect(all(unreachable, '*')).rejects.toThrow();
      } finally {
        unreachable.disconnect();
      }
    });

    it('scans every master and takes the prefix off', async () => {
      const written = Array.from({ length: 300 }, (_, i) => `{event:${i}}:seat-state`);
      // Hash tags spread over every master (one command per key: they live on different nodes).
      const owners = new Set(written.map((key) => Math.floor(calculateSlot(`bk:${key}`) / Math.ceil(16384 / 3))));
      expect(owners.size).toBe(3);
      await Promise.all(written.map((key) => redis.hset(key, 'seat', 'R|u|1')));
      expect(await all(redis, '{event:*}:seat-state')).toEqual([...written].sort());
      // Each master holds only its own part: a single-node SCAN would have missed the rest.
      const perMaster = await Promise.all(redis.nodes('master').map((node) => node.dbsize()));
      expect(Math.max(...perMaster)).toBeLessThan(written.length);
    });
  });
});
