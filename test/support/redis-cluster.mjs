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

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
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

export async function startRedisCluster(serverBinary, cliBinary = 'redis-cli', masters = 3) {
  const dir = mkdtempSync(join(tmpdir(), 'redis-cluster-'));
  // Cluster bus ports are port + 10000: pick ports whose bus port is also below 65536.
  const ports = [];
  while (ports.length < masters) {
    const port = await freePort();
    if (port < 55_000 && !ports.includes(port)) ports.push(port);
  }
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
            if (child.exitCode !== null) return resolve();
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
