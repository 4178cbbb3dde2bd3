// npm run bench [-- --smoke] [-- --runs N] [-- --no-build] [-- --workers N] [-- --generator wrk|autocannon]
//               [-- --compare <git-ref>] [-- --only scenario,scenario]
// Builds and starts the service as in production on a private redis-server, seeds it, runs each load scenario for a
// fixed time against 127.0.0.1 with wrk in its own process (or autocannon in this one), interleaving the variants of
// a scenario (the bare baseline and the service; with --compare, this checkout and the ref) over N runs, checks
// correctness from the answers, Redis and the API after each, prints medians with CPU time per request, writes
// bench/results/<time>.json, and stops all it started.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const option = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const SMOKE = argv.includes('--smoke');
const RUNS = Number(option('--runs')) || (SMOKE ? 1 : 3);
const DURATION = SMOKE ? 2 : 8;
const WORKERS = option('--workers') ?? '1'; // the service as N copies behind one port (CLUSTER_WORKERS)
const GENERATOR = option('--generator') ?? 'wrk';
const COMPARE = option('--compare');
const ONLY = option('--only')?.split(',');
const root = new URL('..', import.meta.url).pathname;
/** RSS may not grow by this much between a scenario's second and last run (a leak; see docs/performance.md). */
const RSS_GROWTH_LIMIT_MB = 32;

