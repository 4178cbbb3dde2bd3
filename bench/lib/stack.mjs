// One side of a bench run: a private redis-server and the service built in `dir` (this checkout or a worktree of
// another ref), started as in production and seeded through its API.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export const PREFIX = 'bench:';
const SECRET = 'bench-secret-bench-secret-bench-secret-0000';
export const ADMIN = { email: 'admin@bench.local', password: 'bench admin password' };
const harnessDist = new URL('../../dist/', import.meta.url);

export async function api(base, method, path, body, token) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text,
  };
}

async function waitFor(url, child) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not come up`);
}

/** Children started by the bench, stopped in reverse order by stopAll. */
export const started = [];
const dataDirs = [];

export async function stopAll() {
  for (const child of started.splice(0).reverse()) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

function spawnNode(cwd, script, env) {
  const child = spawn(process.execPath, [script], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  started.push(child);
  return child;
}

/**
 * The runtime settings `npm start` gives the service of the checkout in `dir` (package.json "config": the V8 heap
 * flags in NODE_OPTIONS, glibc's malloc settings in GLIBC_TUNABLES), each replaced by the caller's own variable when
 * that is set, as with npm start. A ref from before them has none and runs as it ran in production then.
 */
export function productionRuntimeEnv(dir) {
  const config = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).config ?? {};
  return {
    NODE_OPTIONS: process.env.NODE_OPTIONS ?? config.nodeOptions ?? '',
    GLIBC_TUNABLES: process.env.GLIBC_TUNABLES ?? config.glibcTunables ?? '',
  };
}

/**
 * The service's environment in every bench: production (with the runtime settings `npm start` gives the checkout in
 * `dir`), quiet, the bench's secret and admin, limits out of the way.
 */
export function serviceEnv({ port, redisUrl, workers = 1, dir }) {
  return {
    NODE_ENV: 'production',
    ...productionRuntimeEnv(dir),
    PORT: String(port),
    HOST: '127.0.0.1',
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: PREFIX,
    JWT_SECRET: SECRET,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'warn',
    ACCESS_TOKEN_TTL_SECONDS: '86400',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000', // the bench registers its users from one address
    // The general limit stays on (its cost is part of every request) but high: a few users send thousands of requests.
    RATE_LIMIT_PER_MINUTE: '10000000',
    CLUSTER_WORKERS: String(workers),
  };
}

/** Starts redis-server and the service of `dir`; with `baseline`, also bench/baseline-server.mjs on that Redis. */
export async function startSide({ label, dir, workers, baseline }) {
  const { startEmbeddedRedis, freePort } = await import(new URL('redis/embedded-redis.js', harnessDist));
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-redis-'));
  dataDirs.push(dataDir);
  const redis = await startEmbeddedRedis(dataDir, process.env.REDIS_SERVER_BIN, undefined, false);
  started.push(redis.process);
  const port = await freePort();
  const service = spawnNode(dir, 'dist/main.js', serviceEnv({ port, redisUrl: redis.url, workers, dir }));
  const side = { label, dir, redis, service, url: `http://127.0.0.1:${port}` };
  if (baseline) {
    const basePort = await freePort();
    // The same runtime settings as the service: the ratio between the two then measures code, not heap settings.
    side.baseline = spawnNode(dir, new URL('../baseline-server.mjs', import.meta.url).pathname, {
      ...productionRuntimeEnv(dir),
      PORT: String(basePort),
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: PREFIX,
    });
    side.baselineUrl = `http://127.0.0.1:${basePort}`;
    await waitFor(`${side.baselineUrl}/health`, side.baseline);
  }
  await waitFor(`${side.url}/health/ready`, service);
  side.store = new Redis(redis.url, { keyPrefix: PREFIX });
  return side;
}

/** The admin (bootstrapped by the service), a 1000-seat event and 100 customers. */
export async function seed(side) {
  let admin;
  for (let i = 0; i < 50 && admin?.status !== 200; i++) {
    admin = await api(side.url, 'POST', '/v1/auth/login', ADMIN);
    if (admin.status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (admin.status !== 200) throw new Error(`${side.label}: admin login answered ${admin.status}`);
  side.adminToken = admin.body.accessToken;
  side.event = await createEvent(side, 'Bench', 1000);
  side.users = [];
  for (let batch = 0; batch < 10; batch++) {
    const made = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api(side.url, 'POST', '/v1/auth/register', {
          email: `user${batch * 10 + i}@bench.local`,
          password: 'bench user password',
          name: `User ${batch * 10 + i}`,
        }),
      ),
    );
    side.users.push(...made.map((r) => ({ id: r.body.user.id, token: r.body.accessToken })));
  }
}

/** A new event with its seat ids. */
export async function createEvent(side, name, numberOfSeats) {
  const event = (await api(side.url, 'POST', '/v1/events', { name, numberOfSeats }, side.adminToken)).body;
  const seats = (await api(side.url, 'GET', `/v1/events/${event.id}/seats`)).body.map((s) => s.id);
  return { id: event.id, seats };
}
