// node bench/profile-summary.mjs FILE.cpuprofile [--from µs --to µs] [--requests N] [--top N]
// Sums the self time of a V8 CPU profile by layer (the package or source folder of each frame) and prints a table,
// in µs per request when --requests is given. --from/--to (monotonic µs, as process.hrtime and the profile use)
// keep only the samples of a load window, leaving start-up and seeding out. A native frame (no file: a C++ builtin)
// counts towards its own layer when it is a socket write or JSON, else towards the nearest caller that has a file,
// so a native HMAC under jsonwebtoken is JWT time. bench/profile-hold.mjs calls this after a --cpu-prof run.
import { readFileSync } from 'node:fs';

/** Layer of a frame with a file, from its URL; the order matters (first match wins). */
const LAYERS = [
  [/node_modules\/(jsonwebtoken|jws|jwa)\//, 'JWT verify (jsonwebtoken)'],
  [/dist\/auth\//, 'auth guards and token cache (src/auth)'],
  [
    /node_modules\/(fastify|find-my-way|avvio|light-my-request|@fastify\/[^/]+|fast-json-stringify|ajv[^/]*)\//,
    'Fastify (routing, hooks, reply)',
  ],
  [/node_modules\/@nestjs\/platform-fastify\//, 'Nest Fastify adapter'],
  [
    /node_modules\/(@nestjs\/(core|common)|rxjs|iterare|reflect-metadata|tslib)\//,
    'Nest router, guards, pipes, interceptors',
  ],
  [/node_modules\/(class-validator|class-transformer|validator|libphonenumber-js)\//, 'validation (class-validator)'],
  [/dist\/common\/validation/, 'validation (class-validator)'],
  [/dist\/idempotency\//, 'idempotency hooks'],
  [/node_modules\/prom-client\/|dist\/metrics\//, 'metrics (prom-client, hooks)'],
  [/node_modules\/(pino[^/]*|sonic-boom|thread-stream)\/|dist\/common\/(logger|request-id)/, 'logging and request id'],
  [/node_modules\/@opentelemetry\/|dist\/tracing\//, 'tracing wrappers'],
  [
    /node_modules\/(ioredis|redis-parser|redis-errors|denque|cluster-key-slot|standard-as-callback)\//,
    'ioredis (command encoding, parsing)',
  ],
  [/dist\/redis\//, 'Redis client wrappers (src/redis)'],
  [/dist\/(events|notifications)\//, 'hold service, repository, live events'],
  [/dist\//, 'other service code'],
  [/node_modules\/([^/]+)\//, (m) => `other package: ${m[1]}`],
  [/^node:(net|stream|internal\/(stream|net|streams)|_stream|internal\/stream_base)/, 'Node net and streams (JS side)'],
  [/^node:(_http|http|internal\/http)/, 'Node HTTP server (JS side)'],
  [/^node:/, 'other Node internals'],
];
const SOCKET_WRITES = /^(writev|writeUtf8String|writeLatin1String|writeBuffer|writeAsciiString|writeUcs2String)$/;
const SPECIAL = { '(garbage collector)': 'garbage collection', '(idle)': 'idle', '(program)': 'V8/native (program)' };

export function layerOf(url) {
  for (const [pattern, name] of LAYERS) {
    const m = pattern.exec(url);
    if (m) return typeof name === 'function' ? name(m) : name;
  }
  return 'other';
}

/** Self time in µs per layer, from samples whose time lies in [from, to]. */
export function summarise(profile, from = -Infinity, to = Infinity) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const layerCache = new Map();
  const layerOfNode = (id) => {
    if (layerCache.has(id)) return layerCache.get(id);
    const { functionName, url } = byId.get(id).callFrame;
    let layer;
    if (SPECIAL[functionName]) layer = SPECIAL[functionName];
    else if (SOCKET_WRITES.test(functionName)) layer = 'socket writes (syscalls)';
    else if (!url && /^(stringify|parse)$/.test(functionName)) layer = 'JSON';
    else if (url) layer = layerOf(url);
    else layer = parent.has(id) ? layerOfNode(parent.get(id)) : 'V8/native (program)';
    layerCache.set(id, layer);
    return layer;
  };
  const totals = new Map();
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i];
    const spent = profile.timeDeltas[i + 1] ?? 0;
    if (time < from || time > to) continue;
    const layer = layerOfNode(profile.samples[i]);
    totals.set(layer, (totals.get(layer) ?? 0) + spent);
  }
  return totals;
}

export function printTable(totals, requests) {
  const busy = [...totals].filter(([layer]) => layer !== 'idle');
  const all = busy.reduce((sum, [, us]) => sum + us, 0);
  busy.sort((a, b) => b[1] - a[1]);
  const unit = requests ? 'µs per request' : 'µs';
  console.log(`| layer | ${unit} | share |`);
  console.log('| --- | ---: | ---: |');
  for (const [layer, us] of busy) {
    console.log(`| ${layer} | ${(requests ? us / requests : us).toFixed(1)} | ${((100 * us) / all).toFixed(1)} % |`);
  }
  console.log(`| **total (busy)** | **${(requests ? all / requests : all).toFixed(1)}** | 100 % |`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const option = (name) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : undefined);
  const profile = JSON.parse(readFileSync(argv[0], 'utf8'));
  const totals = summarise(profile, option('--from'), option('--to'));
  printTable(totals, option('--requests'));
}
