import { ProblemError, ok } from '../../../clients/typescript/src/index.js';
import type { LiveMessage, SeatUpdated, UserEvent } from '../../../clients/typescript/src/index.js';
import type { Screen } from '../context.js';
import { busy, formField, formatDateTime, h, onSubmit, problemMessage, replaceChildren } from '../dom.js';
import { buildChart, capitalized, formatPrice, formatTotals, placeName, seatsNamed, statusOf } from './seat-chart.js';
import type { Category, Chart, ChartSeat } from './seat-chart.js';
import { seatGrid } from './seat-grid.js';
import { waitlistPanel } from './waitlist-panel.js';

type Price = { amount: number; currency: string } | null;

/**
 * One event's box office: the chart (`/layout`, cached for good) by section and row, every seat a button named
 * "Stalls row F seat 12, held by you", its status from `/seat-status` kept live over the user's /v1/live socket;
 * large events one section at a time; your holds with a countdown (server clock), renew, release, reserve with
 * prices; best available by category; the waiting list and its offers.
 */
export const screen: Screen = (root, ctx, params) => {
  const eventId = params.eventId!;
  let chart: Chart | undefined;
  /** The part of the chart on screen (the section picker's choice). */
  let shownPart = 0;
  /** My holds: seat id → expiry on the server's clock (ms). */
  const mine = new Map<string, number>();
  /** My reservations: seat id → the price recorded when reserved. */
  const reservedByMe = new Map<string, Price>();
  /** Seats this page released or reserved itself: their change is no lapse. */
  const expected = new Set<string>();
  /** Seats with a request of this page on the wire: a second click (a double click on Reserve) sends nothing. */
  const acting = new Set<string>();
  /**
   * The status read in flight, numbered: updates that arrive meanwhile wait in its buffer and are applied after it,
   * those at or below its `seq` dropped. A read started later (the socket's `subscribed` after the first one, a
   * `resync`) supersedes it: only the latest one's answer is applied.
   */
  let listing: { readonly generation: number; readonly buffer: SeatUpdated[] } | undefined;
  let listings = 0;
  /** The `seq` of the latest change applied (the status's, then each update's). */
  let seq = -1;
  /** Follow retries after the socket refused the subscription (e.g. SERVICE_UNAVAILABLE): backoff, in ms. */
  let followDelayMs = 1000;
  let followTimer: ReturnType<typeof setTimeout> | undefined;
  let offsetMs = ctx.serverOffsetMs();
  let closed = false;

  const title = h('h1', {}, 'Seat map');
  const details = h('p', { class: 'muted' });
  const grid = seatGrid({
    choose: (seat) => void choose(seat),
    paint: (seat) => paint(seat),
    describe: (seat) =>
      [capitalized(placeName(seat)), categoryText(seat), seat.accessible && 'accessible', word(seat)]
        .filter(Boolean)
        .join(' · '),
  });
  const counts = h('p', { class: 'muted', 'aria-live': 'off' });
  const legendBox = h('div', { class: 'legend' });
  const sectionPicker = h('select', { name: 'section', onChange: () => showPart(Number(sectionPicker.value)) });
  const pickerField = formField('Section', sectionPicker);
  pickerField.hidden = true;
  const holdsList = h('ul', { class: 'holds', 'aria-label': 'Your held seats' });
  const reservedList = h('p', { class: 'muted' });
  const reserveAll = h('button', { type: 'button', hidden: true, onClick: busy(() => reserve([...mine.keys()])) });

  const quantity = h('input', { type: 'number', name: 'quantity', min: 1, max: 10, value: 2, required: true });
  const together = h('input', { type: 'checkbox', name: 'adjacent', checked: true });
  const accessibleOnly = h('input', { type: 'checkbox', name: 'accessible' });
  const accessibleField = h('label', { class: 'check', hidden: true }, accessibleOnly, ' Accessible seats');
  const bestCategory = h('select', { name: 'category' });
  const bestCategoryField = formField('Category', bestCategory);
  bestCategoryField.hidden = true;
  const best = h(
    'form',
    { class: 'inline-form', 'aria-label': 'Best available seats' },
    formField('How many seats', quantity),
    bestCategoryField,
    h('label', { class: 'check' }, together, ' Next to each other'),
    accessibleField,
    h('button', { type: 'submit' }, 'Hold best available'),
  );
  onSubmit(best, () =>
    holdBest(Number(quantity.value), bestCategory.value || undefined, together.checked, accessibleOnly.checked),
  );
  const categories = (): Category[] => [...(chart?.categories.values() ?? [])];
  const waitlist = waitlistPanel(ctx, eventId, categories);

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
    waitlist.element,
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
      legendBox,
      pickerField,
      h('div', { class: 'stage', 'aria-hidden': 'true' }, 'Stage'),
      grid.element,
      grid.info,
    ),
  );

  const word = (seat: ChartSeat): string => {
    if (mine.has(seat.id)) return 'held by you';
    if (reservedByMe.has(seat.id)) return 'reserved by you';
    return seat.status;
  };
  const named = (ids: Iterable<string>): string =>
    seatsNamed([...ids].map((id) => chart?.byId.get(id)).filter((s) => s !== undefined));
  const priceOf = (seat: ChartSeat): Price => chart?.categories.get(seat.categoryId)?.price ?? null;
  /** "Premium, €80.00"; nothing for an event with one category and no price (a `numberOfSeats` event). */
  const categoryText = (seat: ChartSeat): string => {
    const category = chart?.categories.get(seat.categoryId);
    if (!category || (chart!.categories.size < 2 && !category.price)) return '';
    return category.price ? `${category.name}, ${formatPrice(category.price)}` : category.name;
  };

  const paint = (seat: ChartSeat) => {
    const button = seat.button;
    if (!button) return;
    const status = word(seat);
    // The visible text is the label; the name says where and the status ("Stalls row F seat 12, held by you").
    button.setAttribute(
      'aria-label',
      `${capitalized(placeName(seat))}${seat.accessible ? ', accessible' : ''}, ${status}`,
    );
    // A colour per category only when there are several to tell apart.
    const category = chart!.categories.size > 1 ? chart!.categories.get(seat.categoryId) : undefined;
    button.className = `seat seat-${status.replaceAll(' ', '-')}${category ? ` cat-${category.index % 6}` : ''}`;
    // Its category as the button's description (and tooltip), besides the colour.
    button.title = categoryText(seat);
  };

  const paintCounts = () => {
    if (!chart) return;
    const free = new Map<string, number>();
    const partFree = chart.parts.map(() => 0);
    for (const seat of chart.seats) {
      if (seat.status !== 'available') continue;
      free.set(seat.categoryId, (free.get(seat.categoryId) ?? 0) + 1);
      partFree[seat.part]!++;
    }
    const available = partFree.reduce((a, b) => a + b, 0);
    counts.textContent = `${available} of ${chart.seats.length} seats available.`;
    for (const [i, option] of [...sectionPicker.options].entries())
      option.textContent = `${chart.parts[i]!.name} (${partFree[i]} of ${chart.parts[i]!.seats.length} available)`;
    if (!chart.implicit || chart.categories.size > 1 || categories().some((c) => c.price)) paintLegend(free);
    // Only once the status is known: before it every seat counts as available.
    if (seq >= 0) waitlist.soldOut(free);
  };

  /** Categories: colour, name, price and free seats (text as well as colour); then the statuses. */
  const paintLegend = (free: Map<string, number>) => {
    replaceChildren(
      legendBox,
      h(
        'ul',
        { class: 'legend-categories', 'aria-label': 'Price categories' },
        ...categories().map((c) =>
          h(
            'li',
            { class: 'legend-item' },
            h('span', { class: `swatch cat-${c.index % 6}`, 'aria-hidden': 'true' }),
            `${c.name}${c.price ? ` ${formatPrice(c.price)}` : ''}: ${free.get(c.id) ?? 0} available`,
          ),
        ),
      ),
      ...statusLegend(chart!.seats.some((s) => s.accessible)),
    );
  };

  const now = () => Date.now() + offsetMs;
  const learnServerTime = (serverTime: string) => (offsetMs = Date.parse(serverTime) - Date.now());

  const paintHolds = () => {
    replaceChildren(holdsList);
    const held = [...mine.entries()]
      .map(([id, expiresAt]) => ({ seat: chart?.byId.get(id), expiresAt }))
      .filter((x): x is { seat: ChartSeat; expiresAt: number } => x.seat !== undefined)
      .sort((a, b) => a.seat.index - b.seat.index);
    for (const { seat, expiresAt } of held) {
      const name = placeName(seat);
      holdsList.append(
        h(
          'li',
          {},
          h('span', { class: 'hold-name' }, capitalized(name)),
          ' ',
          h('span', { class: 'muted' }, categoryText(seat)),
          ' ',
          h('span', { class: 'countdown', 'data-seat': seat.id, 'data-expires': expiresAt }, remaining(expiresAt)),
          h(
            'span',
            { class: 'actions' },
            h('button', { type: 'button', onClick: busy(() => reserve([seat.id])) }, `Reserve ${name}`),
            h('button', { type: 'button', onClick: busy(() => hold(seat)) }, `Renew ${name}`),
            h('button', { type: 'button', onClick: busy(() => release(seat)) }, `Release ${name}`),
          ),
        ),
      );
    }
    if (mine.size === 0) holdsList.append(h('li', { class: 'muted' }, 'You hold no seats. Choose one below.'));
    reserveAll.hidden = mine.size < 2;
    const heldTotal = formatTotals(held.map(({ seat }) => priceOf(seat)));
    reserveAll.textContent = `Reserve all ${mine.size} held seats${heldTotal ? ` (${heldTotal})` : ''}`;
    const total = formatTotals([...reservedByMe.values()]);
    reservedList.textContent = reservedByMe.size
      ? `Reserved by you: ${named(reservedByMe.keys())}.${total ? ` Total ${total}.` : ''}`
      : '';
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
      const seat = chart?.byId.get(id);
      if (seat) lapsed(seat);
    }
    for (const span of holdsList.querySelectorAll<HTMLElement>('.countdown'))
      span.textContent = remaining(Number(span.dataset.expires));
  }, 1000);

  const lapsed = (seat: ChartSeat) => {
    paint(seat);
    paintHolds();
    ctx.announce(`Your hold on ${placeName(seat)} ran out. Choose it again if it is still available.`, 'error');
  };

  const apply = (update: SeatUpdated) => {
    if (update.seq <= seq) return; // already in the status read
    seq = update.seq;
    const seat = chart?.byId.get(update.seatId);
    if (!seat) return;
    seat.status = update.status;
    if (update.status === 'available' && mine.has(seat.id)) {
      mine.delete(seat.id);
      if (expected.delete(seat.id)) paintHolds();
      else lapsed(seat);
    }
    paint(seat);
    countsSoon();
  };

  /** Counts walk every seat (20,000 in a stadium): a burst of updates recounts once per frame, not once each. */
  let countsPending = false;
  const countsSoon = () => {
    if (countsPending) return;
    countsPending = true;
    requestAnimationFrame(() => {
      countsPending = false;
      if (!closed) paintCounts();
    });
  };

  /** Shows the part of the chart that has `seatId` (seats held by best available or offered may be elsewhere). */
  const reveal = (seatId: string | undefined) => {
    const part = seatId ? chart?.byId.get(seatId)?.part : undefined;
    if (part !== undefined && part !== shownPart) showPart(part);
  };

  /** Every seat's status in one request, with the `seq` it is current to; updates after it are applied on top. */
  const readStatus = async () => {
    const generation = ++listings;
    const current = { generation, buffer: [] as SeatUpdated[] };
    listing = current;
    try {
      const status = ok(
        await ctx.client.api.GET('/v1/events/{eventId}/seat-status', { params: { path: { eventId } } }),
      );
      if (closed || generation !== listings || !chart) return;
      for (const seat of chart.seats) seat.status = statusOf(status.status[seat.index]);
      seq = status.seq;
      listing = undefined;
      for (const update of current.buffer) apply(update);
      for (const seat of grid.shown()) paint(seat);
      paintCounts();
      paintHolds();
    } catch (error) {
      if (closed || generation !== listings) return;
      listing = undefined;
      ctx.announce(problemMessage(error), 'error');
    }
  };

  /** Shows one part of the chart (a section of a large event; the whole of a small one). */
  const showPart = (index: number) => {
    if (!chart) return;
    shownPart = index;
    sectionPicker.value = String(index);
    grid.show(chart.parts[index]!, chart.implicit);
  };

  const choose = async (seat: ChartSeat) => {
    const name = placeName(seat);
    if (mine.has(seat.id)) return ctx.announce(`You hold ${name}: reserve, renew or release it above.`);
    if (reservedByMe.has(seat.id)) return ctx.announce(`${capitalized(name)} is yours.`);
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

  const markHeld = (seatIds: string[], expiresAt: string) => {
    for (const id of seatIds) {
      mine.set(id, Date.parse(expiresAt));
      const seat = chart?.byId.get(id);
      if (seat) {
        seat.status = 'held';
        paint(seat);
      }
    }
    paintHolds();
    paintCounts();
  };

  /** Holds (or renews) one seat. */
  const hold = (seat: ChartSeat) => once([seat.id], () => holdNow(seat));
  const holdNow = async (seat: ChartSeat) => {
    const renewing = mine.has(seat.id);
    const name = placeName(seat);
    try {
      const held = ok(
        await ctx.client.api.POST('/v1/events/{eventId}/seats/{seatId}/hold', {
          params: { path: { eventId, seatId: seat.id } },
        }),
      );
      learnServerTime(held.serverTime);
      markHeld([seat.id], held.expiresAt);
      const time = remaining(Date.parse(held.expiresAt)).replace(' left', '');
      ctx.announce(`${renewing ? 'Renewed' : 'You hold'} ${name} for ${time}.`);
    } catch (error) {
      if (error instanceof ProblemError && error.code === 'SEAT_UNAVAILABLE') {
        ctx.announce(`${capitalized(name)} is taken: someone else was faster. Choose another seat.`, 'error');
      } else ctx.announce(problemMessage(error), 'error');
    }
  };

  const holdBest = async (count: number, categoryId: string | undefined, adjacent: boolean, accessible: boolean) => {
    try {
      const held = ok(
        await ctx.client.api.POST('/v1/events/{eventId}/holds', {
          params: { path: { eventId } },
          body: {
            quantity: count,
            adjacent,
            ...(categoryId ? { categoryId } : {}),
            ...(accessible ? { accessible } : {}),
          },
        }),
      );
      learnServerTime(held.serverTime);
      markHeld(
        held.seats.map((s) => s.seatId),
        held.expiresAt,
      );
      reveal(held.seats[0]?.seatId);
      ctx.announce(`You hold ${named(held.seats.map((s) => s.seatId))}.`);
    } catch (error) {
      if (error instanceof ProblemError && (error.code === 'NOT_ENOUGH_SEATS' || error.code === 'SEAT_UNAVAILABLE')) {
        const kind = [
          categoryId && chart?.categories.get(categoryId)?.name,
          accessible && 'accessible',
          'seats available',
        ].filter(Boolean);
        const free = error.field<number>('available');
        ctx.announce(
          `There are not ${count} ${kind.join(' ')}${adjacent ? ' next to each other' : ''}` +
            `${typeof free === 'number' ? ` (${free} free)` : ''}. You can join the waiting list.`,
          'error',
        );
        waitlist.offerToJoin(count, categoryId);
      } else ctx.announce(problemMessage(error), 'error');
    }
  };

  const release = (seat: ChartSeat) => once([seat.id], () => releaseNow(seat));
  const releaseNow = async (seat: ChartSeat) => {
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
      ctx.announce(`Released ${placeName(seat)}.`);
    } catch (error) {
      expected.delete(seat.id);
      ctx.announce(problemMessage(error), 'error');
    }
  };

  const reserve = (seatIds: string[]) => once(seatIds, () => reserveNow(seatIds));
  const reserveNow = async (seatIds: string[]) => {
    for (const id of seatIds) expected.add(id);
    const names = named(seatIds);
    try {
      const reserved: { seatId: string; price: Price }[] =
        seatIds.length === 1
          ? [
              ok(
                await ctx.client.api.POST('/v1/events/{eventId}/seats/{seatId}/reserve', {
                  params: { path: { eventId, seatId: seatIds[0]! } },
                }),
              ),
            ]
          : ok(
              await ctx.client.api.POST('/v1/events/{eventId}/reservations', {
                params: { path: { eventId } },
                body: { seatIds },
              }),
            ).seats;
      for (const { seatId, price } of reserved) {
        mine.delete(seatId);
        expected.delete(seatId);
        reservedByMe.set(seatId, price);
        const seat = chart?.byId.get(seatId);
        if (seat) {
          seat.status = 'reserved';
          paint(seat);
        }
      }
      paintHolds();
      paintCounts();
      const total = formatTotals(reserved.map((r) => r.price));
      ctx.announce(`${capitalized(names)} reserved${total ? ` for ${total}` : ''}. Enjoy the event!`);
    } catch (error) {
      for (const id of seatIds) expected.delete(id);
      if (error instanceof ProblemError && error.code === 'HOLD_REQUIRED') {
        ctx.announce(`Could not reserve ${names}: your hold ran out or someone else was faster.`, 'error');
        await loadMine();
      } else ctx.announce(problemMessage(error), 'error');
    }
  };

  /** My live holds in this event (after a reload they are still mine, offers included) and my reservations. */
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
      for (const item of reservations.items) if (item.eventId === eventId) reservedByMe.set(item.seatId, item.price);
      cursor = reservations.nextCursor ?? undefined;
      if (!cursor) break;
    }
    for (const seat of grid.shown()) paint(seat);
    paintHolds();
  };

  /** Seats freed for the user's place in the waiting line: held for them until `expiresAt`, like any hold. */
  const offered = (message: UserEvent) => {
    const seatIds = Array.isArray(message.seatIds) ? (message.seatIds as string[]) : [];
    if (typeof message.expiresAt !== 'string' || seatIds.length === 0) return;
    waitlist.offered();
    markHeld(seatIds, message.expiresAt);
    reveal(seatIds[0]);
    ctx.announce(
      `From the waiting list: ${named(seatIds)} ${seatIds.length === 1 ? 'is' : 'are'} held for you for ` +
        `${remaining(Date.parse(message.expiresAt)).replace(' left', '')}. Reserve to keep them.`,
    );
  };

  const onLive = (message: LiveMessage | UserEvent) => {
    if ((message as { eventId?: unknown }).eventId !== eventId) return;
    if (message.type === 'subscribed' || message.type === 'resync') {
      followDelayMs = 1000;
      void readStatus();
    } else if (message.type === 'seat.updated') {
      if (listing) listing.buffer.push(message as SeatUpdated);
      else apply(message as SeatUpdated);
    } else if (message.type === 'waitlist.offered') {
      offered(message as UserEvent);
    } else if (message.type === 'error') {
      // The subscription was refused (the live service is busy): the map stays as read and following is tried
      // again, later and later; said once, not at every try.
      if (followDelayMs === 1000) ctx.announce(`Live updates paused: ${String(message.message)}`, 'error');
      clearTimeout(followTimer);
      followTimer = setTimeout(() => live?.follow(eventId, live.lastSeq(eventId)), followDelayMs);
      followDelayMs = Math.min(followDelayMs * 2, 30_000);
    }
  };

  /** The section picker (large events), the category choice (several categories), the accessible option. */
  const setUpChoices = (c: Chart) => {
    pickerField.hidden = c.parts.length < 2;
    replaceChildren(sectionPicker, ...c.parts.map((part, i) => h('option', { value: i }, part.name)));
    bestCategoryField.hidden = c.categories.size < 2;
    replaceChildren(
      bestCategory,
      h('option', { value: '' }, 'Any category'),
      ...categories().map((cat) =>
        h('option', { value: cat.id }, cat.price ? `${cat.name} (${formatPrice(cat.price)})` : cat.name),
      ),
    );
    accessibleField.hidden = !c.seats.some((s) => s.accessible);
    if (c.implicit && c.categories.size < 2 && !categories().some((cat) => cat.price))
      replaceChildren(legendBox, ...statusLegend(false));
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
      // Subscribed before the status is read (its `subscribed` reads it again), so no change falls between them.
      live?.follow(eventId);
      // The chart never changes: the browser keeps it (immutable, strong ETag); the status is one request.
      const layout = ok(await ctx.client.api.GET('/v1/events/{eventId}/layout', { params: { path: { eventId } } }));
      if (closed) return;
      chart = buildChart(layout, event.categories);
      setUpChoices(chart);
      showPart(0);
      // The status is read at once, whatever the socket does (it may never subscribe: over the socket limit, a proxy
      // that blocks WebSockets); the socket's `subscribed` and `resync` read it again, from then on live.
      await Promise.all([readStatus(), loadMine(), waitlist.load()]);
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

function statusLegend(accessible: boolean): HTMLElement[] {
  const items = [
    ['available', 'Available'],
    ['held', 'Held'],
    ['held-by-you', 'Held by you'],
    ['reserved', 'Reserved'],
    ['reserved-by-you', 'Reserved by you'],
  ].map(([kind, text]) =>
    h('span', { class: 'legend-item' }, h('span', { class: `seat seat-${kind}`, 'aria-hidden': 'true' }), text!),
  );
  if (accessible)
    items.push(
      h(
        'span',
        { class: 'legend-item' },
        h('span', { class: 'accessible-mark', 'aria-hidden': 'true' }, '♿'),
        'Accessible',
      ),
    );
  return items;
}
