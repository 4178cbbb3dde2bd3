// The bench's scenarios. Each names its load twice, once as a wrk script (bench/wrk/<name>.lua with its data) and
// once as autocannon request lists (--generator autocannon), and checks the answers (and Redis) afterwards.
// A variant is what one run is aimed at: { name, side, url, pid } (the service of a side, or the bare baseline).
import { keys } from '../../dist/redis/keys.js';
import { api, createEvent } from './stack.mjs';
import { BEST_AVAILABLE_SCENARIOS } from './best-available-scenarios.mjs';
import { VENUE_SCENARIOS } from './venue-scenarios.mjs';

const pick = (list) => list[Math.floor(Math.random() * list.length)];
const bearer = (user) => ({ authorization: `Bearer ${user.token}` });
const services = (sides) => sides.map((side) => ({ name: undefined, side, url: side.url, pid: side.service.pid }));

function holdCycle(variant, auth) {
  const { side } = variant;
  const path = (variant.baseline ? '' : '/v1') + `/events/${side.event.id}/seats/`;
  const headers = auth === 'header' ? (user) => ({ 'x-user-id': user.id }) : bearer;
  const index = (list) => 1 + Math.floor(Math.random() * list.length);
  return {
    script: 'hold.lua',
    data: {
      prefix: variant.baseline ? '' : '/v1',
      event: side.event.id,
      seats: side.event.seats,
      users: side.users,
      auth,
    },
    // The same tallies per customer and seat as bench/wrk/hold.lua keeps (see there).
    autocannon: () => {
      const extra = {};
      const tally = (pair, what, n = 1) => (extra[pair + what] = (extra[pair + what] ?? 0) + n);
      return {
        extra: () => extra,
        requests: [
          {
            kind: 'hold',
            method: 'POST',
            setupRequest: (req, context) => {
              const s = index(side.event.seats);
              const u = index(side.users);
              context.user = side.users[u - 1];
              context.seat = side.event.seats[s - 1];
              context.pair = `${s}:${u}:`;
              tally(context.pair, 's');
              if (tally(context.pair, 'o') > 1) extra[context.pair + 'x'] = 1;
              return { ...req, path: `${path}${context.seat}/hold`, headers: headers(context.user) };
            },
            onResponse: (status, _, context) => {
              context.held = status === 200;
              context.known = status === 200 || status === 409;
              if (context.held) tally(context.pair, 'h');
            },
          },
          {
            kind: 'release',
            method: 'DELETE',
            setupRequest: (req, context) => ({
              ...req,
              path: `${path}${context.seat}/hold`,
              headers: headers(context.user),
            }),
            onResponse: (status, _, context) => {
              tally(context.pair, 'o', -1);
              const released = status === 204;
              if (released) tally(context.pair, 'r');
              if (!context.known || !(released || status === 404 || status === 409)) tally(context.pair, 'u');
              else if (context.held && !released) tally(context.pair, 'l');
              else if (released && !context.held) tally(context.pair, 'p');
            },
          },
        ],
      };
    },
  };
}

/** The live holds of the event now: seat id -> { user, expiresAt } (states "H|<user>|<expiresAt>|..."), and now. */
async function liveHolds(side) {
  const state = await side.store.hgetall(keys.seatState(side.event.id));
  const now = Date.now();
  const holds = new Map();
  for (const [seat, value] of Object.entries(state)) {
    if (!value.startsWith('H|')) continue;
    const [, user, expiresAt] = value.split('|');
    if (Number(expiresAt) > now) holds.set(seat, { user, expiresAt: Number(expiresAt) });
  }
  return { holds, now };
}

/** hold.lua's tallies of all generator threads: '<seat index>:<user index>' -> { s, o, x, h, r, l, p, u, thread }. */
function pairTallies(extra) {
  const pairs = new Map();
  extra.forEach((thread, i) => {
    for (const [key, n] of Object.entries(thread)) {
      const cut = key.lastIndexOf(':');
      const pair = key.slice(0, cut);
      const what = key.slice(cut + 1);
      let t = pairs.get(pair);
      if (!t) pairs.set(pair, (t = { s: 0, o: 0, x: 0, h: 0, r: 0, l: 0, p: 0, u: 0, thread: i }));
      t[what] = what === 'x' ? 1 : t[what] + n;
      if (t.thread !== i) t.x = 1; // flows of the pair in two threads: whether they overlapped is not known
    }
  });
  return pairs;
}

