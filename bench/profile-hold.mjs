// node bench/profile-hold.mjs [--runs 3] [--duration 8] [--connections 100] [--cpu-prof DIR] [--env K=V]... [ROOT[,K=V...]...]
// The hold path alone, driven by wrk from its own process: each ROOT (a checkout with dist/ already built; default
// this one) is started as in production on a private redis-server, seeded (an admin, 100 customers, a 1000-seat
// event), then wrk holds a random seat as a random customer and releases it again about 100 requests later, for
// --duration seconds. The ROOTs run interleaved (A B A B ...), --runs rounds; the medians of req/s and of the
// service's CPU time per request (utime + stime from /proc/<pid>/stat ÷ requests answered) are printed side by side.
// CPU per request is the figure to compare on a shared machine; req/s moves with whatever else runs.
// --scenario create measures POST /v1/bookings instead (a booking without reminder per request); --scenario seat-map
// GET /v1/events/{id}/seats of the 1000-seat event (use --connections 50, as the bench does) with --held N (0..100,
// default 100) of its seats held by as many customers first.
// A ROOT named nest-floor runs bench/nest-floor-server.mjs (NestJS on Fastify, the service's auth guard, Redis client
// and hold commands, none of its hooks), one named bare bench/baseline-server.mjs (Fastify, the hold and release
// scripts only), both on this checkout's dist/ and seeded through this checkout's service.
// --scenario reserve: each measured request is half of a pair, hold then reserve (POST .../hold, then about 4,000
// requests later POST .../reserve of that seat as that customer), so the CPU per request is the mean of a hold and a
// reserve; the pair cannot be split in wrk without a second connection round trip anyway, and the hold half is what
// --scenario hold measures. Every pair takes a seat never held before (a reserved seat stays reserved): --events N
// (default 200) events of 1000 seats are seeded, and each run (the warm-up too) starts after the last seat the previous
// one used. A reserve follows its hold by 2,000 pairs (at 500 pairs, a hold's answer at the far tail still came after
// its reserve now and then: 409 HOLD_REQUIRED, a bench artefact), so the services run with MAX_HOLDS_PER_USER=1000. Correctness check after all runs: every answer was 200 (hold) or 201
// (reserve; others are printed with their problem code), and the seat maps show as many reserved seats as reserves
// answered 201 (plus at most one answer per connection per run that came after wrk stopped counting): every seat
// reserved once, by its holder (a reserve is sent with the token that held the seat; anyone else would be answered
// 409 HOLD_REQUIRED). Works on ac03e02 too (same routes).
// --strace adds one run per service under `strace -c -f` and prints its syscalls per request.
// --cpu-prof DIR starts each service with `node --cpu-prof` and leaves its .cpuprofile in DIR/<n> when it stops
// (summarise it with bench/profile-summary.mjs). --env K=V is passed to every service (e.g. REDIS_AUTO_PIPELINING=true).
// Builds nothing; stops all it started.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ADMIN, serviceEnv } from './lib/stack.mjs';
import { printTable, summarise } from './profile-summary.mjs';

const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const RUNS = Number(option('--runs', 3));
const DURATION = Number(option('--duration', 8));
const CONNECTIONS = Number(option('--connections', 100));
const PROFILE_DIR = option('--cpu-prof', undefined);
const STRACE = argv.includes('--strace');
const SCENARIO = option('--scenario', 'hold');
const HELD = Number(option('--held', 100));
const EVENTS = Number(option('--events', 200));
const extraEnv = {};
const roots = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--env') {
    const [k, ...v] = argv[++i].split('=');
    extraEnv[k] = v.join('=');
  } else if (argv[i].startsWith('--')) {
    if (argv[i] !== '--strace') i++; // every other option takes a value
  } else {
    // ROOT[,K=V...]: environment for this root only, e.g. `. .,REDIS_AUTO_PIPELINING=true` compares one setting.
    const [dir, ...pairs] = argv[i].split(',');
    // `nest-floor`: bench/nest-floor-server.mjs, `bare`: bench/baseline-server.mjs, both on this checkout's dist/
    // (seeded through this checkout's service).
    const floor = ['nest-floor', 'bare'].includes(dir) ? dir : undefined;
    roots.push({
      floor,
      dir: floor ? new URL('..', import.meta.url).pathname : resolve(dir),
      env: Object.fromEntries(pairs.map((p) => [p.split('=')[0], p.slice(p.indexOf('=') + 1)])),
      label: argv[i],
    });
  }
}
if (roots.length === 0) roots.push({ dir: new URL('..', import.meta.url).pathname, env: {}, label: '.' });

