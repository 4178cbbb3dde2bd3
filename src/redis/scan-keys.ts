import type { Cluster, Redis } from 'ioredis';

/** How many keys one SCAN step looks at: small enough that no step holds Redis up. */
export const SCAN_COUNT = 500;

/** What scanKeys needs of a client: a single node, or an ioredis Cluster (which has `nodes('master')`). */
export type ScannableClient = Pick<Redis, 'scan' | 'options'> | Pick<Cluster, 'nodes' | 'options' | 'cluster'>;

/** Escapes the glob characters of SCAN MATCH, so a key prefix like `app[1]:` is matched literally. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/**
 * Every key matching `match` (a SCAN MATCH glob over the keys as the code names them, without the client's key
 * prefix), one SCAN reply at a time. ioredis applies its keyPrefix neither to SCAN MATCH nor to the keys SCAN answers,
 * so the prefix is added to the pattern (escaped) and taken off the results here. On an ioredis Cluster each master is
 * scanned in turn (SCAN walks one node only). Like SCAN itself it never blocks Redis for long (COUNT 500 per step),
 * and it may yield a key twice (a resize during the scan, a slot migrating between masters): callers must not mind.
 */
export async function* scanKeys(redis: ScannableClient, match: string, count = SCAN_COUNT): AsyncGenerator<string[]> {
  const prefix = redis.options.keyPrefix ?? '';
  const pattern = escapeGlob(prefix) + match;
  const nodes: Pick<Redis, 'scan'>[] = 'nodes' in redis ? await mastersCoveringEverySlot(redis) : [redis];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, found] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      cursor = next;
      const page = found.filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
      if (page.length > 0) yield page;
    } while (cursor !== '0');
  }
}

/**
 * The masters of a cluster, once it is connected and serves every slot. A lazy or disconnected client knows no
 * masters at all, and a master that is down takes its slots' keys with it: either way a scan would find fewer keys
 * and report a clean keyspace it never read, so this throws instead.
 */
async function mastersCoveringEverySlot(redis: Pick<Cluster, 'nodes' | 'cluster'>): Promise<Pick<Redis, 'scan'>[]> {
  const info = String(await redis.cluster('INFO'));
  if (!/cluster_state:ok/.test(info) || !/cluster_slots_ok:16384/.test(info)) {
    throw new Error('Redis Cluster is not serving every slot: scanning it would miss keys');
  }
  const masters = redis.nodes('master');
  if (masters.length === 0) throw new Error('Redis Cluster has no connected master');
  return masters;
}
