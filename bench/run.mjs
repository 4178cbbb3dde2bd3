// npm run bench [-- --smoke] [-- --runs N] [-- --no-build] [-- --workers N]
// Builds and starts the service as in production on a private redis-server, seeds it, runs each load scenario for a
// fixed time against 127.0.0.1 (the bare Fastify baseline interleaved with the service), checks correctness from
// Redis and the API after each, prints one table, writes bench/results/<time>.json, and stops all it started.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';

const argv = process.argv.slice(2);
const SMOKE = argv.includes('--smoke');
const RUNS = Number(argv[argv.indexOf('--runs') + 1]) || (SMOKE ? 1 : 3);
const DURATION = SMOKE ? 2 : 8;
// --workers N: the service runs as N copies behind one port (CLUSTER_WORKERS), to measure Node's cluster mode.
const WORKERS = argv.includes('--workers') ? argv[argv.indexOf('--workers') + 1] : '1';
const PREFIX = 'bench:';
const SECRET = 'bench-secret-bench-secret-bench-secret-0000';
const ADMIN = { email: 'admin@bench.local', password: 'bench admin password' };
const root = new URL('..', import.meta.url).pathname;
const node = process.execPath;

if (!argv.includes('--no-build')) {
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(1);
}
const { startEmbeddedRedis, freePort } = await import(new URL('../dist/redis/embedded-redis.js', import.meta.url));
const { keys } = await import(new URL('../dist/redis/keys.js', import.meta.url));

const started = [];
const dataDir = mkdtempSync(join(tmpdir(), 'bench-redis-'));
async function stopAll() {
  for (const child of started.reverse()) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
}
process.on('SIGINT', () => stopAll().then(() => process.exit(130)));