const TICK_US = 1e6 / Number(spawnSync('getconf', ['CLK_TCK']).stdout.toString().trim() || 100);
const work = mkdtempSync(join(tmpdir(), 'profile-hold-'));
const started = [];

async function stopAll() {
  for (const child of started.reverse()) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((done) => child.once('exit', done));
    }
  }
  rmSync(work, { recursive: true, force: true });
}
process.on('SIGINT', () => stopAll().then(() => process.exit(130)));

function cpuTicks(pid) {
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function api(base, method, path, body, token) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function waitFor(url) {
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${url} did not come up`);
}

/** Starts one ROOT's service on its own redis-server and seeds it; returns what the wrk script needs. */
async function startService({ dir: root, env, label, floor }, index) {
  const { startEmbeddedRedis, freePort } = await import(join(root, 'dist/redis/embedded-redis.js'));
  const dataDir = join(work, `redis-${index}`);
  mkdirSync(dataDir);
  const redis = await startEmbeddedRedis(dataDir, process.env.REDIS_SERVER_BIN, undefined, false);
  started.push(redis.process);
  const port = await freePort();
  const flags = [];
  if (PROFILE_DIR) flags.push('--cpu-prof', '--cpu-prof-dir', join(resolve(PROFILE_DIR), String(index)));
  // A floor's profile is the floor's: the service that only seeds it runs unprofiled.
  const service = spawn(process.execPath, [...(floor ? [] : flags), 'dist/main.js'], {
    cwd: root,
    env: {
      ...process.env,
      ...serviceEnv({ port, redisUrl: redis.url, dir: root }),
      // --scenario reserve keeps 2,000 holds waiting for their reserve: past the default 10 per customer and event.
      ...(SCENARIO === 'reserve' && { MAX_HOLDS_PER_USER: '1000' }),
      ...extraEnv,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  started.push(service);
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/health/ready`);
  let admin;
  for (let i = 0; i < 50 && admin?.status !== 200; i++) {
    admin = await api(base, 'POST', '/v1/auth/login', ADMIN);
    if (admin.status !== 200) await new Promise((done) => setTimeout(done, 200));
  }
  const event = (await api(base, 'POST', '/v1/events', { name: 'Bench', numberOfSeats: 1000 }, admin.body.accessToken))
    .body;
  const seats = (await api(base, 'GET', `/v1/events/${event.id}/seats`)).body.map((s) => s.id);
  const tokens = [];
  for (let batch = 0; batch < 10; batch++) {
    const made = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api(base, 'POST', '/v1/auth/register', {
          email: `user${batch * 10 + i}@bench.local`,
          password: 'bench user password',
          name: `User ${batch * 10 + i}`,
        }),
      ),
    );
    // The bare route takes the user's id in x-user-id instead of a token.
    tokens.push(...made.map((r) => (floor === 'bare' ? r.body.user.id : `Bearer ${r.body.accessToken}`)));
  }
  let target = { base, service };
  if (floor) target = await startFloor(floor, root, redis.url, flags);
  const script = join(work, `hold-${index}.lua`);
  if (SCENARIO === 'reserve') {
    const reserve = await reserveSeats(base, admin.body.accessToken, event.id, seats);
    const prepare = (from) => writeFileSync(script, reserveScript(reserve.paths.slice(from), tokens));
    prepare(0);
    return {
      root: label,
      ...target,
      script,
      redisUrl: redis.url,
      reserve: { ...reserve, prepare, used: 0, reserved: 0 },
    };
  }
  const path = `${floor === 'bare' ? '' : '/v1'}/events/${event.id}/seats/`;
  const header = floor === 'bare' ? 'x-user-id' : 'authorization';
  const body =
    SCENARIO === 'create'
      ? createScript(tokens)
      : SCENARIO === 'seat-map'
        ? await seatMapScript(base, event.id, seats, tokens)
        : wrkScript(path, seats, tokens, header);
  writeFileSync(script, body);
  return { root: label, ...target, script, redisUrl: redis.url };
}

