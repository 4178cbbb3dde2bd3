import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join, resolve } from 'node:path';

export class RedisBinaryNotFoundError extends Error {
  constructor() {
    super(
      'redis-server was not found. Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) ' +
        'or set REDIS_URL=redis://host:6379 to use a running Redis.',
    );
  }
}

/** The redis-server binary: REDIS_SERVER_BIN if given, else the first on PATH, else the usual install folders. */
export function findRedisServer(explicit?: string): string | undefined {
  const candidates = explicit
    ? [explicit]
    : [
        ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'redis-server')),
        '/usr/bin/redis-server',
        '/usr/local/bin/redis-server',
        '/opt/homebrew/bin/redis-server',
      ];
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface EmbeddedRedis {
  readonly url: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts a private redis-server for `npm start` without REDIS_URL: loopback only, AOF with fsync on every write
 * (a 2xx is on disk before the client sees it), in a data folder so bookings survive a restart.
 */
export async function startEmbeddedRedis(
  dataDir: string,
  binary = findRedisServer(),
  port?: number,
  /** false: no AOF at all (the benchmark measures the service, not the disk). */
  durable = true,
): Promise<EmbeddedRedis> {
  if (!binary) throw new RedisBinaryNotFoundError();
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  port ??= await freePort();
  const child = spawn(
    binary,
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--dir',
      dir,
      '--appendonly',
      durable ? 'yes' : 'no',
      '--appendfsync',
      'always',
      '--save',
      '',
      '--protected-mode',
      'yes',
      '--daemonize',
      'no',
      '--notify-keyspace-events',
      '',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`redis-server did not start in 10 s:\n${output}`)), 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        ready();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`redis-server exited with code ${code}:\n${output}`));
    });
  });
  child.stdout?.removeAllListeners('data').resume();
  child.stderr?.removeAllListeners('data').resume();
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  // A service that dies without running its shutdown must not leave an orphan Redis behind.
  process.once('exit', () => child.exitCode === null && child.kill('SIGTERM'));
  return { url: `redis://127.0.0.1:${port}`, process: child, stop };
}