/**
 * hold-storm's check, per customer and seat (a pair), so it is exact for a correct service whatever the interleaving.
 * Only the customer's own release ends their hold during a run (holds last HOLD_SECONDS, 60, runs a few seconds), so:
 * - a flow whose hold answered 200 releases with 204 and one whose hold did not (409) does not, unless another flow
 *   of the pair overlapped it (the second hold renews, one of the two releases answers 404) or the pair's first flow
 *   met a hold from before the run (its hold may answer 409 at a limit and its release 204);
 * - with overlaps: some release answers 204 if some hold answered 200, and no more 204s than holds (+ one from before);
 * - every flow ends with its release, so a pair whose flows all finished holds nothing in Redis afterwards; a seat held
 *   by a pair no flow touched is one held before the run, until it lapses.
 * Pairs with a flow still open at the end (cut off) or an answer that leaves the effect unknown (5xx) are not judged.
 * A double sale (two customers granted one seat: one of them releases with 404 or Redis holds an unexplained seat) and
 * a lost hold (granted, not stored: its release answers 404) both fail it.
 */
function checkHoldStorm(side, extra, before, after) {
  const pairs = pairTallies(extra);
  const index = (list) => new Map(list.map((v, i) => [v, i + 1]));
  const seatIndex = index(side.event.seats);
  const userIndex = index(side.users.map((u) => u.id));
  const pairOf = (seat, hold) => `${seatIndex.get(seat)}:${userIndex.get(hold.user)}`;
  const heldBefore = new Set([...before.holds].map(([seat, hold]) => pairOf(seat, hold)));
  const problems = {};
  const note = (what, pair) => (problems[what] ??= []).push(pair);
  for (const [pair, t] of pairs) {
    if (t.u > 0 || (t.x && t.o > 0)) continue;
    const earlier = heldBefore.has(pair) ? 1 : 0;
    if (!t.x) {
      if (t.l > 0) note('granted a hold (200) whose release then answered 404 (lost or taken)', pair);
      if (t.p > earlier) note('released (204) a seat whose hold had not answered 200', pair);
    } else {
      if (t.o === 0 && t.h > 0 && t.r === 0) note('held (200) by overlapping flows, never released (204)', pair);
      if (t.r > t.h + earlier) note('more releases (204) than holds (200) in overlapping flows', pair);
    }
  }
  for (const [seat, hold] of after.holds) {
    const pair = pairOf(seat, hold);
    const t = pairs.get(pair);
    if (t ? t.o === 0 && t.u === 0 : !heldBefore.has(pair))
      note(
        t ? 'held in Redis after every flow of the pair ended with its release' : 'held in Redis, never granted',
        pair,
      );
  }
  for (const [seat, hold] of before.holds) {
    const pair = pairOf(seat, hold);
    if (hold.expiresAt > after.now && !pairs.has(pair) && after.holds.get(seat)?.user !== hold.user)
      note('held before the run, untouched and not lapsed, gone from Redis', pair);
  }
  return Object.entries(problems).map(
    ([what, list]) => `${list.length} customer+seat pair(s) ${what} (e.g. seat:user ${list[0]})`,
  );
}

const holdStorm = {
  name: 'hold-storm',
  variants: (sides) => [
    { name: 'baseline', baseline: true, side: sides[0], url: sides[0].baselineUrl, pid: sides[0].baseline.pid },
    ...services(sides),
  ],
  before: async (variant) => (variant.baseline ? undefined : await liveHolds(variant.side)),
  load: (variant) => ({ connections: 100, ...holdCycle(variant, variant.baseline ? 'header' : 'bearer') }),
  // The answers and Redis agree per customer and seat (checkHoldStorm); the baseline is not checked.
  check: async (r, variant, before) =>
    variant.baseline ? [] : checkHoldStorm(variant.side, r.extra, before, await liveHolds(variant.side)),
};