function spawnNode(script, env) {
  const child = spawn(node, [script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  started.push(child);
  return child;
}

async function waitFor(url) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not come up`);
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

async function api(base, method, path, body, token) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const failures = [];
const check = (scenario, ok, message) => {
  if (!ok) failures.push(`${scenario}: ${message}`);
};

try {
  const redis = await startEmbeddedRedis(dataDir, process.env.REDIS_SERVER_BIN, undefined, false);
  started.push(redis.process);
  const [servicePort, baselinePort] = [await freePort(), await freePort()];
  const service = spawnNode('dist/main.js', {
    NODE_ENV: 'production',
    PORT: String(servicePort),
    HOST: '127.0.0.1',
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: PREFIX,
    JWT_SECRET: SECRET,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'warn',
    ACCESS_TOKEN_TTL_SECONDS: '86400',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000', // the bench registers its users from one address
    // The general limit stays on (its cost is part of every request) but high: a few users send thousands of requests.
    RATE_LIMIT_PER_MINUTE: '10000000',
    CLUSTER_WORKERS: WORKERS,
  });
  const baseline = spawnNode('bench/baseline-server.mjs', {
    PORT: String(baselinePort),
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: PREFIX,
  });
  const SERVICE = `http://127.0.0.1:${servicePort}`;
  const BASELINE = `http://127.0.0.1:${baselinePort}`;
  await waitFor(`${SERVICE}/health/ready`);
  await waitFor(`${BASELINE}/health`);
  const store = new Redis(redis.url, { keyPrefix: PREFIX });

  // Seed: the admin (bootstrapped by the service), a 1000-seat and a 10-seat event, 100 customers.
  let admin;
  for (let i = 0; i < 50 && admin?.status !== 200; i++) {
    admin = await api(SERVICE, 'POST', '/v1/auth/login', ADMIN);
    if (admin.status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const adminToken = admin.body.accessToken;
  const event = (await api(SERVICE, 'POST', '/v1/events', { name: 'Bench', numberOfSeats: 1000 }, adminToken)).body;
  const hotEvent = (await api(SERVICE, 'POST', '/v1/events', { name: 'Hot', numberOfSeats: 10 }, adminToken)).body;
  const seats = (await api(SERVICE, 'GET', `/v1/events/${event.id}/seats`)).body.map((s) => s.id);
  const hotSeats = (await api(SERVICE, 'GET', `/v1/events/${hotEvent.id}/seats`)).body.slice(0, 3).map((s) => s.id);
  const users = [];
  for (let batch = 0; batch < 10; batch++) {
    const made = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api(SERVICE, 'POST', '/v1/auth/register', {
          email: `user${batch * 10 + i}@bench.local`,
          password: 'bench user password',
          name: `User ${batch * 10 + i}`,
        }),
      ),
    );
    users.push(...made.map((r) => ({ id: r.body.user.id, token: r.body.accessToken })));
  }
  const pick = (list) => list[Math.floor(Math.random() * list.length)];

  /** Runs autocannon and counts every answer by status (per request kind), to check "sent = answered". */
  async function load(options, kinds, pid = service.pid) {
    const counts = {};
    const tally = (kind) => (status) => {
      counts[kind] ??= {};
      counts[kind][status] = (counts[kind][status] ?? 0) + 1;
    };
    const requests = kinds.map(({ kind, onResponse, ...request }) => ({
      ...request,
      onResponse: (status, body, context) => {
        tally(kind)(status);
        onResponse?.(status, body, context);
      },
    }));
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 200);
    const result = await autocannon({ duration: DURATION, connections: 100, ...options, requests });
    clearInterval(sampler);
    const answered = Object.values(counts).reduce(
      (n, byStatus) => n + Object.values(byStatus).reduce((a, b) => a + b, 0),
      0,
    );
    return { result, counts, answered, peakRssMb: Math.round(peak) };
  }

  function holdCycle(base, auth) {
    const path = (base === SERVICE ? '/v1' : '') + `/events/${event.id}/seats/`;
    return [
      {
        kind: 'hold',
        method: 'POST',
        setupRequest: (req, context) => {
          context.user = pick(users);
          context.seat = pick(seats);
          return { ...req, path: `${path}${context.seat}/hold`, headers: auth(context.user) };
        },
      },
      {
        kind: 'release',
        method: 'DELETE',
        setupRequest: (req, context) => ({ ...req, path: `${path}${context.seat}/hold`, headers: auth(context.user) }),
      },
    ];
  }
  const bearer = (user) => ({ authorization: `Bearer ${user.token}` });
  const asHeader = (user) => ({ 'x-user-id': user.id });

  const rows = [];
  const record = (name, run, extra = {}) => {
    const { result, counts, answered, peakRssMb } = run;
    const statuses = {};
    for (const byStatus of Object.values(counts))
      for (const [s, n] of Object.entries(byStatus)) statuses[s] = (statuses[s] ?? 0) + n;
    const fiveXx = Object.entries(statuses)
      .filter(([s]) => s >= 500)
      .reduce((n, [, c]) => n + c, 0);
    check(name, fiveXx === 0, `${fiveXx} responses were 5xx`);
    check(
      name,
      result.errors === 0 && result.timeouts === 0,
      `${result.errors} connection errors, ${result.timeouts} timeouts`,
    );
    // A request still in flight when the run stops is cut off by the load generator, not lost by the service.
    const unanswered = result.requests.sent - answered;
    check(name, unanswered <= result.connections, `${unanswered} requests sent but never answered`);
    const row = {
      scenario: name,
      rps: Math.round(result.requests.average),
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
      statuses,
      sent: result.requests.sent,
      answered,
      peakRssMb,
      ...extra,
    };
    rows.push(row);
    return row;
  };
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

  // baseline and hold-storm, interleaved, median of RUNS each; RSS after each storm for the leak check.
  const baselineRps = [];
  const stormRps = [];
  const rssAfterStorm = [];
  let stormCheck = { held: 0, expected: 0 };
  for (let run = 1; run <= RUNS; run++) {
    baselineRps.push(
      record(`baseline #${run}`, await load({ url: BASELINE }, holdCycle(BASELINE, asHeader), baseline.pid)).rps,
    );
    const storm = await load({ url: SERVICE }, holdCycle(SERVICE, bearer));
    stormRps.push(record(`hold-storm #${run}`, storm).rps);
    rssAfterStorm.push(rssMb(service.pid));
    // Every hold answered 200 and not released with 204 must be live in Redis, and nothing else.
    const state = await store.hgetall(keys.seatState(event.id));
    const live = Object.values(state).filter((v) => v.startsWith('H|') && Number(v.split('|')[2]) > Date.now()).length;
    const expected = (storm.counts.hold?.[200] ?? 0) - (storm.counts.release?.[204] ?? 0) + stormCheck.held;
    const slack = storm.result.requests.sent - storm.answered;
    check(
      'hold-storm',
      Math.abs(live - expected) <= slack,
      `Redis holds ${live} seats, answers say ${expected} (±${slack} cut off)`,
    );
    stormCheck = { held: live, expected };
  }
  // The first run warms the JIT and grows the heap to its working size: growth is measured from the second run on.
  if (rssAfterStorm.length >= 3) {
    const growth = Math.round(rssAfterStorm.at(-1) - rssAfterStorm[1]);
    check('hold-storm', growth < 64, `RSS grew ${growth} MB from run 2 to run ${rssAfterStorm.length}`);
  }

  // hotspot: everyone wants the same three seats; within the hold time only one user may ever get a 200 per seat.
  const winners = new Map(hotSeats.map((s) => [s, new Set()]));
  record(
    'hotspot',
    await load({ url: SERVICE }, [
      {
        kind: 'hold',
        method: 'POST',
        setupRequest: (req, context) => {
          context.user = pick(users);
          context.seat = pick(hotSeats);
          return {
            ...req,
            path: `/v1/events/${hotEvent.id}/seats/${context.seat}/hold`,
            headers: bearer(context.user),
          };
        },
        onResponse: (status, _, context) => status === 200 && winners.get(context.seat).add(context.user.id),
      },
    ]),
  );
  for (const [seat, who] of winners) check('hotspot', who.size <= 1, `seat ${seat} was held by ${who.size} users`);

  record(
    'seat-map',
    await load({ url: SERVICE, connections: 50 }, [
      { kind: 'map', method: 'GET', path: `/v1/events/${event.id}/seats` },
    ]),
  );

  // mixed-crud: create, read, list, edit with If-Match, delete; each connection its own user.
  const crud = [
    {
      kind: 'create',
      method: 'POST',
      setupRequest: (req, context) => {
        context.user = pick(users);
        const start = Date.now() + 86_400_000 + Math.floor(Math.random() * 1e9);
        const body = {
          type: 'show',
          title: `Show ${Math.random()}`,
          startTime: new Date(start).toISOString(),
          endTime: new Date(start + 7_200_000).toISOString(),
        };
        return {
          ...req,
          path: '/v1/bookings',
          headers: { ...bearer(context.user), 'content-type': 'application/json' },
          body: JSON.stringify(body),
        };
      },
      onResponse: (status, body, context) => {
        if (status === 201) context.booking = JSON.parse(body);
      },
    },
    ...['read', 'list', 'edit', 'delete'].map((kind) => ({
      kind,
      setupRequest: (req, context) => {
        if (!context.booking) return false;
        const path = kind === 'list' ? '/v1/bookings?limit=20' : `/v1/bookings/${context.booking.id}`;
        const headers = { ...bearer(context.user), 'content-type': 'application/json' };
        if (kind === 'edit') {
          return {
            ...req,
            method: 'PATCH',
            path,
            headers: { ...headers, 'if-match': `"${context.booking.version}"` },
            body: JSON.stringify({ notes: 'edited' }),
          };
        }
        return { ...req, method: kind === 'delete' ? 'DELETE' : 'GET', path, headers, body: undefined };
      },
    })),
  ];
  const mixed = await load({ url: SERVICE }, crud);
  record('mixed-crud', mixed);
  for (const [kind, ok] of [
    ['create', 201],
    ['read', 200],
    ['list', 200],
    ['edit', 200],
    ['delete', 204],
  ]) {
    const byStatus = mixed.counts[kind] ?? {};
    const bad = Object.entries(byStatus).filter(([s]) => Number(s) !== ok);
    check('mixed-crud', bad.length === 0, `${kind} answered ${JSON.stringify(byStatus)}`);
  }

  // concurrent-edit: everyone reads the one booking and PATCHes it with the ETag they read.
  const owner = users[0];
  const start = Date.now() + 30 * 86_400_000;
  const target = (
    await api(
      SERVICE,
      'POST',
      '/v1/bookings',
      {
        type: 'other',
        title: 'Contended',
        startTime: new Date(start).toISOString(),
        endTime: new Date(start + 3_600_000).toISOString(),
      },
      owner.token,
    )
  ).body;
  const wins = [];
  const edit = await load({ url: SERVICE }, [
    {
      kind: 'read',
      method: 'GET',
      path: `/v1/bookings/${target.id}`,
      headers: bearer(owner),
      onResponse: (status, _, context, headers) => (context.etag = headers?.etag),
    },
    {
      kind: 'edit',
      setupRequest: (req, context) => {
        context.title = `Edit ${Math.random()}`;
        return {
          ...req,
          method: 'PATCH',
          path: `/v1/bookings/${target.id}`,
          headers: { ...bearer(owner), 'content-type': 'application/json', 'if-match': context.etag ?? '"0"' },
          body: JSON.stringify({ title: context.title }),
        };
      },
      onResponse: (status, body) => status === 200 && wins.push(JSON.parse(body)),
    },
  ]);
  record('concurrent-edit', edit);
  const editStatuses = Object.keys(edit.counts.edit ?? {});
  check(
    'concurrent-edit',
    editStatuses.every((s) => s === '200' || s === '412'),
    `edits answered ${JSON.stringify(edit.counts.edit)}`,
  );
  const versions = wins.map((w) => w.version);
  check('concurrent-edit', new Set(versions).size === versions.length, 'two edits succeeded from one version');
  const final = (await api(SERVICE, 'GET', `/v1/bookings/${target.id}`, undefined, owner.token)).body;
  const last = wins.sort((a, b) => b.version - a.version)[0];
  const slack = edit.result.requests.sent - edit.answered;
  check(
    'concurrent-edit',
    final.version - 1 - wins.length <= slack,
    `final version ${final.version}, ${wins.length} successful edits seen`,
  );
  check(
    'concurrent-edit',
    slack > 0 || final.title === last?.title,
    'the stored booking is not the last successful update',
  );

  // spike: 10 -> 500 -> 10 connections on the hold pattern; the service keeps answering.
  const phases = [];
  for (const connections of [10, 500, 10]) {
    phases.push(
      await load({ url: SERVICE, connections, duration: Math.max(2, DURATION / 2) }, holdCycle(SERVICE, bearer)),
    );
  }
  const merged = {
    result: {
      ...phases[1].result,
      // In-flight requests cut off at the end of each phase are not lost answers.
      connections: phases.reduce((n, p) => n + p.result.connections, 0),
      errors: phases.reduce((n, p) => n + p.result.errors, 0),
      timeouts: phases.reduce((n, p) => n + p.result.timeouts, 0),
      requests: { ...phases[1].result.requests, sent: phases.reduce((n, p) => n + p.result.requests.sent, 0) },
    },
    counts: phases.reduce((all, p) => {
      for (const [kind, byStatus] of Object.entries(p.counts))
        for (const [s, n] of Object.entries(byStatus)) {
          all[kind] ??= {};
          all[kind][s] = (all[kind][s] ?? 0) + n;
        }
      return all;
    }, {}),
    answered: phases.reduce((n, p) => n + p.answered, 0),
    peakRssMb: Math.max(...phases.map((p) => p.peakRssMb)),
  };
  record('spike (500 conn)', merged);

  await store.quit();
  const summary = {
    baselineRps: median(baselineRps),
    holdStormRps: median(stormRps),
    ratio: Math.round((median(stormRps) / median(baselineRps)) * 100) / 100,
    seatMapRps: rows.find((r) => r.scenario === 'seat-map').rps,
    holdStormP99: median(rows.filter((r) => r.scenario.startsWith('hold-storm')).map((r) => r.p99)),
  };

  console.log(
    '\n' +
      'scenario'.padEnd(20) +
      'req/s'.padStart(8) +
      'p50'.padStart(7) +
      'p99'.padStart(7) +
      'max'.padStart(7) +
      '  RSS MB  statuses',
  );
  for (const r of rows) {
    console.log(
      r.scenario.padEnd(20) +
        String(r.rps).padStart(8) +
        String(r.p50).padStart(7) +
        String(r.p99).padStart(7) +
        String(r.max).padStart(7) +
        String(r.peakRssMb).padStart(8) +
        '  ' +
        JSON.stringify(r.statuses),
    );
  }
  console.log(
    `\nhold-storm / baseline = ${summary.holdStormRps} / ${summary.baselineRps} = ${summary.ratio} (target >= 0.5, aim 0.8)`,
  );
  console.log(
    `hold-storm p99 = ${summary.holdStormP99} ms (target < 50); seat-map = ${summary.seatMapRps} req/s (target >= 2000)`,
  );
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  const file = join(root, 'bench/results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify({ smoke: SMOKE, runs: RUNS, durationSeconds: DURATION, summary, rows, failures }, null, 2),
  );
  console.log(`results: ${file}`);
} catch (error) {
  failures.push(`harness: ${error.stack ?? error}`);
} finally {
  await stopAll();
}
if (failures.length) {
  console.error(`\n${failures.length} correctness check(s) failed:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log('all correctness checks passed');
