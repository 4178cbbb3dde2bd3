// Issue 19's best available under 100 connections, at 1,000 and 20,000 seats: every flow holds the best 2 free seats
// of the whole event (plain, or adjacent in one row) and releases them, so the front rows' centre is contended all
// the time and the freeing path runs as often as the picking. Checked afterwards: no seat was certainly held by two
// flows at once (from the answers' timing), and in Redis every seat of the event is either in its free set or in the
// seat state, never both (the free index is exact).
import { arenaLayout } from './layouts.mjs';
import { api } from './stack.mjs';

const services = (sides) => sides.map((side) => ({ name: undefined, side, url: side.url, pid: side.service.pid }));

/** A 40-row layout of `seats` seats in two categories, created once per side and size (not the status scenarios'). */
async function eventOf(side, seats) {
  side.bestVenues ??= {};
  if (side.bestVenues[seats]) return side.bestVenues[seats];
  const layout = arenaLayout(seats);
  const created = await api(
    side.url,
    'POST',
    '/v1/events',
    { name: `Best ${seats}`, layout, holdSeconds: 3600 },
    side.adminToken,
  );
  if (created.status !== 201) throw new Error(`best-available ${seats}: create answered ${created.status}`);
  // One read first, so the run does not start with every connection loading the 20,000-seat plan at once.
  await api(side.url, 'GET', `/v1/events/${created.body.id}`);
  side.bestVenues[seats] = { id: created.body.id, seats };
  return side.bestVenues[seats];
}

/** Windows [held, releaseSent] of one seat that overlap: the seat was handed to two flows at once. */
function overlaps(extra) {
  const bySeat = new Map();
  for (const thread of extra)
    for (const value of Object.values(thread)) {
      const [seat, from, to] = String(value).split(',');
      if (!bySeat.has(seat)) bySeat.set(seat, []);
      bySeat.get(seat).push([Number(from), Number(to)]);
    }
  const problems = [];
  for (const [seat, windows] of bySeat) {
    windows.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < windows.length; i++)
      if (windows[i][0] < windows[i - 1][1]) problems.push(`seat ${seat} was held by two flows at once`);
  }
  return { problems, seats: bySeat.size };
}

async function check(result, variant, event) {
  const problems = [];
  for (const [kind, byStatus] of Object.entries(result.counts)) {
    const bad = Object.keys(byStatus).filter((s) => !(kind === 'best' ? ['200', '409'] : ['204']).includes(s));
    if (bad.length) problems.push(`${kind} answered ${JSON.stringify(byStatus)}`);
  }
  if (!result.counts.best?.[200]) problems.push('no best-available hold succeeded');
  problems.push(...overlaps(result.extra).problems.slice(0, 5));
  // The free index is exact: every seat is free (in its category's set) or has a state, not both, not neither.
  const store = variant.side.store;
  const tag = `{event:${event.id}}`;
  const [seatIds, states, premium, standard] = await Promise.all([
    store.lrange(`${tag}:seats`, 0, -1),
    store.hkeys(`${tag}:seat-state`),
    store.zrange(`${tag}:free:premium`, 0, -1),
    store.zrange(`${tag}:free:standard`, 0, -1),
  ]);
  const taken = new Set(states);
  const free = new Set([...premium, ...standard]);
  const wrong = seatIds.filter((id) => taken.has(id) === free.has(id));
  if (wrong.length) problems.push(`${wrong.length} seats are both free and taken, or neither (e.g. ${wrong[0]})`);
  if (free.size + taken.size !== event.seats)
    problems.push(`${free.size} free + ${taken.size} taken != ${event.seats}`);
  return problems;
}

function scenario(name, seats, body) {
  return {
    name,
    variants: services,
    before: (variant) => eventOf(variant.side, seats),
    load: (variant, event) => ({
      connections: 100,
      script: 'best-available.lua',
      data: { event: event.id, users: variant.side.users, body: JSON.stringify(body) },
      // autocannon: the hold alone (no timing windows; the Redis check still runs).
      autocannon: () => ({
        extra: () => ({}),
        requests: [
          {
            kind: 'best',
            method: 'POST',
            setupRequest: (req) => ({
              ...req,
              path: `/v1/events/${event.id}/holds`,
              headers: {
                authorization: `Bearer ${variant.side.users[Math.floor(Math.random() * variant.side.users.length)].token}`,
                'content-type': 'application/json',
              },
              body: JSON.stringify(body),
            }),
          },
        ],
      }),
    }),
    check: (result, variant, event) => check(result, variant, event),
  };
}

export const BEST_AVAILABLE_SCENARIOS = [1000, 20_000].flatMap((seats) => {
  const size = seats === 1000 ? '1k' : '20k';
  return [
    scenario(`best-available ${size}`, seats, { quantity: 2 }),
    scenario(`best-available-adjacent ${size}`, seats, { quantity: 2, adjacent: true }),
  ];
});