const hotspot = {
  name: 'hotspot',
  variants: services,
  // A new event each run: a hold outlives one run (HOLD_SECONDS 60) but not all of them.
  before: async (variant) => ({ event: await createEvent(variant.side, 'Hot', 10) }),
  load: (variant, { event }) => {
    const seats = event.seats.slice(0, 3);
    return {
      connections: 100,
      script: 'hotspot.lua',
      data: { event: event.id, seats, users: variant.side.users },
      autocannon: () => {
        const won = {};
        return {
          extra: () => won,
          requests: [
            {
              kind: 'hold',
              method: 'POST',
              setupRequest: (req, context) => {
                context.user = pick(variant.side.users);
                context.seat = pick(seats);
                const path = `/v1/events/${event.id}/seats/${context.seat}/hold`;
                return { ...req, path, headers: bearer(context.user) };
              },
              onResponse: (status, _, context) => {
                if (status === 200) won[`${context.seat}|${context.user.id}`] = 1;
              },
            },
          ],
        };
      },
    };
  },
  // Within the hold time only one user may ever get a 200 per seat.
  check: (r) => {
    const winners = {};
    for (const thread of r.extra)
      for (const key of Object.keys(thread)) {
        const [seat, user] = key.split('|');
        (winners[seat] ??= new Set()).add(user);
      }
    return Object.entries(winners)
      .filter(([, who]) => who.size > 1)
      .map(([seat, who]) => `seat ${seat} was held by ${who.size} users`);
  },
};

const seatMap = {
  name: 'seat-map',
  // 'seat-map floor': the same bytes from a prebuilt Buffer behind the bare Fastify route (bench/baseline-server.mjs).
  variants: (sides) => [
    { name: 'seat-map floor', baseline: true, side: sides[0], url: sides[0].baselineUrl, pid: sides[0].baseline.pid },
    ...services(sides),
  ],
  load: (variant) => {
    const path = `${variant.baseline ? '' : '/v1'}/events/${variant.side.event.id}/seats`;
    return {
      connections: 50,
      script: 'seat-map.lua',
      data: { path },
      autocannon: () => ({ extra: () => ({}), requests: [{ kind: 'map', method: 'GET', path }] }),
    };
  },
};

const SUCCESS = { create: 201, read: 200, list: 200, edit: 200, delete: 204, hold: 200, release: 204, map: 200 };
const onlySuccess = (r) =>
  Object.entries(r.counts)
    .filter(([kind, byStatus]) => Object.keys(byStatus).some((s) => Number(s) !== SUCCESS[kind]))
    .map(([kind, byStatus]) => `${kind} answered ${JSON.stringify(byStatus)}`);

function bookingBody(title) {
  const start = Date.now() + 86_400_000 + Math.floor(Math.random() * 1e9);
  return JSON.stringify({
    type: 'show',
    title,
    startTime: new Date(start).toISOString(),
    endTime: new Date(start + 7_200_000).toISOString(),
  });
}

const mixedCrud = {
  name: 'mixed-crud',
  variants: services,
  load: (variant) => {
    const { users } = variant.side;
    return {
      connections: 100,
      script: 'mixed-crud.lua',
      data: { users },
      autocannon: () => ({
        extra: () => ({}),
        requests: [
          {
            kind: 'create',
            method: 'POST',
            setupRequest: (req, context) => {
              context.user = pick(users);
              const headers = { ...bearer(context.user), 'content-type': 'application/json' };
              return { ...req, path: '/v1/bookings', headers, body: bookingBody(`Show ${Math.random()}`) };
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
                const ifMatch = { 'if-match': `"${context.booking.version}"` };
                const body = JSON.stringify({ notes: 'edited' });
                return { ...req, method: 'PATCH', path, headers: { ...headers, ...ifMatch }, body };
              }
              return { ...req, method: kind === 'delete' ? 'DELETE' : 'GET', path, headers, body: undefined };
            },
          })),
        ],
      }),
    };
  },
  // Every step answers its success status (201, 200, 200, 200, 204).
  check: onlySuccess,
};

