// The load generators. Both answer with one shape:
//   { counts: { kind: { status: n } }, answered, unanswered, errors, timeouts, rps, p50, p99, max (ms),
//     kinds: { kind: { p50, p99 } } (ms, client side), extra: [flat objects, one per generator thread] }
// wrk (default) runs as its own process with a Lua script from bench/wrk/; autocannon runs inside the harness.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const wrkDir = new URL('../wrk/', import.meta.url).pathname;

export function wrkVersion() {
  const probe = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (probe.error) return undefined;
  return /wrk \S+/.exec(probe.stdout + probe.stderr)?.[0] ?? 'wrk';
}

/** A JS value as a Lua literal (the scripts load their data with dofile). */
function lua(value) {
  if (Array.isArray(value)) return `{${value.map(lua).join(',')}}`;
  if (value && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `[${JSON.stringify(k)}]=${lua(v)}`)
      .join(',')}}`;
  if (typeof value === 'string') {
    if (!/^[\x20-\x7e]*$/.test(value)) throw new Error(`not printable ASCII: ${value}`);
    return JSON.stringify(value);
  }
  return String(value);
}

const LOG_STEP = Math.log(1.01);

/** p50 and p99 in ms from the scripts' 1 %-wide log buckets ('kind|bucket' -> n). */
function kindQuantiles(buckets) {
  const byKind = {};
  for (const [key, n] of Object.entries(buckets)) {
    const [kind, b] = key.split('|');
    (byKind[kind] ??= []).push([Number(b), n]);
  }
  const out = {};
  for (const [kind, list] of Object.entries(byKind)) {
    list.sort((x, y) => x[0] - y[0]);
    const total = list.reduce((s, [, n]) => s + n, 0);
    const at = (q) => {
      let seen = 0;
      for (const [b, n] of list) if ((seen += n) >= q * total) return Math.exp((b + 0.5) * LOG_STEP) / 1000;
      return undefined;
    };
    out[kind] = { n: total, p50: at(0.5), p99: at(0.99) };
  }
  return out;
}

function tallyByKind(flat) {
  const counts = {};
  for (const [key, n] of Object.entries(flat)) {
    const [kind, status] = key.split('|');
    (counts[kind] ??= {})[status] = n;
  }
  return counts;
}

const sumCounts = (counts) =>
  Object.values(counts).reduce((n, byStatus) => n + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);

/** Runs wrk with bench/wrk/<script> and the scenario's data; resolves when wrk exits. */
export function runWrk({ url, script, data, connections, duration, dataDir }) {
  const dataFile = join(dataDir, `wrk-data-${process.pid}-${Math.random().toString(36).slice(2)}.lua`);
  writeFileSync(dataFile, `return ${lua(data)}\n`);
  const args = ['-t1', `-c${connections}`, `-d${duration}s`, '--timeout', '10s', '-s', script, url, '--', dataFile];
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { cwd: wrkDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const line = out.split('\n').find((l) => l.startsWith('BENCH_JSON '));
      if (code !== 0 || !line) {
        reject(new Error(`wrk ${args.join(' ')} exited ${code ?? signal}: ${err || out}`));
        return;
      }
      const r = JSON.parse(line.slice('BENCH_JSON '.length));
      const counts = tallyByKind(r.counts);
      const e = r.summary.errors;
      resolve({
        counts,
        answered: sumCounts(counts),
        unanswered: r.unanswered,
        errors: e.connect + e.read + e.write,
        timeouts: e.timeout,
        rps: Math.round(r.summary.requests / (r.summary.durationUs / 1e6)),
        p50: r.latency.p50 / 1000,
        p99: r.latency.p99 / 1000,
        max: r.latency.max / 1000,
        kinds: kindQuantiles(r.latencyBuckets),
        extra: r.extra.map((x) => (Array.isArray(x) ? Object.fromEntries(x.map((v, i) => [i + 1, v])) : x)),
      });
    });
  });
}

/** autocannon in the harness process (the old mode): the same result shape, from autocannon's request lists. */
export async function runAutocannon({ url, requests, extra, connections, duration }) {
  const { default: autocannon } = await import('autocannon');
  const counts = {};
  const samples = {};
  const wrapped = requests.map(({ kind, setupRequest, onResponse, ...request }) => ({
    ...request,
    setupRequest: (req, context) => {
      const next = setupRequest ? setupRequest(req, context) : req;
      context.t0 = performance.now();
      return next;
    },
    onResponse: (status, body, context, headers) => {
      (counts[kind] ??= {})[status] = (counts[kind][status] ?? 0) + 1;
      (samples[kind] ??= []).push(performance.now() - context.t0);
      onResponse?.(status, body, context, headers);
    },
  }));
  const result = await autocannon({ url, connections, duration, requests: wrapped });
  const answered = sumCounts(counts);
  const kinds = {};
  for (const [kind, list] of Object.entries(samples)) {
    list.sort((a, b) => a - b);
    kinds[kind] = { n: list.length, p50: list[Math.floor(list.length / 2)], p99: list[Math.floor(list.length * 0.99)] };
  }
  return {
    counts,
    answered,
    unanswered: result.requests.sent - answered,
    errors: result.errors,
    timeouts: result.timeouts,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    kinds,
    extra: [extra()],
  };
}
