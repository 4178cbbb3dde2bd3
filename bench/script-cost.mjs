// node bench/script-cost.mjs [--seats 1000] [--rounds 3] [--repeat 3] [ROOT...]
// The Redis side of the hold path alone, per build: for each ROOT (a checkout with dist/ built; default this one) a
// private redis-server, one client of this checkout's ioredis and ROOT's own seat scripts and call builders
// (dist/events/seat-script-args.js). --rounds times: hold each of --seats seats once (a single-seat hold, as a
// customer's click), then release each. Printed per script: Redis time per call (INFO commandstats' usec_per_call
// of EVALSHA, reset before each phase; the commands a script runs are part of its time), the round trip seen by the
// client (one call at a time) and the bytes of one command on the wire. When the build has venues (a seat-meta
// hash), the event is seeded as a one-category venue (seat-meta, category, free set), as a created event is.
// Less noisy than bench:hold (one client, no HTTP, one Redis); the ROOTs run in turn --repeat times, best kept.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';

const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
const SEATS = option('--seats', 1000);
const ROUNDS = option('--rounds', 3);
const REPEAT = option('--repeat', 3);
const roots = argv.filter((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--')).map((r) => resolve(r));
if (roots.length === 0) roots.push(new URL('..', import.meta.url).pathname);

const PREFIX = 'bench:';
const EVENT = '7d6f6f4e-2f7a-4c1e-9d55-4a8e0e7b9c11';
const USER = '3b1f2a9c-6c0e-4d1a-8f3e-2a7b5c9d0e12';

/** The size of a command as RESP puts it on the wire (ioredis prefixes the keys; EVALSHA, sha, key count). */
function wireBytes(numberOfKeys, call) {
  const parts = ['EVALSHA', 'x'.repeat(40), String(numberOfKeys), ...call.map(String)];
  parts.forEach((p, i) => i >= 3 && i < 3 + numberOfKeys && (parts[i] = PREFIX + p));
  const head = `*${parts.length}\r\n`.length;
  return parts.reduce((n, p) => n + `$${Buffer.byteLength(p)}\r\n`.length + Buffer.byteLength(p) + 2, head);
}

async function evalshaStats(redis) {
  const line = (await redis.info('commandstats')).split('\r\n').find((l) => l.startsWith('cmdstat_evalsha:'));
  const calls = Number(/calls=(\d+)/.exec(line ?? '')?.[1] ?? 0);
  const usec = Number(/usec=(\d+)/.exec(line ?? '')?.[1] ?? 0);
  return { calls, usec };
}

async function measure(root, port) {
  const server = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  await new Promise((r) => setTimeout(r, 300));
  const redis = new Redis({ port, keyPrefix: PREFIX, lazyConnect: true });
  await redis.connect();
  try {
    const dist = pathToFileURL(`${root}/dist/`);
    const args = await import(new URL('events/seat-script-args.js', dist).href);
    const { keys } = await import(new URL('redis/keys.js', dist).href);
    const seats = Array.from({ length: SEATS }, (_, i) => String(i + 1));
    const venues = typeof keys.seatMeta === 'function';
    if (venues) {
      await redis.hset(keys.eventCategories(EVENT), 'std', JSON.stringify({ name: 'Standard', price: null }));
      await redis.hset(keys.seatMeta(EVENT), Object.fromEntries(seats.map((s, i) => [s, `std|${i}|0.0|${i}|0`])));
      await redis.zadd(keys.freeSeats(EVENT, 'std'), ...seats.flatMap((s, i) => [i, s]));
    }
    const { hold, release, releaseFree } = args.seatScripts;
    const totals = {};
    const phase = async (name, script, build) => {
      await redis.config('RESETSTAT');
      let bytes = 0;
      const started = process.hrtime.bigint();
      for (const seat of seats) {
        const call = build(seat, Date.now());
        bytes = wireBytes(script.numberOfKeys, call);
        const reply = await script.run(redis, call);
        const code = Array.isArray(reply) ? reply[0] : reply;
        if (Number(code) !== 1) throw new Error(`${name} of seat ${seat} answered ${JSON.stringify(reply)}`);
      }
      const wallUs = Number(process.hrtime.bigint() - started) / 1000;
      const { calls, usec } = await evalshaStats(redis);
      const t = (totals[name] ??= { calls: 0, usec: 0, wallUs: 0 });
      Object.assign(t, { calls: t.calls + calls, usec: t.usec + usec, wallUs: t.wallUs + wallUs, bytes });
    };
    let token = 0;
    const holdTerms = (now) => ({
      now,
      offerUntil: now + 600_000,
      expiresAt: now + 600_000,
      maxHolds: 1_000_000,
      maxRenewals: 1_000_000,
      startsAt: null,
      notice: JSON.stringify({ type: 'seat.held', at: new Date(now).toISOString(), eventId: EVENT, seatIds: ['1'] }),
    });
    const releaseNotice = JSON.stringify({ type: 'seat.released', at: new Date().toISOString(), eventId: EVENT });
    const holdPhase = [
      'hold',
      hold,
      (seat, now) => args.holdSeatsArgs('', EVENT, USER, [seat], holdTerms(now), String(++token)),
    ];
    const phases = [
      holdPhase,
      // The service's usual release: since the release when nobody waits, that one; before it, the only one.
      releaseFree
        ? ['release', releaseFree, (seat, now) => args.releaseFreeHoldArgs('', EVENT, USER, seat, now, releaseNotice)]
        : [
            'release',
            release,
            // Builds before venues take `now`, those after the freeing terms.
            (seat, now) => args.releaseHoldArgs('', EVENT, USER, seat, venues ? holdTerms(now) : now, releaseNotice),
          ],
      // The release that frees through the waiting line (what the usual one was before; with someone waiting).
      ...(releaseFree
        ? [
            holdPhase,
            [
              'release (full)',
              release,
              (seat, now) => args.releaseHoldArgs('', EVENT, USER, seat, holdTerms(now), releaseNotice),
            ],
          ]
        : []),
    ];
    // A round holds every seat, then releases every one; the first round warms up (the first call on a connection
    // sends the source) and is not counted.
    for (let round = 0; round <= ROUNDS; round++) {
      if (round === 1) for (const k of Object.keys(totals)) delete totals[k];
      for (const [name, script, build] of phases) await phase(name, script, build);
    }
    return Object.fromEntries(
      Object.entries(totals).map(([name, t]) => [
        name,
        { redisUs: t.usec / t.calls, roundTripUs: t.wallUs / (ROUNDS * SEATS), bytes: t.bytes },
      ]),
    );
  } finally {
    redis.disconnect();
    server.kill();
  }
}

let port = 16400 + Math.floor(Math.random() * 1000);
// The best of --repeat runs per build and script, the builds interleaved: the machine's noise only ever adds time.
const best = new Map();
for (let repeat = 0; repeat < REPEAT; repeat++) {
  for (const root of roots) {
    for (const [script, m] of Object.entries(await measure(root, port++))) {
      const known = best.get(`${root} ${script}`);
      best.set(`${root} ${script}`, {
        root,
        script,
        'Redis µs/call': Math.min(known?.['Redis µs/call'] ?? Infinity, Number(m.redisUs.toFixed(1))),
        'round trip µs': Math.min(known?.['round trip µs'] ?? Infinity, Number(m.roundTripUs.toFixed(1))),
        'bytes/command': m.bytes,
      });
    }
  }
}
console.table([...best.values()]);