const run = (cmd, args, cwd) => {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}`);
};
const git = (args, cwd = root) => spawnSync('git', args, { cwd, encoding: 'utf8' }).stdout.trim();

if (!['wrk', 'autocannon'].includes(GENERATOR)) {
  console.error(`--generator must be wrk or autocannon, not ${GENERATOR}`);
  process.exit(2);
}
const { wrkVersion, runWrk, runAutocannon } = await import('./lib/generators.mjs');
const wrk = GENERATOR === 'wrk' ? wrkVersion() : undefined;
if (GENERATOR === 'wrk' && !wrk) {
  console.error(
    'wrk is not installed: the bench drives load with wrk in its own process. Install it (Debian/Ubuntu: ' +
      '`apt-get install wrk`), or run `npm run bench -- --generator autocannon` (in-process, caps the baseline).',
  );
  process.exit(2);
}
if (!argv.includes('--no-build')) run('npm', ['run', 'build'], root);

// --compare: the ref built in a temporary worktree, sharing this checkout's node_modules when the lock file is equal.
let refDir;
function removeWorktree() {
  if (!refDir) return;
  spawnSync('git', ['worktree', 'remove', '--force', refDir], { cwd: root, stdio: 'inherit' });
  rmSync(refDir, { recursive: true, force: true });
  refDir = undefined;
}
if (COMPARE) {
  refDir = mkdtempSync(join(tmpdir(), 'bench-ref-'));
  run('git', ['worktree', 'add', '--detach', refDir, COMPARE], root);
  const lock = (dir) => readFileSync(join(dir, 'package-lock.json'), 'utf8');
  if (lock(refDir) === lock(root) && existsSync(join(root, 'node_modules'))) {
    symlinkSync(join(root, 'node_modules'), join(refDir, 'node_modules'), 'dir');
  } else {
    run('npm', ['ci', '--no-audit', '--no-fund'], refDir);
  }
  run('npm', ['run', 'build'], refDir);
}

const { startSide, seed, stopAll } = await import('./lib/stack.mjs');
const { SCENARIOS } = await import('./lib/scenarios.mjs');
const { cpuSeconds, rssMb } = await import('./lib/proc.mjs');
const { parseDurations, diffDurations, verdict } = await import('./lib/histogram.mjs');

const dataDir = mkdtempSync(join(tmpdir(), 'bench-wrk-'));
const cleanUp = async () => {
  await stopAll();
  removeWorktree();
  rmSync(dataDir, { recursive: true, force: true });
};
process.on('SIGINT', () => cleanUp().then(() => process.exit(130)));

const failures = [];
const rows = [];
const median = (values) => {
  const v = values.filter((x) => x !== undefined && !Number.isNaN(x)).sort((a, b) => a - b);
  return v.length ? v[Math.floor((v.length - 1) / 2)] : undefined;
};
const round = (x, digits = 0) => (x === undefined ? undefined : Math.round(x * 10 ** digits) / 10 ** digits);

async function scrape(side) {
  try {
    const res = await fetch(`${side.url}/metrics`);
    return res.ok ? parseDurations(await res.text()) : undefined;
  } catch {
    return undefined;
  }
}

/** One run of one scenario against one variant: load, CPU and RSS, checks. */
async function runOnce(scenario, variant, runNo) {
  const name = variant.name ?? scenario.name;
  const state = await scenario.before?.(variant);
  const spec = scenario.load(variant, state ?? {}, DURATION);
  const phases = spec.phases ?? [{ connections: spec.connections, duration: DURATION }];
  const serverBefore = scenario.serverTimes ? await scrape(variant.side) : undefined;
  const redisPid = variant.side.redis.process.pid;
  const cpu0 = [cpuSeconds(variant.pid), cpuSeconds(redisPid)];
  let peak = rssMb(variant.pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(variant.pid))), 200);
  const results = [];
  try {
    for (const phase of phases) {
      results.push(
        GENERATOR === 'wrk'
          ? await runWrk({ url: variant.url, script: spec.script, data: spec.data, dataDir, ...phase })
          : await runAutocannon({ url: variant.url, ...spec.autocannon(), ...phase }),
      );
    }
  } finally {
    clearInterval(sampler);
  }
  const cpu1 = [cpuSeconds(variant.pid), cpuSeconds(redisPid)];
  peak = Math.max(peak, rssMb(variant.pid));
  const serverTimes = serverBefore && diffDurations(serverBefore, (await scrape(variant.side)) ?? {});

  const main = results[Math.floor(results.length / 2)]; // the spike's 500-connection phase
  const counts = {};
  for (const r of results)
    for (const [kind, byStatus] of Object.entries(r.counts))
      for (const [s, n] of Object.entries(byStatus)) (counts[kind] ??= {})[s] = (counts[kind][s] ?? 0) + n;
  const sum = (key) => results.reduce((n, r) => n + r[key], 0);
  const merged = {
    ...main,
    counts,
    answered: sum('answered'),
    unanswered: sum('unanswered'),
    errors: sum('errors'),
    timeouts: sum('timeouts'),
    extra: results.flatMap((r) => r.extra),
  };
  const connections = phases.reduce((n, p) => n + p.connections, 0);

  const where = `${name}${variant.side.label ? ` [${variant.side.label}]` : ''} #${runNo}`;
  const fail = (message) => failures.push(`${where}: ${message}`);
  const statuses = {};
  for (const byStatus of Object.values(counts))
    for (const [s, n] of Object.entries(byStatus)) statuses[s] = (statuses[s] ?? 0) + n;
  const fiveXx = Object.entries(statuses).reduce((n, [s, c]) => (Number(s) >= 500 ? n + c : n), 0);
  if (fiveXx) fail(`${fiveXx} responses were 5xx`);
  if (merged.errors || merged.timeouts) fail(`${merged.errors} connection errors, ${merged.timeouts} timeouts`);
  // A request still in flight when the run stops is cut off by the load generator, not lost by the service.
  if (merged.unanswered > connections) fail(`${merged.unanswered} requests sent but never answered`);
  if (counts.unmatched) fail(`${JSON.stringify(counts.unmatched)} answers carried no X-Request-Id of ours`);
  if (merged.answered === 0) fail('no request was answered');
  for (const message of (await scenario.check?.(merged, variant, state)) ?? []) fail(message);

  const row = {
    scenario: name,
    side: variant.side.label,
    run: runNo,
    rps: main.rps,
    p50: round(main.p50, 2),
    p99: round(main.p99, 2),
    max: round(main.max, 1),
    cpuUsPerRequest: round(((cpu1[0] - cpu0[0]) * 1e6) / merged.answered),
    redisCpuUsPerRequest: round(((cpu1[1] - cpu0[1]) * 1e6) / merged.answered),
    peakRssMb: Math.round(peak),
    rssAfterMb: Math.round(rssMb(variant.pid)),
    answered: merged.answered,
    unanswered: merged.unanswered,
    statuses,
    kinds: main.kinds,
    serverTimes,
  };
  rows.push(row);
  process.stdout.write(
    `${where}: ${row.rps} req/s, p99 ${row.p99} ms, ${row.cpuUsPerRequest} µs CPU/req, ${JSON.stringify(statuses)}\n`,
  );
  return row;
}

