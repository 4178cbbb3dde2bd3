import { ProblemError, ok } from '../../../clients/typescript/src/index.js';
import type {
  LiveMessage,
  Schemas,
  SeatStatus,
  SeatUpdated,
  UserEvent,
} from '../../../clients/typescript/src/index.js';
import type { Screen } from '../context.js';
import { busy, formField, formatDateTime, h, onSubmit, problemMessage, replaceChildren } from '../dom.js';

/** Seats per row of the map: fits 360 px, and Up/Down move by one row. */
const ROW = 10;

interface Seat {
  readonly id: string;
  readonly number: number;
  status: SeatStatus;
  readonly button: HTMLButtonElement;
}

/**
 * One event's box office: every seat as a button named "Seat 12, held" (by you / reserved / available), kept live over
 * the user's /v1/live socket; your holds with a countdown (server clock), renew, release, reserve; best available N.
 */
export const screen: Screen = (root, ctx, params) => {
  const eventId = params.eventId!;
  const seats = new Map<string, Seat>();
  const byNumber: Seat[] = [];
  /** My holds: seat id → expiry on the server's clock (ms). */
  const mine = new Map<string, number>();
  const reservedByMe = new Set<string>();
  /** Seats this page released or reserved itself: their change is no lapse. */
  const expected = new Set<string>();
  /**
   * The listing in flight, numbered: updates that arrive meanwhile wait in its buffer and are applied after its list.
   * A listing started later (the socket's `subscribed` after the first GET, a `resync`) supersedes it: only the latest
   * one's answer is applied, and the updates an earlier one buffered are older than the later list.
   */
  /** Seats with a request of this page on the wire: a second click (a double click on Reserve) sends nothing. */
  const acting = new Set<string>();
  let listing: { readonly generation: number; readonly buffer: SeatUpdated[] } | undefined;
  let listings = 0;
  /** Follow retries after the socket refused the subscription (e.g. SERVICE_UNAVAILABLE): backoff, in ms. */
  let followDelayMs = 1000;
  let followTimer: ReturnType<typeof setTimeout> | undefined;
  let offsetMs = ctx.serverOffsetMs();
  let closed = false;
  let focusedSeat = 0;

  const title = h('h1', {}, 'Seat map');
  const details = h('p', { class: 'muted' });
  const grid = h('div', {
    class: 'seat-grid',
    role: 'group',
    'aria-label': 'Seats',
    'aria-describedby': 'seat-help',
    onKeydown: (event: Event) => moveFocus(event as KeyboardEvent),
  });
  const counts = h('p', { class: 'muted', 'aria-live': 'off' });
  const holdsList = h('ul', { class: 'holds', 'aria-label': 'Your held seats' });
  const reservedList = h('p', { class: 'muted' });
  const reserveAll = h('button', { type: 'button', hidden: true, onClick: busy(() => reserve([...mine.keys()])) });

  const quantity = h('input', { type: 'number', name: 'quantity', min: 1, max: 10, value: 2, required: true });
  const together = h('input', { type: 'checkbox', name: 'adjacent', checked: true });
  const best = h(
    'form',
    { class: 'inline-form', 'aria-label': 'Best available seats' },
    formField('How many seats', quantity),
    h('label', { class: 'check' }, together, ' Next to each other'),
    h('button', { type: 'submit' }, 'Hold best available'),
  );
  onSubmit(best, () => holdBest(Number(quantity.value), together.checked));

  root.append(
    h('p', {}, h('a', { href: '#/events' }, '← All events')),
    title,
    details,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'your-seats' },
      h('h2', { id: 'your-seats' }, 'Your seats'),
      holdsList,
      reserveAll,
      reservedList,
      best,
    ),
    h(
      'section',
      { 'aria-labelledby': 'map-title' },
      h('h2', { id: 'map-title' }, 'Seats'),
      h(
        'p',
        { id: 'seat-help', class: 'muted' },
        'Choose a seat to hold it. Arrow keys move between seats. Stage is at the top.',
      ),
      counts,
      h('div', { class: 'legend', 'aria-hidden': 'true' }, ...legend()),
      h('div', { class: 'stage', 'aria-hidden': 'true' }, 'Stage'),
      grid,
    ),
  );

  const label = (seat: Seat): string => {
    if (mine.has(seat.id)) return 'held by you';
    if (reservedByMe.has(seat.id)) return 'reserved by you';
    return seat.status;
  };

  const paint = (seat: Seat) => {
    const word = label(seat);
    // The visible text is the number; the name says the status too ("Seat 12, held"), and contains the number.
    seat.button.setAttribute('aria-label', `Seat ${seat.number}, ${word}`);
    seat.button.className = `seat seat-${word.replaceAll(' ', '-')}`;
  };

  const paintCounts = () => {
    let available = 0;
    for (const seat of byNumber) if (seat.status === 'available') available++;
    counts.textContent = `${available} of ${byNumber.length} seats available.`;
  };

  const now = () => Date.now() + offsetMs;
  const learnServerTime = (serverTime: string) => (offsetMs = Date.parse(serverTime) - Date.now());

  const paintHolds = () => {
    replaceChildren(holdsList);
    const held = [...mine.entries()].map(([id, expiresAt]) => ({ seat: seats.get(id), expiresAt }));
    held.sort((a, b) => (a.seat?.number ?? 0) - (b.seat?.number ?? 0));
    for (const { seat, expiresAt } of held) {
      if (!seat) continue;
      holdsList.append(
        h(
          'li',
          {},
          h('span', { class: 'hold-name' }, `Seat ${seat.number}`),
          ' ',
          h('span', { class: 'countdown', 'data-seat': seat.id, 'data-expires': expiresAt }, remaining(expiresAt)),
          h(
            'span',
            { class: 'actions' },
            h('button', { type: 'button', onClick: busy(() => reserve([seat.id])) }, `Reserve seat ${seat.number}`),
            h('button', { type: 'button', onClick: busy(() => hold(seat)) }, `Renew seat ${seat.number}`),
            h('button', { type: 'button', onClick: busy(() => release(seat)) }, `Release seat ${seat.number}`),
          ),
        ),
      );
    }
    if (mine.size === 0) holdsList.append(h('li', { class: 'muted' }, 'You hold no seats. Choose one below.'));
    reserveAll.hidden = mine.size < 2;
    reserveAll.textContent = `Reserve all ${mine.size} held seats`;
    const numbers = [...reservedByMe].map((id) => seats.get(id)?.number).filter((n) => n !== undefined);
    numbers.sort((a, b) => a - b);
    reservedList.textContent = numbers.length ? `Reserved by you: ${seatsNamed(numbers)}.` : '';
  };

  const remaining = (expiresAt: number): string => {
    const seconds = Math.max(0, Math.ceil((expiresAt - now()) / 1000));
    return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')} left`;
  };

  /** Once a second: the countdowns, and holds whose time has passed by the server's clock. */
  const tick = setInterval(() => {
    for (const [id, expiresAt] of mine) {
      if (expiresAt > now()) continue;
      mine.delete(id);
      const seat = seats.get(id);
      if (seat) lapsed(seat);
    }
    for (const span of holdsList.querySelectorAll<HTMLElement>('.countdown'))
      span.textContent = remaining(Number(span.dataset.expires));
  }, 1000);

  const lapsed = (seat: Seat) => {
    paint(seat);
    paintHolds();
    ctx.announce(`Your hold on seat ${seat.number} ran out. Choose it again if it is still available.`, 'error');
  };

  const apply = (update: SeatUpdated) => {
    const seat = seats.get(update.seatId);
    if (!seat) return;
    seat.status = update.status;
    if (update.status === 'available' && mine.has(seat.id)) {
      mine.delete(seat.id);
      if (expected.delete(seat.id)) paintHolds();
      else lapsed(seat);
    }
    paint(seat);
    paintCounts();
  };

  const listSeats = async () => {
    const generation = ++listings;
    const current = { generation, buffer: [] as SeatUpdated[] };
    listing = current;
    try {
      const list = ok(
        await ctx.client.api.GET('/v1/events/{eventId}/seats', {
          params: { path: { eventId }, query: { status: 'all' } },
        }),
      );
      if (closed || generation !== listings) return;
      if (seats.size === 0) build(list);
      for (const s of list) {
        const seat = seats.get(s.id);
        if (seat && s.status) seat.status = s.status;
      }
      listing = undefined;
      for (const update of current.buffer) apply(update);
      for (const seat of byNumber) paint(seat);
      paintCounts();
      paintHolds();
    } catch (error) {
      if (closed || generation !== listings) return;
      listing = undefined;
      ctx.announce(problemMessage(error), 'error');
    }
  };

  const build = (list: Schemas['SeatView'][]) => {
    const sorted = [...list].sort((a, b) => a.number - b.number);
    for (const s of sorted) {
      const button = h('button', { type: 'button', tabindex: -1 }, String(s.number));
      const seat: Seat = { id: s.id, number: s.number, status: s.status ?? 'available', button };
      button.addEventListener('click', () => void choose(seat));
      button.addEventListener('focus', () => (focusedSeat = byNumber.indexOf(seat)));
      seats.set(s.id, seat);
      byNumber.push(seat);
      grid.append(button);
    }
    byNumber[0]?.button.setAttribute('tabindex', '0');
  };

  const moveFocus = (event: KeyboardEvent) => {
    const steps: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -ROW, ArrowDown: ROW };
    let next: number;
    if (event.key in steps) next = focusedSeat + steps[event.key]!;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = byNumber.length - 1;
    else return;
    event.preventDefault();
    next = Math.min(Math.max(next, 0), byNumber.length - 1);
    byNumber[focusedSeat]?.button.setAttribute('tabindex', '-1');
    focusedSeat = next;
    byNumber[next]?.button.setAttribute('tabindex', '0');
    byNumber[next]?.button.focus();
  };

  const choose = async (seat: Seat) => {
    if (mine.has(seat.id)) return ctx.announce(`You hold seat ${seat.number}: reserve, renew or release it above.`);
    if (reservedByMe.has(seat.id)) return ctx.announce(`Seat ${seat.number} is yours.`);
    await hold(seat);
  };

  /** Runs `work` unless one of the seats already has a request on the wire. */
  const once = async (ids: string[], work: () => Promise<void>) => {
    if (ids.some((id) => acting.has(id))) return;
    for (const id of ids) acting.add(id);
    try {
      await work();
    } finally {
      for (const id of ids) acting.delete(id);
    }
  };

  /** Holds (or renews) one seat. */
  const hold = (seat: Seat) => once([seat.id], () => holdNow(seat));
  const holdNow = async (seat: Seat) => {
    const renewing = mine.has(seat.id);
    try {
      const held = ok(
        await ctx.client.api.POST('/v1/events/{eventId}/seats/{seatId}/hold', {
          params: { path: { eventId, seatId: seat.id } },
        }),
      );
      learnServerTime(held.serverTime);
      mine.set(seat.id, Date.parse(held.expiresAt));
      seat.status = 'held';
      paint(seat);
      paintHolds();
      paintCounts();
      ctx.announce(
        `${renewing ? 'Renewed' : 'You hold'} seat ${seat.number} for ${remaining(Date.parse(held.expiresAt)).replace(' left', '')}.`,
      );
    } catch (error) {
      if (error instanceof ProblemError && error.code === 'SEAT_UNAVAILABLE') {
        ctx.announce(`Seat ${seat.number} is taken: someone else was faster. Choose another seat.`, 'error');
      } else ctx.announce(problemMessage(error), 'error');
    }
  };

  const holdBest = async (count: number, adjacent: boolean) => {
    try {
      const held = ok(
        await ctx.client.api.POST('/v1/events/{eventId}/holds', {
          params: { path: { eventId } },
          body: { quantity: count, adjacent },
        }),
      );
      learnServerTime(held.serverTime);
      for (const ref of held.seats) {
        mine.set(ref.seatId, Date.parse(held.expiresAt));
        const seat = seats.get(ref.seatId);
        if (seat) {
          seat.status = 'held';
          paint(seat);
        }
      }
      paintHolds();
      paintCounts();
      ctx.announce(`You hold ${seatsNamed(held.seats.map((s) => s.number))}.`);
    } catch (error) {
      // NOT_ENOUGH_SEATS since issue 19 (best available in one script); SEAT_UNAVAILABLE from a service before it.
      if (error instanceof ProblemError && (error.code === 'NOT_ENOUGH_SEATS' || error.code === 'SEAT_UNAVAILABLE')) {
        ctx.announce(`There are not ${count} seats available${adjacent ? ' next to each other' : ''}.`, 'error');
      } else ctx.announce(problemMessage(error), 'error');
    }
  };

  const release = (seat: Seat) => once([seat.id], () => releaseNow(seat));
  const releaseNow = async (seat: Seat) => {
    expected.add(seat.id);
    try {
      ok(
        await ctx.client.api.DELETE('/v1/events/{eventId}/seats/{seatId}/hold', {
          params: { path: { eventId, seatId: seat.id } },
        }),
      );
      // Whether the socket's `available` came first or comes later, it is no lapse now that the seat is not held.
      mine.delete(seat.id);
      expected.delete(seat.id);
      seat.status = 'available';
      paint(seat);
      paintHolds();
      paintCounts();
      ctx.announce(`Released seat ${seat.number}.`);
    } catch (error) {
      expected.delete(seat.id);
      ctx.announce(problemMessage(error), 'error');
    }
  };

  const reserve = (seatIds: string[]) => once(seatIds, () => reserveNow(seatIds));
  const reserveNow = async (seatIds: string[]) => {
    for (const id of seatIds) expected.add(id);
    const names = seatsNamed(seatIds.map((id) => seats.get(id)?.number ?? 0));
    try {
      if (seatIds.length === 1) {
        ok(
          await ctx.client.api.POST('/v1/events/{eventId}/seats/{seatId}/reserve', {
            params: { path: { eventId, seatId: seatIds[0]! } },
          }),
        );
      } else {
        ok(
          await ctx.client.api.POST('/v1/events/{eventId}/reservations', {
            params: { path: { eventId } },
            body: { seatIds },
          }),
        );
      }
      for (const id of seatIds) {
        mine.delete(id);
        expected.delete(id);
        reservedByMe.add(id);
        const seat = seats.get(id);
        if (seat) {
          seat.status = 'reserved';
          paint(seat);
        }
      }
      paintHolds();
      paintCounts();
      ctx.announce(`${names[0]!.toUpperCase()}${names.slice(1)} reserved. Enjoy the event!`);
    } catch (error) {
      for (const id of seatIds) expected.delete(id);
      if (error instanceof ProblemError && error.code === 'HOLD_REQUIRED') {
        ctx.announce(`Could not reserve ${names}: your hold ran out or someone else was faster.`, 'error');
        await loadMine();
      } else ctx.announce(problemMessage(error), 'error');
    }
  };

  /** My live holds in this event (after a reload they are still mine) and my reservations. */
  const loadMine = async () => {
    const holds = ok(await ctx.client.api.GET('/v1/users/me/holds'));
    learnServerTime(holds.serverTime);
    mine.clear();
    for (const item of holds.items) if (item.eventId === eventId) mine.set(item.seatId, Date.parse(item.expiresAt));
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const reservations = ok(
        await ctx.client.api.GET('/v1/users/me/reservations', { params: { query: { limit: 100, cursor } } }),
      );
      for (const item of reservations.items) if (item.eventId === eventId) reservedByMe.add(item.seatId);
      cursor = reservations.nextCursor ?? undefined;
      if (!cursor) break;
    }
    for (const seat of byNumber) paint(seat);
    paintHolds();
  };

  const onLive = (message: LiveMessage | UserEvent) => {
    if ((message as { eventId?: unknown }).eventId !== eventId) return;
    if (message.type === 'subscribed' || message.type === 'resync') {
      followDelayMs = 1000;
      void listSeats();
    } else if (message.type === 'seat.updated') {
      if (listing) listing.buffer.push(message as SeatUpdated);
      else apply(message as SeatUpdated);
    } else if (message.type === 'error') {
      // The subscription was refused (the live service is busy): the map stays as listed and following is tried
      // again, later and later; said once, not at every try.
      if (followDelayMs === 1000) ctx.announce(`Live updates paused: ${String(message.message)}`, 'error');
      clearTimeout(followTimer);
      followTimer = setTimeout(() => live?.follow(eventId, live.lastSeq(eventId)), followDelayMs);
      followDelayMs = Math.min(followDelayMs * 2, 30_000);
    }
  };

  const live = ctx.live();
  const stopListening = live?.listen(onLive);

  void (async () => {
    try {
      const event = ok(await ctx.client.api.GET('/v1/events/{eventId}', { params: { path: { eventId } } }));
      if (closed) return;
      title.textContent = event.name;
      document.title = `${event.name} · Box office`;
      details.textContent =
        `${event.totalSeats} seats · ` +
        (event.startsAt ? `starts ${formatDateTime(event.startsAt)}` : 'no date yet') +
        ` · a hold lasts ${event.holdSeconds} s`;
      // Listed at once by GET, whatever the socket does (it may never subscribe: over the socket limit, a proxy that
      // blocks WebSockets); the socket's `subscribed` and `resync` list them again, from then on live.
      live?.follow(eventId);
      await Promise.all([listSeats(), loadMine()]);
    } catch (error) {
      if (error instanceof ProblemError && error.status === 404) ctx.announce('There is no such event.', 'error');
      else ctx.announce(problemMessage(error), 'error');
    }
  })();

  return () => {
    closed = true;
    clearInterval(tick);
    clearTimeout(followTimer);
    stopListening?.();
    live?.unfollow(eventId);
  };
};

/** "seat 3" or "seats 3, 4". */
function seatsNamed(numbers: number[]): string {
  return numbers.length === 1 ? `seat ${numbers[0]}` : `seats ${numbers.join(', ')}`;
}

function legend(): HTMLElement[] {
  return [
    ['available', 'Available'],
    ['held', 'Held'],
    ['held-by-you', 'Held by you'],
    ['reserved', 'Reserved'],
    ['reserved-by-you', 'Reserved by you'],
  ].map(([kind, text]) => h('span', { class: 'legend-item' }, h('span', { class: `seat seat-${kind}` }), text!));
}
