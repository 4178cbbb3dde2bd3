// Issue 19's reads of a venue: GET /layout (200, and 304 with If-None-Match) and GET /seat-status at 1,000 and 20,000
// seats. Each event is a layout of 40 rows (1,000 seats: 25 each; 20,000: 500 each) in two categories, with a few
// seats held and reserved so that the status is not all `a`; and GET /seat-status of 20,000 seats half reserved and
// sold out (every seat reserved), where the stored states are 10,000 and 20,000 values. Checked afterwards: every
// answer had the expected status, and the chart and the status agree with GET /seats?status=all and with the
// layout's ETag.
import { arenaLayout } from './layouts.mjs';
import { api } from './stack.mjs';

const services = (sides) => sides.map((side) => ({ name: undefined, side, url: side.url, pid: side.service.pid }));

/** Reserves seats ids[from..to) through the API, 10 per hold and reservation, one user per lane, 10 lanes at once. */
async function reserveAll(side, id, ids) {
  const lanes = side.users.slice(0, 10);
  const batches = Array.from({ length: Math.ceil(ids.length / 10) }, (_, i) => ids.slice(10 * i, 10 * i + 10));
  await Promise.all(
    lanes.map(async (user, lane) => {
      for (let b = lane; b < batches.length; b += lanes.length) {
        const held = await api(side.url, 'POST', `/v1/events/${id}/holds`, { seatIds: batches[b] }, user.token);
        const done = await api(side.url, 'POST', `/v1/events/${id}/reservations`, { seatIds: batches[b] }, user.token);
        if (held.status !== 200 || done.status !== 201) throw new Error(`seeding: ${held.status}, ${done.status}`);
      }
    }),
  );
}

/**
 * A 40-row layout of `seats` seats, created once per side, size and share: share 0 has a hold, a reservation and
 * another user's hold seeded; otherwise the first `share` of the seats in layout order are reserved.
 */
async function venueOf(side, seats, share = 0) {
  side.venues ??= {};
  const name = `${seats}:${share}`;
  if (side.venues[name]) return side.venues[name];
  const layout = arenaLayout(seats, 'standard');
  const created = await api(
    side.url,
    'POST',
    '/v1/events',
    { name: `Venue ${seats}`, layout, holdSeconds: 3600 },
    side.adminToken,
  );
  if (created.status !== 201) throw new Error(`venue ${seats}: create answered ${created.status}`);
  const id = created.body.id;
  const chart = await api(side.url, 'GET', `/v1/events/${id}/layout`);
  const ids = chart.body.sections.flatMap((s) => s.rows.flatMap((r) => r.seats.map((x) => x.id)));
  if (share > 0) {
    await reserveAll(side, id, ids.slice(0, seats * share));
    side.venues[name] = { id, seats, share, etag: chart.headers.get('etag') };
    return side.venues[name];
  }
  // A few holds and one reservation, by several users, spread over the chart.
  const [a, b] = side.users;
  const token = (u) => u.token;
  await api(side.url, 'POST', `/v1/events/${id}/holds`, { seatIds: [ids[0], ids[seats / 2]] }, token(a));
  await api(side.url, 'POST', `/v1/events/${id}/reservations`, { seatIds: [ids[0]] }, token(a));
  await api(side.url, 'POST', `/v1/events/${id}/holds`, { seatIds: [ids[seats - 1]] }, token(b));
  side.venues[name] = { id, seats, share, etag: chart.headers.get('etag') };
  return side.venues[name];
}

/** What every answer of a run must have been, and whether chart, status and seat list agree now. */
async function check(result, variant, venue, kind, expected) {
  const problems = [];
  for (const [k, byStatus] of Object.entries(result.counts)) {
    const other = Object.keys(byStatus).filter((s) => Number(s) !== expected);
    if (k !== kind || other.length) problems.push(`${k} answered ${JSON.stringify(byStatus)}`);
  }
  const { url } = variant.side;
  const [status, chart, list] = await Promise.all([
    api(url, 'GET', `/v1/events/${venue.id}/seat-status`),
    api(url, 'GET', `/v1/events/${venue.id}/layout`),
    api(url, 'GET', `/v1/events/${venue.id}/seats?status=all`),
  ]);
  if (status.status !== 200 || chart.status !== 200 || list.status !== 200) {
    return [...problems, `afterwards: seat-status ${status.status}, layout ${chart.status}, seats ${list.status}`];
  }
  const codes = { available: 'a', held: 'h', reserved: 'r' };
  const fromList = list.body.map((s) => codes[s.status]).join('');
  if (status.body.status !== fromList) problems.push('seat-status differs from GET /seats?status=all');
  if (status.body.status.length !== venue.seats) problems.push(`seat-status has ${status.body.status.length} seats`);
  const s = status.body.status;
  const reserved = venue.seats * venue.share;
  const seeded =
    venue.share > 0
      ? s === 'r'.repeat(reserved) + 'a'.repeat(venue.seats - reserved)
      : s[0] === 'r' && s[venue.seats / 2] === 'h' && s[venue.seats - 1] === 'h' && s.replace(/a/g, '').length === 3;
  if (!seeded) problems.push('seat-status lost the seeded states');
  const chartIds = chart.body.sections.flatMap((s) => s.rows.flatMap((r) => r.seats.map((x) => x.id)));
  if (chartIds.join() !== list.body.map((s) => s.id).join()) problems.push('the chart lists other seats than /seats');
  if (chart.headers.get('etag') !== venue.etag) problems.push('the layout ETag changed');
  return problems;
}

function scenario(name, seats, kind, path, { etag = false, expected = 200, share = 0 } = {}) {
  return {
    name,
    variants: services,
    before: (variant) => venueOf(variant.side, seats, share),
    load: (variant, venue) => {
      const url = `/v1/events/${venue.id}/${path}`;
      const headers = etag ? { 'if-none-match': venue.etag } : {};
      return {
        connections: 50,
        script: 'venue.lua',
        data: { path: url, kind, ...(etag && { etag: venue.etag }) },
        autocannon: () => ({ extra: () => ({}), requests: [{ kind, method: 'GET', path: url, headers }] }),
      };
    },
    check: (result, variant, venue) => check(result, variant, venue, kind, expected),
  };
}

export const VENUE_SCENARIOS = [1000, 20_000].flatMap((seats) => {
  const size = seats === 1000 ? '1k' : '20k';
  return [
    scenario(`venue-status ${size}`, seats, 'status', 'seat-status'),
    scenario(`venue-layout ${size}`, seats, 'layout', 'layout'),
    scenario(`venue-layout-304 ${size}`, seats, 'layout304', 'layout', { etag: true, expected: 304 }),
    ...(seats === 20_000
      ? [
          scenario(`venue-status ${size} half-reserved`, seats, 'status', 'seat-status', { share: 0.5 }),
          scenario(`venue-status ${size} sold-out`, seats, 'status', 'seat-status', { share: 1 }),
        ]
      : []),
  ];
});
