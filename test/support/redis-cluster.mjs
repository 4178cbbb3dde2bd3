// A local Redis Cluster of three masters on loopback ports, made the way an operator would: three
// `redis-server --cluster-enabled yes` processes joined by `redis-cli --cluster create`. Used by `npm run
// test:cluster` (the HTTP end-to-end suites against Redis Cluster). Plain ESM JavaScript, like the global setup.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A free loopback port (0: any), or null when `port` is taken. */
function tryPort(port = 0) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address();
      server.close(() => resolve(bound));
    });
  });
}

async function waitFor(check, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A free loopback port a cluster node can use: its cluster bus port (port + 10000) must be free too, and exist (an
 * ephemeral port above 55535 has none, and its node would exit at start).
 */
export async function clusterNodePort(taken = []) {
  for (;;) {
    const port = await tryPort();
    if (port < 55_000 && !taken.includes(port) && (await tryPort(port + 10_000)) !== null) return port;
  }
}

/** `ports`: the first ports to use (a test that points a client at a port before the cluster exists); rest free. */
export async function startRedisCluster(serverBinary, cliBinary = 'redis-cli', masters = 3, ports = []) {
  const dir = mkdtempSync(join(tmpdir(), 'redis-cluster-'));
  ports = [...ports];
  while (ports.length < masters) ports.push(await clusterNodePort(ports));
  const options = (port) => ({
    port,
    bind: '127.0.0.1',
    'cluster-enabled': 'yes',
    'cluster-config-file': join(dir, `nodes-${port}.conf`),
    'cluster-node-timeout': 5000,
    dir,
    dbfilename: `dump-${port}.rdb`,
    save: '',
    appendonly: 'no',
    daemonize: 'no',
  });
  const processes = ports.map((port) =>
    spawn(
      serverBinary,
      Object.entries(options(port)).flatMap(([name, value]) => [`--${name}`, String(value)]),
      { stdio: 'ignore' },
    ),
  );
  const cli = (port, ...args) => run(cliBinary, ['-p', String(port), ...args]).then(({ stdout }) => stdout);
  const stop = async () => {
    await Promise.all(
      processes.map(
        (child) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', resolve);
            child.kill('SIGTERM');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) await waitFor(async () => (await cli(port, 'PING')).trim() === 'PONG', `redis ${port}`);
    await run(cliBinary, [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const port of ports) {
      await waitFor(
        async () => /cluster_state:ok/.test(await cli(port, 'CLUSTER', 'INFO')),
        `cluster state at ${port}`,
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes: ports.map((port) => `127.0.0.1:${port}`), stop };
}
