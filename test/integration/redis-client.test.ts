import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { createRedisClient } from '../../src/redis/redis-client.js';
import { clusterNodePort, startRedisCluster } from '../support/redis-cluster.mjs';
import { eventually } from '../support/eventually.js';

/** A TCP server that accepts connections and never answers: a Redis (or cluster node) that is frozen. */
function silentServer(): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  return new Promise((resolve) => {
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (!address || typeof address === 'string') throw new Error('no address');
      resolve({ server, port: address.port, sockets });
    });
  });
}

describe('the Redis client gives up within the command timeout instead of hanging', () => {
  let silent: Awaited<ReturnType<typeof silentServer>>;
  beforeAll(async () => (silent = await silentServer()));
  // A client that was told to disconnect may still be reconnecting: cut what is open so close() can finish.
  afterAll(() => {
    for (const socket of silent.sockets) socket.destroy();
    return new Promise((resolve) => silent.server.close(resolve));
  });

  it.each([
    ['one Redis', (port: number) => ({ url: `redis://127.0.0.1:${port}` })],
    ['a cluster that cannot get its slot table', (port: number) => ({ url: '', clusterNodes: [`127.0.0.1:${port}`] })],
  ])('%s', async (_, where) => {
    const client = createRedisClient({ ...where(silent.port), keyPrefix: 'x:', commandTimeoutMs: 200 });
    const outcome = await client.get('k').then(
      () => 'answered',
      (error: Error) => error.message,
    );
    client.disconnect();
    // It ends with the timeout's own error (no wall-clock bound: the test's own timeout catches "never").
    expect(outcome).toMatch(/timed out|timeout/i);
  });
});

describe('a command that timed out while the cluster was away', () => {
  it('is not sent when the cluster comes back (the client was told it failed)', async () => {
    // A port whose bus port exists: an ephemeral port above 55535 has none, and the node there would never start.
    const port = await clusterNodePort();
    const client = createRedisClient({
      url: '',
      clusterNodes: [`127.0.0.1:${port}`],
      keyPrefix: 'late:',
      commandTimeoutMs: 200,
    });
    const refused = await client.set('written-after-503', 'yes').then(
      () => 'answered',
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/timed out/i);
    const cluster = await startRedisCluster(process.env.REDIS_SERVER_BIN ?? 'redis-server', 'redis-cli', 3, [port]);
    try {
      // The client reconnects by itself; once it answers, anything it had kept queued would have run.
      await eventually(async () => expect(await client.set('probe', '1')).toBe('OK'), 15_000);
      expect(await client.get('written-after-503')).toBeNull();
    } finally {
      client.disconnect();
      await cluster.stop();
    }
  }, 60_000);
});