let sides = [];
const summary = { generator: wrk ?? 'autocannon (in-process)', smoke: SMOKE, runs: RUNS, durationSeconds: DURATION };
try {
  const here = git(['describe', '--always', '--dirty']) || 'this checkout';
  const plan = [{ label: COMPARE ? here : '', dir: root, baseline: true }];
  if (COMPARE) plan.push({ label: COMPARE, dir: refDir });
  for (const side of plan) {
    const s = await startSide({ ...side, workers: WORKERS });
    s.idleRssMb = Math.round(rssMb(s.service.pid));
    sides.push(s);
  }
  if (sides[0].baseline) sides[0].baselineIdleRssMb = Math.round(rssMb(sides[0].baseline.pid));
  for (const s of sides) await seed(s);

  for (const scenario of SCENARIOS) {
    if (ONLY && !ONLY.some((o) => scenario.name.startsWith(o))) continue;
    for (let runNo = 1; runNo <= RUNS; runNo++)
      for (const variant of scenario.variants(sides)) await runOnce(scenario, variant, runNo);
  }
  for (const s of sides) s.restRssMb = Math.round(rssMb(s.service.pid));

  // Growth between repeated runs: each scenario's first run warms the JIT and lets the heap reach its working size,
  // so RSS after its last run is compared with RSS after its second (of the same side and variant).
  for (const s of sides) {
    for (const name of new Set(rows.filter((r) => r.side === s.label).map((r) => r.scenario))) {
      if (name === 'baseline') continue;
      const after = rows.filter((r) => r.scenario === name && r.side === s.label).map((r) => r.rssAfterMb);
      if (after.length >= 3 && after.at(-1) - after[1] >= RSS_GROWTH_LIMIT_MB)
        failures.push(
          `${name} [${s.label}]: RSS grew ${after.at(-1) - after[1]} MB from run 2 to run ${after.length} ` +
            `(${after.join(' → ')} MB; limit ${RSS_GROWTH_LIMIT_MB})`,
        );
    }
  }
  report();
} catch (error) {
  failures.push(`harness: ${error.stack ?? error}`);
} finally {
  for (const s of sides) await s.store?.quit();
  await cleanUp();
}
if (failures.length) {
  console.error(`\n${failures.length} correctness check(s) failed:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log('all correctness checks passed');

function aggregate(scenario, side) {
  const runs = rows.filter((r) => r.scenario === scenario && r.side === side);
  if (!runs.length) return undefined;
  const m = (key) => median(runs.map((r) => r[key]));
  const kinds = {};
  for (const kind of Object.keys(runs[0].kinds ?? {}))
    kinds[kind] = {
      p50: median(runs.map((r) => r.kinds?.[kind]?.p50)),
      p99: median(runs.map((r) => r.kinds?.[kind]?.p99)),
    };
  const server = {};
  for (const route of Object.keys(runs[0].serverTimes ?? {})) {
    const at = (f) => median(runs.map((r) => f(r.serverTimes?.[route])));
    // The median run's quantile, with its bucket bounds (a median of interpolations could fall in no run's bucket).
    const medianOf = (q) => {
      const all = runs.map((r) => r.serverTimes?.[route]?.[q]).filter(Boolean);
      return all.sort((x, y) => x.ms - y.ms)[Math.floor((all.length - 1) / 2)];
    };
    server[route] = {
      count: at((t) => t?.count),
      meanMs: at((t) => t?.meanMs),
      p50: medianOf('p50'),
      p99: medianOf('p99'),
    };
  }
  return {
    runs: runs.map((r) => r.rps),
    rps: m('rps'),
    p50: m('p50'),
    p99: m('p99'),
    max: m('max'),
    cpu: m('cpuUsPerRequest'),
    redisCpu: m('redisCpuUsPerRequest'),
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    kinds,
    server,
  };
}

function report() {
  const names = [...new Set(rows.map((r) => r.scenario))];
  const table = [];
  const print = (cells, widths) =>
    console.log(
      cells
        .map((c, i) => (i === 0 ? String(c ?? '–').padEnd(widths[0]) : String(c ?? '–').padStart(widths[i])))
        .join(' '),
    );
  const ratio = (a, b) => (a && b ? round(a / b, 2) : undefined);
  console.log(`\ngenerator: ${summary.generator}; ${RUNS} run(s) of ${DURATION} s per scenario and variant, medians`);
  if (!COMPARE) {
    const widths = [18, 8, 7, 7, 7, 9, 9, 8];
    console.log('');
    print(['scenario', 'req/s', 'p50', 'p99', 'max', 'µs CPU/r', 'redis µs', 'peak MB'], widths);
    for (const name of names) {
      const a = aggregate(name, '');
      table.push({ scenario: name, ...a });
      print([name, a.rps, a.p50, a.p99, a.max, a.cpu, a.redisCpu, a.peakRssMb], widths);
    }
  } else {
    const [A, B] = sides.map((s) => s.label);
    const widths = [18, 8, 8, 6, 7, 7, 8, 8, 6, 7, 7];
    console.log(`\nA = ${A} (this checkout), B = ${B}; ratios are A ÷ B`);
    print(
      ['scenario', 'A req/s', 'B req/s', 'A÷B', 'A p99', 'B p99', 'A µs/r', 'B µs/r', 'A÷B', 'A MB', 'B MB'],
      widths,
    );
    for (const name of names) {
      const a = aggregate(name, A) ?? {};
      const b = aggregate(name, B) ?? {};
      table.push({ scenario: name, A: a, B: b });
      print(
        [
          name,
          a.rps,
          b.rps,
          ratio(a.rps, b.rps),
          a.p99,
          b.p99,
          a.cpu,
          b.cpu,
          ratio(a.cpu, b.cpu),
          a.peakRssMb,
          b.peakRssMb,
        ],
        widths,
      );
    }
  }
  // The headline ratios, per side: the service's hold cycle against the bare route, in the same run.
  const base = aggregate('baseline', sides[0].label);
  summary.sides = {};
  for (const s of sides) {
    const storm = aggregate('hold-storm', s.label);
    const floor = aggregate('latency-floor', s.label);
    const map = aggregate('seat-map', s.label);
    const mapFloor = aggregate('seat-map floor', sides[0].label);
    const spike = aggregate('spike (500 conn)', s.label);
    const label = s.label || 'service';
    summary.sides[label] = {
      holdStormOverBaseline: ratio(storm?.rps, base?.rps),
      holdCpuOverBaseline: ratio(storm?.cpu, base?.cpu),
      holdStormP99: storm?.p99,
      seatMapRps: map?.rps,
      spikeP99: spike?.p99,
      idleRssMb: s.idleRssMb,
      restRssMb: s.restRssMb,
      peakRssMb: Math.max(
        ...rows
          .filter((r) => r.side === s.label && !['baseline', 'seat-map floor'].includes(r.scenario))
          .map((r) => r.peakRssMb),
      ),
      latencyFloor: floor && { client: floor.kinds, server: floor.server },
    };
    const x = summary.sides[label];
    console.log(`\n${label}:`);
    if (storm && base)
      console.log(
        `  hold-storm ÷ baseline = ${storm.rps} / ${base.rps} = ${x.holdStormOverBaseline} req/s (target ≥ 0.6, aim 0.8); ` +
          `CPU per request ${storm.cpu} µs vs ${base.cpu} µs (baseline)`,
      );
    // Only the scenarios that ran (--only may leave some out).
    const targets = [
      storm && `hold-storm p99 = ${storm.p99} ms (target < 30)`,
      map &&
        `seat-map = ${map.rps} req/s (target ≥ 5000; the bare route sending the same bytes: ` +
          `${mapFloor?.rps} req/s at ${mapFloor?.cpu} µs CPU/request, the service ${map.cpu} µs)`,
      spike && `spike p99 = ${spike.p99} ms (target < 150)`,
    ].filter(Boolean);
    if (targets.length > 0) console.log(`  ${targets.join('; ')}`);
    console.log(
      `  RSS: ${x.idleRssMb} MB idle after start, ${x.peakRssMb} MB peak, ${x.restRssMb} MB at rest after the runs (targets < 120 / < 250)`,
    );
    if (floor) {
      console.log(
        '  latency floor (1 connection), ms: client p50 / p99 (wrk); server p50 / p99 from ' +
          'booking_http_request_duration_seconds, interpolated inside their bucket [bounds], server mean exact',
      );
      const route = {
        create: 'POST /v1/bookings',
        hold: 'POST /v1/events/:eventId/seats/:seatId/hold',
        release: 'DELETE /v1/events/:eventId/seats/:seatId/hold',
        map: 'GET /v1/events/:eventId/seats',
      };
      const quantile = (q) => (q ? `${round(q.ms, 3)} [${q.bucket}]` : '–');
      for (const kind of ['create', 'hold', 'release', 'map']) {
        const c = floor.kinds[kind];
        const sv = floor.server[route[kind]];
        console.log(
          `    ${kind.padEnd(8)} client ${round(c?.p50, 2)} / ${round(c?.p99, 2)}` +
            (sv ? `   server ${quantile(sv.p50)} / ${quantile(sv.p99)}, mean ${round(sv.meanMs, 3)}` : '   server –'),
        );
      }
      x.latencyFloorTargets = [
        ['booking create', 'create', 1],
        ['hold', 'hold', 0.5],
      ].map(([name, kind, ms]) => {
        const p50 = floor.server[route[kind]]?.p50;
        return `${name} p50 ${p50 ? round(p50.ms, 3) : '–'} ms (target < ${ms}): ${verdict(p50, ms)}`;
      });
      console.log(`  latency floor, server time: ${x.latencyFloorTargets.join('; ')}`);
    }
  }
  if (sides[0].baseline && base)
    console.log(`\nbaseline RSS idle ${sides[0].baselineIdleRssMb} MB, peak ${base.peakRssMb} MB`);
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  const file = join(root, 'bench/results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ ...summary, compare: COMPARE, table, rows, failures }, null, 2));
  console.log(`results: ${file}`);
}