const concurrentEdit = {
  name: 'concurrent-edit',
  variants: services,
  before: async (variant) => {
    const owner = variant.side.users[0];
    const start = Date.now() + 30 * 86_400_000;
    const body = {
      type: 'other',
      title: 'Contended',
      startTime: new Date(start).toISOString(),
      endTime: new Date(start + 3_600_000).toISOString(),
    };
    return { owner, target: (await api(variant.side.url, 'POST', '/v1/bookings', body, owner.token)).body };
  },
  load: (variant, { owner, target }) => ({
    connections: 100,
    script: 'concurrent-edit.lua',
    data: { booking: target.id, owner },
    autocannon: () => {
      const wins = {};
      let n = 0;
      return {
        extra: () => wins,
        requests: [
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
              const headers = {
                ...bearer(owner),
                'content-type': 'application/json',
                'if-match': context.etag ?? '"0"',
              };
              const body = JSON.stringify({ title: context.title });
              return { ...req, method: 'PATCH', path: `/v1/bookings/${target.id}`, headers, body };
            },
            onResponse: (status, body) => {
              if (status === 200) {
                const b = JSON.parse(body);
                wins[++n] = `${b.version}|${b.title}`;
              }
            },
          },
        ],
      };
    },
  }),
  // Only 200 or 412; no two 200s from one version; the stored booking is the last successful edit.
  check: async (r, variant, { owner, target }) => {
    const out = [];
    if (!Object.keys(r.counts.edit ?? {}).every((s) => s === '200' || s === '412'))
      out.push(`edits answered ${JSON.stringify(r.counts.edit)}`);
    const wins = r.extra.flatMap((thread) =>
      Object.values(thread).map((v) => {
        const bar = v.indexOf('|');
        return { version: Number(v.slice(0, bar)), title: v.slice(bar + 1) };
      }),
    );
    const versions = wins.map((w) => w.version);
    if (new Set(versions).size !== versions.length) out.push('two edits succeeded from one version');
    const final = (await api(variant.side.url, 'GET', `/v1/bookings/${target.id}`, undefined, owner.token)).body;
    const last = wins.sort((a, b) => b.version - a.version)[0];
    const slack = r.unanswered;
    if (final.version - 1 - wins.length > slack)
      out.push(`final version ${final.version}, ${wins.length} successful edits seen`);
    if (slack === 0 && final.title !== last?.title) out.push('the stored booking is not the last successful update');
    return out;
  },
};

// spike: 10 -> 500 -> 10 connections on the hold cycle; the service keeps answering. Latency is the 500 phase's.
const spike = {
  name: 'spike (500 conn)',
  variants: services,
  load: (variant, _, duration) => ({
    phases: [10, 500, 10].map((connections) => ({ connections, duration: Math.max(2, duration / 2) })),
    ...holdCycle(variant, 'bearer'),
  }),
};

// latency-floor: one connection, one request after another, on a new event each run (so every hold is granted: the
// flow cut off at the end of a run may leave one seat held).
const latencyFloor = {
  name: 'latency-floor',
  variants: services,
  serverTimes: true,
  before: async (variant) => ({ event: await createEvent(variant.side, 'Floor', 1000) }),
  load: (variant, { event }) => {
    const { users } = variant.side;
    const hold = (kind, method) => ({
      kind,
      method,
      setupRequest: (req, context) => {
        const path = `/v1/events/${event.id}/seats/${context.seat}/hold`;
        return { ...req, path, headers: bearer(context.user) };
      },
    });
    return {
      connections: 1,
      script: 'latency-floor.lua',
      data: { event: event.id, seats: event.seats, users },
      autocannon: () => ({
        extra: () => ({}),
        requests: [
          {
            kind: 'create',
            method: 'POST',
            setupRequest: (req, context) => {
              context.user = pick(users);
              context.seat = pick(event.seats);
              const headers = { ...bearer(context.user), 'content-type': 'application/json' };
              return { ...req, path: '/v1/bookings', headers, body: bookingBody(`Floor ${Math.random()}`) };
            },
          },
          hold('hold', 'POST'),
          hold('release', 'DELETE'),
          { kind: 'map', method: 'GET', path: `/v1/events/${event.id}/seats`, body: undefined, headers: {} },
        ],
      }),
    };
  },
  check: onlySuccess,
};

export const SCENARIOS = [
  holdStorm,
  hotspot,
  seatMap,
  mixedCrud,
  concurrentEdit,
  spike,
  latencyFloor,
  ...VENUE_SCENARIOS,
  ...BEST_AVAILABLE_SCENARIOS,
];