/**
 * A floor on the seeded Redis, in place of the service (which stays up, idle): the framework floor
 * (bench/nest-floor-server.mjs) or the bare Fastify route (bench/baseline-server.mjs).
 */
async function startFloor(kind, root, redisUrl, flags) {
  const { freePort } = await import(join(root, 'dist/redis/embedded-redis.js'));
  const port = await freePort();
  const file = kind === 'bare' ? 'baseline-server.mjs' : 'nest-floor-server.mjs';
  const service = spawn(process.execPath, [...flags, new URL(file, import.meta.url).pathname], {
    cwd: root,
    env: { ...process.env, ...serviceEnv({ port, redisUrl }), ...extraEnv, SERVICE_DIST: join(root, 'dist/') },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  started.push(service);
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/health${kind === 'bare' ? '' : '/ready'}`);
  return { base, service };
}

/** --scenario reserve: EVENTS events of 1000 seats (the first is the one seeded above); 'eventId/seats/seatId' each. */
async function reserveSeats(base, adminToken, firstEvent, firstSeats) {
  const events = [{ id: firstEvent, seats: firstSeats }];
  for (let i = 1; i < EVENTS; i++) {
    const event = (await api(base, 'POST', '/v1/events', { name: `Bench ${i}`, numberOfSeats: 1000 }, adminToken)).body;
    events.push({
      id: event.id,
      seats: (await api(base, 'GET', `/v1/events/${event.id}/seats`)).body.map((s) => s.id),
    });
  }
  return { events, paths: events.flatMap((e) => e.seats.map((seat) => `${e.id}/seats/${seat}`)) };
}

/**
 * Odd requests hold the next seat never held before as a random customer, even ones reserve the seat held 2,000 pairs
 * earlier (answered by then at 100 connections, even at the far tail) as the customer who held it. done() reports how many seats
 * were taken, so the next run starts after them.
 */
function reserveScript(paths, tokens) {
  const list = (values) => `{${values.map((v) => `"${v}"`).join(',')}}`;
  return wrkScript('', [], tokens)
    .replace(/local seats = .*\n/, `local seats = ${list(paths)}\nused = 0\n`)
    .replace(
      /function request\(\)[\s\S]*?\nend\n/,
      `local verified = false
function request()
  -- wrk calls request() once to check the request before it connects and sends nothing of it: no side effects then.
  if not verified then
    verified = true
    return wrk.format('POST', '/v1/events/' .. seats[1] .. '/hold', { authorization = tokens[1] })
  end
  n = n + 1
  if n % 2 == 0 and tail - head >= 2000 then
    local p = pending[head]
    pending[head] = nil
    head = head + 1
    return wrk.format('POST', '/v1/events/' .. p[1] .. '/reserve', { authorization = p[2] })
  end
  -- Past the last seat: the same one again, answered 409 and reported (raise --events).
  used = math.min(used + 1, #seats)
  local seat, token = seats[used], tokens[math.random(#tokens)]
  tail = tail + 1
  pending[tail] = { seat, token }
  return wrk.format('POST', '/v1/events/' .. seat .. '/hold', { authorization = token })
end
`,
    )
    .replace(
      /function response\(status\)\n.*\nend\n/,
      `function response(status, headers, body)
  local key = status < 300 and status or status .. ' ' .. (body:match('"code":"([%w_]+)"') or '')
  counts[key] = (counts[key] or 0) + 1
end
`,
    )
    .replace(`'RESULT {"requests":'`, `'RESULT {"used":' .. threads[1]:get('used') .. ',"requests":'`);
}

/**
 * Odd requests hold a random seat as a random customer, even ones release the hold sent about 100 requests earlier
 * (answered by then at 100 connections), so about 100 of the 1000 seats are held at any time.
 */
/** --scenario create: every request creates a booking (no reminder) as a random customer, at a random future time. */
function createScript(tokens) {
  const day = 86_400_000;
  const times = Array.from({ length: 500 }, (_, i) => {
    const start = Date.now() + (1 + i) * day;
    return `{"${new Date(start).toISOString()}","${new Date(start + 3_600_000).toISOString()}"}`;
  });
  // A distinct title per request: the same booking sent twice by one user is answered as a repeat (200), not made.
  return wrkScript('', [], tokens).replace(
    /function request\(\)[\s\S]*?\nend\n/,
    `local times = {${times.join(',')}}
local started = os.time()
function request()
  local token, t = tokens[math.random(#tokens)], times[math.random(#times)]
  n = n + 1
  local body = '{"type":"show","title":"Show ' .. started .. '-' .. n .. '","startTime":"' .. t[1] ..
    '","endTime":"' .. t[2] .. '"}'
  return wrk.format('POST', '/v1/bookings', { authorization = token, ['content-type'] = 'application/json' }, body)
end
`,
  );
}

/** --scenario seat-map: every request reads the seat map; HELD seats are held first (100: as in a hold storm). */
async function seatMapScript(base, eventId, seats, tokens) {
  const held = await Promise.all(
    tokens
      .slice(0, HELD)
      // The tokens are wrk's header values ('Bearer …'); api() adds the scheme itself.
      .map((token, i) =>
        api(base, 'POST', `/v1/events/${eventId}/seats/${seats[i * 10]}/hold`, {}, token.replace(/^Bearer /, '')),
      ),
  );
  if (held.some((r) => r.status !== 200))
    throw new Error(`a hold answered ${held.find((r) => r.status !== 200).status}`);
  return wrkScript('', [], tokens).replace(
    /function request\(\)[\s\S]*?\nend\n/,
    `function request()\n  return wrk.format('GET', '/v1/events/${eventId}/seats')\nend\n`,
  );
}

function wrkScript(path, seats, tokens, header = 'authorization') {
  const list = (values) => `{${values.map((v) => `"${v}"`).join(',')}}`;
  return `
local seats = ${list(seats)}
local tokens = ${list(tokens)}
local pending, head, tail, n = {}, 1, 0, 0
counts = {}
function request()
  n = n + 1
  if n % 2 == 0 and tail - head >= 100 then
    local p = pending[head]
    pending[head] = nil
    head = head + 1
    return wrk.format('DELETE', '${path}' .. p[1] .. '/hold', { ['${header}'] = p[2] })
  end
  local seat, token = seats[math.random(#seats)], tokens[math.random(#tokens)]
  tail = tail + 1
  pending[tail] = { seat, token }
  return wrk.format('POST', '${path}' .. seat .. '/hold', { ['${header}'] = token })
end
function response(status)
  counts[status] = (counts[status] or 0) + 1
end
local threads = {}
function setup(thread) table.insert(threads, thread) end
function done(summary)
  local parts = {}
  for _, t in ipairs(threads) do
    for status, c in pairs(t:get('counts')) do parts[#parts + 1] = '"' .. status .. '":' .. c end
  end
  io.write('RESULT {"requests":' .. summary.requests .. ',"errors":' ..
    (summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout) ..
    ',"statuses":{' .. table.concat(parts, ',') .. '}}\\n')
end
`;
}

/** --scenario reserve: counts the seats a wrk run took and its reserves, and writes the next run's script. */
function accountReserve(target, result) {
  if (!target.reserve) return;
  target.reserve.used += result.used;
  target.reserve.reserved += result.statuses['201'] ?? 0;
  const other = Object.entries(result.statuses).filter(([status]) => !['200', '201'].includes(status));
  if (other.length) target.reserve.failures = [...(target.reserve.failures ?? []), ...other];
  target.reserve.prepare(target.reserve.used);
}

/**
 * --scenario reserve: every answer 200 (hold) or 201 (reserve), and the seat maps show as many reserved seats as
 * reserves answered 201, give or take the answers still in flight when each wrk run stopped.
 */
async function checkReserve(target) {
  let reserved = 0;
  for (const event of target.reserve.events) {
    const map = (await api(target.base, 'GET', `/v1/events/${event.id}/seats?status=all`)).body;
    reserved += (Array.isArray(map) ? map : (map.seats ?? [])).filter((s) => s.status === 'reserved').length;
  }
  const { used, paths, failures } = target.reserve;
  // A run's last answers (at most one per connection) arrive after wrk stopped counting: reserved, but not counted.
  const uncounted = reserved - target.reserve.reserved;
  const ok = uncounted >= 0 && uncounted <= (RUNS + 1) * CONNECTIONS && !failures && used < paths.length;
  console.log(
    `${target.root}: reserve check ${ok ? 'passed' : 'FAILED'}: ${target.reserve.reserved} reserves answered 201, ` +
      `${reserved} seats reserved, ${used} of ${paths.length} seats used` +
      (failures ? `, other answers ${JSON.stringify(failures)}` : ''),
  );
  if (!ok) process.exitCode = 1;
}

function runWrk(target) {
  const before = cpuTicks(target.service.pid);
  const from = Number(process.hrtime.bigint() / 1000n);
  const wrk = spawnSync(
    'wrk',
    ['-t1', `-c${CONNECTIONS}`, `-d${DURATION}s`, '--latency', '-s', target.script, target.base],
    { encoding: 'utf8' },
  );
  const cpuUs = (cpuTicks(target.service.pid) - before) * TICK_US;
  (target.windows ??= []).push([from, Number(process.hrtime.bigint() / 1000n)]);
  const result = JSON.parse(/RESULT (.*)/.exec(wrk.stdout)[1]);
  accountReserve(target, result);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(wrk.stdout);
  const p99ms = p99 ? Number(p99[1]) * { us: 0.001, ms: 1, s: 1000 }[p99[2]] : NaN;
  return {
    reqPerSec: result.requests / DURATION,
    cpuUsPerRequest: cpuUs / result.requests,
    p99ms,
    errors: result.errors,
    statuses: result.statuses,
  };
}

/** Commands the service sent to Redis by name (its own histogram, fed by ioredis; scripts count once). */
async function redisCommandsSent(target) {
  // A fresh connection: wrk's last run can leave the pooled keep-alive one closed under us.
  const text = await (await fetch(`${target.base}/metrics`, { headers: { connection: 'close' } })).text();
  const counts = {};
  for (const [, command, n] of text.matchAll(
    /^booking_redis_command_duration_seconds_count\{[^}]*command="([^"]+)"[^}]*\} (\d+)/gm,
  )) {
    counts[command] = (counts[command] ?? 0) + Number(n);
  }
  return counts;
}

const diffCounts = (before, after) =>
  Object.fromEntries(Object.entries(after).map(([name, n]) => [name, n - (before[name] ?? 0)]));

const perRequest = (counts, requests) =>
  Object.entries(counts)
    .map(([name, n]) => [name, n / requests])
    .filter(([, n]) => n >= 0.01)
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} ${n.toFixed(2)}`)
    .join(', ');

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const targets = [];
const runs = [];
try {
  for (const [i, root] of roots.entries()) targets.push(await startService(root, i));
  runs.push(...targets.map(() => []));
  // A short unmeasured run per service first, so the JIT has compiled the hot path before anything is counted.
  for (const target of targets) {
    const warm = spawnSync('wrk', ['-t1', `-c${CONNECTIONS}`, '-d2s', '-s', target.script, target.base], {
      encoding: 'utf8',
    });
    if (target.reserve) accountReserve(target, JSON.parse(/RESULT (.*)/.exec(warm.stdout)[1]));
    // Redis' own command counts from here on, to report commands per request (round trips: see the docs).
    target.commandsBefore = await redisCommandsSent(target);
  }
  for (let round = 0; round < RUNS; round++) {
    for (const [i, target] of targets.entries()) {
      const run = runWrk(target);
      runs[i].push(run);
      console.log(
        `round ${round + 1} ${target.root}: ${Math.round(run.reqPerSec)} req/s, ${run.cpuUsPerRequest.toFixed(0)} µs CPU/req, ` +
          `p99 ${run.p99ms} ms, errors ${run.errors}, statuses ${JSON.stringify(run.statuses)}`,
      );
    }
  }
  console.log('\n| root | req/s (median) | CPU µs/request (median) | p99 ms (median) | runs req/s | runs µs/req |');
  console.log('| --- | ---: | ---: | ---: | --- | --- |');
  for (const [i, target] of targets.entries()) {
    const r = runs[i];
    console.log(
      `| ${target.root} | ${Math.round(median(r.map((x) => x.reqPerSec)))} | ${median(r.map((x) => x.cpuUsPerRequest)).toFixed(0)} | ` +
        `${median(r.map((x) => x.p99ms))} | ${r.map((x) => Math.round(x.reqPerSec)).join(' / ')} | ` +
        `${r.map((x) => x.cpuUsPerRequest.toFixed(0)).join(' / ')} |`,
    );
  }
  for (const [i, target] of targets.entries()) {
    const requests = runs[i].reduce((n, run) => n + run.reqPerSec * DURATION, 0);
    const sent = diffCounts(target.commandsBefore, await redisCommandsSent(target));
    console.log(`${target.root}: Redis commands sent per request: ${perRequest(sent, requests)}`);
  }
  for (const target of targets) if (target.reserve) await checkReserve(target);
  if (STRACE) {
    // One more run per service with strace counting its syscalls (slower under strace; the counts are what matter).
    for (const target of targets) {
      const strace = spawn('strace', ['-c', '-f', '-p', String(target.service.pid)], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let report = '';
      strace.stderr.on('data', (chunk) => (report += chunk));
      await new Promise((done) => setTimeout(done, 500));
      const run = runWrk(target);
      strace.kill('SIGINT');
      await new Promise((done) => strace.once('exit', done));
      const requests = run.reqPerSec * DURATION;
      const calls = Object.fromEntries(
        [...report.matchAll(/^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)$/gm)].map(([, n, name]) => [
          name,
          Number(n),
        ]),
      );
      console.log(`${target.root}: syscalls per request under strace: ${perRequest(calls, requests)}`);
    }
  }
} finally {
  await stopAll();
}
if (PROFILE_DIR) {
  // Written by each service as it exits; only the samples taken while wrk ran are counted.
  for (const [i, target] of targets.entries()) {
    const dir = join(resolve(PROFILE_DIR), String(i));
    const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const totals = new Map();
    for (const [from, to] of target.windows) {
      for (const [layer, us] of summarise(profile, from, to)) totals.set(layer, (totals.get(layer) ?? 0) + us);
    }
    const requests = runs[i].reduce((n, run) => n + run.reqPerSec * DURATION, 0);
    console.log(`\n${target.root}: self time by layer while wrk ran (${join(dir, file)}), ${requests} requests`);
    printTable(totals, requests);
  }
}
