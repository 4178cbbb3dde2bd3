// The bench's scenarios. Each names its load twice, once as a wrk script (bench/wrk/<name>.lua with its data) and
// once as autocannon request lists (--generator autocannon), and checks the answers (and Redis) afterwards.
// A variant is what one run is aimed at: { name, side, url, pid } (the service of a side, or the bare baseline).
import { keys } from '../../dist/redis/keys.js';
import { api, createEvent } from './stack.mjs';

const pick = (list) => list[Math.floor(Math.random() * list.length)];
const bearer = (user) => ({ authorization: `Bearer ${user.token}` });
const services = (sides) => sides.map((side) => ({ name: undefined, side, url: side.url, pid: side.service.pid }));

function holdCycle(variant, auth) {
  const { side } = variant;
  const path = (variant.baseline ? '' : '/v1') + `/events/${side.event.id}/seats/`;
  const headers = auth === 'header' ? (user) => ({ 'x-user-id': user.id }) : bearer;
  return {
    script: 'hold.lua',
    data: {
      prefix: variant.baseline ? '' : '/v1',
      event: side.event.id,
      seats: side.event.seats,
      users: side.users,
      auth,
    },
    autocannon: () => ({
      extra: () => ({}),
      requests: [
        {
          kind: 'hold',
          method: 'POST',
          setupRequest: (req, context) => {
            context.user = pick(side.users);
            context.seat = pick(side.event.seats);
            return { ...req, path: `${path}${context.seat}/hold`, headers: headers(context.user) };
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
        },
      ],
    }),
  };
}

/** Expiry times (ms) of the seats Redis holds for the event now. */
async function liveHolds(side) {
  const state = await side.store.hgetall(keys.seatState(side.event.id));
  const now = Date.now();
  return Object.values(state)
    .filter((v) => v.startsWith('H|'))
    .map((v) => Number(v.split('|')[2]))
    .filter((expiry) => expiry > now);
}

const holdStorm = {
  name: 'hold-storm',
  variants: (sides) => [
    { name: 'baseline', baseline: true, side: sides[0], url: sides[0].baselineUrl, pid: sides[0].baseline.pid },
    ...services(sides),
  ],
  before: async (variant) => (variant.baseline ? undefined : { live: await liveHolds(variant.side) }),
  load: (variant) => ({ connections: 100, ...holdCycle(variant, variant.baseline ? 'header' : 'bearer') }),
  // Every hold answered 200 and not released with 204 must be live in Redis, and nothing else. Tolerance: requests
  // cut off in flight, and holds from before the run that lapsed meanwhile.
  check: async (r, variant, state) => {
    if (variant.baseline) return [];
    const live = await liveHolds(variant.side);
    const expected = state.live.length + (r.counts.hold?.[200] ?? 0) - (r.counts.release?.[204] ?? 0);
    const lapsed = state.live.filter((expiry) => expiry <= Date.now()).length;
    const slack = r.unanswered + lapsed;
    return Math.abs(live.length - expected) <= slack
      ? []
      : [`Redis holds ${live.length} seats, answers say ${expected} (±${slack}: cut off or lapsed)`];
  },
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

export const SCENARIOS = [holdStorm, hotspot, seatMap, mixedCrud, concurrentEdit, spike, latencyFloor];
