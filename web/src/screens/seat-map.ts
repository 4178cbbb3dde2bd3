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
  /**
   * Seats this page held or reserved itself, with the answer's status and server time: a live update of the seat that
   * steps back from that status (to `available` from `held`, to either from `reserved`) made at or before that time is
   * older than what the page shows (a hold on a lapsed seat announces `available`, then `held`, and the answer may
   * come before both; a reservation's answer may come before the socket's `held` of the hold before it). Kept until
   * the socket brings any other update of the seat; a new object per answer, so a status read can tell it changed
   * meanwhile.
   */
  const settled = new Map<string, { readonly at: number; readonly status: SeatUpdated['status'] }>();
  /** Seats offered from the waiting list, each to its offer: a lapse of one is the offer's end. */
  const offers = new Map<string, { said: boolean }>();
  /** Hold requests of this page on the wire (a seat's or best available). */
  let holdsOnTheWire = 0;
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
  /** Status read retries after a failed read: backoff, in ms. */
  let readDelayMs = 1000;
  let readTimer: ReturnType<typeof setTimeout> | undefined;
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
    mark: (seat) => (chart && chart.categories.size > 1 ? chart.categories.get(seat.categoryId)?.mark : undefined),
  });
  const counts = h('p', { class: 'muted', 'aria-live': 'off' });
  const legendBox = h('div', { class: 'legend' });
  const sectionPicker = h('select', { name: 'section', onChange: () => showPart(Number(sectionPicker.value)) });
  const pickerField = formField('Section', sectionPicker);
  pickerField.hidden = true;
  const holdsList = h('ul', { class: 'holds', 'aria-label': 'Your held seats' });
  const reservedLine = h('p', { class: 'muted' });
  const reservedItems = h('ul', { class: 'holds', 'aria-label': 'Your reservations', hidden: true });
  const reserveAll = h('button', { type: 'button', hidden: true, onClick: busy(() => reserveInChunks()) });

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
      reservedLine,
      reservedItems,
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

  /** Until the first status read answers, a seat's state is unknown: not shown as available, not clickable. */
  const known = () => seq >= 0;
  const word = (seat: ChartSeat): string => {
    if (mine.has(seat.id)) return 'held by you';
    if (reservedByMe.has(seat.id)) return 'reserved by you';
    if (!known()) return 'status loading';
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
    if (known()) button.removeAttribute('aria-disabled');
    else button.setAttribute('aria-disabled', 'true');
    // Its category as the button's description (and tooltip), besides the colour and the letter.
    button.title = categoryText(seat);
    grid.refresh(seat);
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
    if (!known()) return; // before the status every seat would count as available
    const available = partFree.reduce((a, b) => a + b, 0);
    setText(counts, `${available} of ${chart.seats.length} seats available.`);
    for (const [i, option] of [...sectionPicker.options].entries())
      setText(option, `${chart.parts[i]!.name} (${partFree[i]} of ${chart.parts[i]!.seats.length} available)`);
    if (!chart.implicit || chart.categories.size > 1 || categories().some((c) => c.price)) paintLegend(free);
    // Seats the user holds are not sold out to them: counted as free for the waiting list's offer to join.
    const freeOrMine = new Map(free);
    for (const id of mine.keys()) {
      const seat = chart.byId.get(id);
      if (seat) freeOrMine.set(seat.categoryId, (freeOrMine.get(seat.categoryId) ?? 0) + 1);
    }
    // Not while a hold of this page is on the wire: its seats may already show held by someone (the socket is often
    // faster than the answer) while they are not yet known as the user's.
    if (holdsOnTheWire === 0) waitlist.soldOut(freeOrMine);
  };

  /** Categories: colour, name, price and free seats (text as well as colour); then the statuses. */
  let legendText = '';
  const paintLegend = (free: Map<string, number>) => {
    const items = categories().map(
      (c) => `${c.name}${c.price ? ` ${formatPrice(c.price)}` : ''}: ${free.get(c.id) ?? 0} available`,
    );
    // Redrawn only when a line changed (a burst of updates elsewhere leaves it alone).
    if (items.join('\n') === legendText) return;
    legendText = items.join('\n');
    const several = chart!.categories.size > 1;
    replaceChildren(
      legendBox,
      h(
        'ul',
        { class: 'legend-categories', 'aria-label': 'Price categories' },
        ...categories().map((c, i) =>
          h(
            'li',
            { class: 'legend-item' },
            several && h('span', { class: `swatch cat-${c.index % 6}`, 'aria-hidden': 'true' }, c.mark),
            items[i]!,
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
    reservedLine.textContent = reservedByMe.size
      ? `Reserved by you: ${named(reservedByMe.keys())}.${total ? ` Total ${total}.` : ''}`
      : '';
    const reserved = [...reservedByMe.entries()]
      .map(([id, price]) => ({ seat: chart?.byId.get(id), price }))
      .filter((x): x is { seat: ChartSeat; price: Price } => x.seat !== undefined)
      .sort((a, b) => a.seat.index - b.seat.index);
    replaceChildren(
      reservedItems,
      ...reserved.map(({ seat, price }) => {
        const name = placeName(seat);
        return h(
          'li',
          {},
          h('span', { class: 'hold-name' }, capitalized(name)),
          ' ',
          h('span', { class: 'muted' }, price ? formatPrice(price) : ''),
          h(
            'span',
            { class: 'actions' },
            h('button', { type: 'button', onClick: busy(() => cancel(seat)) }, `Cancel ${name}`),
          ),
        );
      }),
    );
    reservedItems.hidden = reserved.length === 0;
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
      setText(span, remaining(Number(span.dataset.expires)));
  }, 1000);

  /**
   * A hold of the user's ran out. An offered seat's lapse ends the offer: the user left the waiting line with it, so
   * that is said once per offer and the join form comes back.
   */
  const lapsed = (seat: ChartSeat) => {
    paint(seat);
    paintHolds();
    countsSoon();
    const offer = offers.get(seat.id);
    if (!offer) {
      ctx.announce(`Your hold on ${placeName(seat)} ran out. Choose it again if it is still available.`, 'error');
      return;
    }
    offers.delete(seat.id);
    if (offer.said) return;
    offer.said = true;
    ctx.announce('Your offer ran out; you have left the waiting list.', 'error');
    waitlist.offerLapsed();
  };

  /** A seat no longer reserved (cancelled here, elsewhere, by a manager or an admin) is no longer the user's. */
  const notReserved = (seat: ChartSeat) => {
    if (seat.status === 'reserved' || !reservedByMe.delete(seat.id)) return false;
    return true;
  };

  const apply = (update: SeatUpdated) => {
    if (update.seq <= seq) return; // already in the status read
    seq = update.seq;
    const seat = chart?.byId.get(update.seatId);
    if (!seat) return;
    // Older than this page's own answer for the seat (which it already shows).
    const own = settled.get(seat.id);
    if (own) {
      // A step back (reserved → held → available) made no later than the page's own answer is older than it.
      if (Date.parse(update.at) <= own.at && STAGE[update.status] < STAGE[own.status]) return;
      // Anything else means the socket has reached the page's own change or gone past it: from here on the socket
      // is newer, even on a clock that did not move.
      settled.delete(seat.id);
    }
    seat.status = update.status;
    if (update.status === 'available' && mine.has(seat.id)) {
      mine.delete(seat.id);
      if (expected.delete(seat.id)) paintHolds();
      else lapsed(seat);
    }
    if (notReserved(seat)) paintHolds();
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
  // Not while the user moves through the grid by keyboard: switching parts would drop their focus.
  const reveal = (seatId: string | undefined) => {
    const part = seatId ? chart?.byId.get(seatId)?.part : undefined;
    if (part === undefined || part === shownPart || grid.element.contains(document.activeElement)) return;
    showPart(part);
  };

  /**
   * Every seat's status in one request, with the `seq` it is current to; updates after it are applied on top. A failed
   * read is tried again later and later, keeping the updates that arrived meanwhile (those at or below the `seq` it
   * finally answers are dropped when applied).
   */
  const readStatus = async (kept: SeatUpdated[] = []) => {
    clearTimeout(readTimer);
    const generation = ++listings;
    const current = { generation, buffer: kept };
    listing = current;
    const settledBefore = new Map(settled);
    try {
      const status = ok(
        await ctx.client.api.GET('/v1/events/{eventId}/seat-status', { params: { path: { eventId } } }),
      );
      if (closed || generation !== listings || !chart) return;
      if (status.encoding !== 'char' || status.status.length !== chart.seats.length)
        throw new Error('The seat status does not match the seat chart. Reload the page.');
      for (const seat of chart.seats) {
        // Seats this page changed while the read was on the wire keep what the page's own answer said.
        if (settled.get(seat.id) === settledBefore.get(seat.id)) seat.status = statusOf(status.status[seat.index]);
        notReserved(seat);
      }
      seq = status.seq;
      readDelayMs = 1000;
      listing = undefined;
      for (const update of current.buffer) apply(update);
      for (const seat of grid.shown()) paint(seat);
      paintCounts();
      paintHolds();
    } catch (error) {
      if (closed || generation !== listings) return;
      if (readDelayMs === 1000) ctx.announce(problemMessage(error), 'error');
      // Still listing: updates keep going to the buffer until a read answers.
      readTimer = setTimeout(() => void readStatus(current.buffer), readDelayMs);
      readDelayMs = Math.min(readDelayMs * 2, 30_000);
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
    if (!known()) return ctx.announce('The seats are still loading.');
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

  /** Seats held for the user; `serverTime` is when the service held them (the answer's, or the offer's `at`). */
  const markHeld = (seatIds: string[], expiresAt: string, serverTime?: string) => {
    for (const id of seatIds) {
      mine.set(id, Date.parse(expiresAt));
      if (serverTime) settled.set(id, { at: Date.parse(serverTime), status: 'held' });
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
    holdsOnTheWire++;
    try {
      const held = ok(
        await ctx.client.api.POST('/v1/events/{eventId}/seats/{seatId}/hold', {
          params: { path: { eventId, seatId: seat.id } },
        }),
      );
      learnServerTime(held.serverTime);
      markHeld([seat.id], held.expiresAt, held.serverTime);
      const time = remaining(Date.parse(held.expiresAt)).replace(' left', '');
      ctx.announce(`${renewing ? 'Renewed' : 'You hold'} ${name} for ${time}.`);
    } catch (error) {
      if (error instanceof ProblemError && error.code === 'SEAT_UNAVAILABLE') {
        ctx.announce(`${capitalized(name)} is taken: someone else was faster. Choose another seat.`, 'error');
      } else ctx.announce(problemMessage(error), 'error');
    } finally {
      holdsOnTheWire--;
      countsSoon();
    }
  };

  const holdBest = async (count: number, categoryId: string | undefined, adjacent: boolean, accessible: boolean) => {
    holdsOnTheWire++;
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
        held.serverTime,
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
    } finally {
      holdsOnTheWire--;
      countsSoon();
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
      settled.delete(seat.id);
      offers.delete(seat.id);
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
  /** "Reserve all": the API takes up to 10 seats a call, so more go in chunks of 10 (each all or nothing). */
  const reserveInChunks = async () => {
    const ids = [...mine.keys()];
    for (let i = 0; i < ids.length; i += 10) await reserve(ids.slice(i, i + 10));
  };
  const reserveNow = async (seatIds: string[]) => {
    for (const id of seatIds) expected.add(id);
    const names = named(seatIds);
    try {
      let reserved: { seatId: string; price: Price; reservedAt: string }[];
      /** The service's totals per currency, in its order (a multi-seat answer has them). */
      let totals: { amount: number; currency: string }[] | undefined;
      if (seatIds.length === 1) {
        reserved = [
          ok(
            await ctx.client.api.POST('/v1/events/{eventId}/seats/{seatId}/reserve', {
              params: { path: { eventId, seatId: seatIds[0]! } },
            }),
          ),
        ];
      } else {
        const answer = ok(
          await ctx.client.api.POST('/v1/events/{eventId}/reservations', {
            params: { path: { eventId } },
            body: { seatIds },
          }),
        );
        reserved = answer.seats;
        totals = answer.totals;
      }
      for (const { seatId, price, reservedAt } of reserved) {
        mine.delete(seatId);
        expected.delete(seatId);
        offers.delete(seatId);
        const seat = chart?.byId.get(seatId);
        // Unless the socket already brought the reservation (it usually comes before the answer).
        if (seat?.status === 'reserved') settled.delete(seatId);
        else settled.set(seatId, { at: Date.parse(reservedAt), status: 'reserved' });
        reservedByMe.set(seatId, price);
        if (seat) {
          seat.status = 'reserved';
          paint(seat);
        }
      }
      paintHolds();
      paintCounts();
      const total = totals ? totals.map((t) => formatPrice(t)).join(' + ') : formatTotals(reserved.map((r) => r.price));
      ctx.announce(`${capitalized(names)} reserved${total ? ` for ${total}` : ''}. Enjoy the event!`);
    } catch (error) {
      for (const id of seatIds) expected.delete(id);
      if (error instanceof ProblemError && error.code === 'HOLD_REQUIRED') {
        ctx.announce(`Could not reserve ${names}: your hold ran out or someone else was faster.`, 'error');
        await loadMine();
      } else ctx.announce(problemMessage(error), 'error');
    }
  };

  /** Cancels one of the user's reservations: the seat is free again (or offered to the waiting line). */
  const cancel = (seat: ChartSeat) => once([seat.id], () => cancelNow(seat));
  const cancelNow = async (seat: ChartSeat) => {
    try {
      ok(
        await ctx.client.api.DELETE('/v1/events/{eventId}/seats/{seatId}/reservation', {
          params: { path: { eventId, seatId: seat.id } },
        }),
      );
      // Available, or offered to someone waiting: the socket says which (it may have said so already).
      reservedByMe.delete(seat.id);
      settled.delete(seat.id);
      paint(seat);
      paintHolds();
      countsSoon();
      ctx.announce(`Cancelled your reservation of ${placeName(seat)}.`);
    } catch (error) {
      ctx.announce(problemMessage(error), 'error');
      await loadMine();
    }
  };

  /**
   * My live holds in this event (after a reload they are still mine, offers included) and my reservations. Merged
   * into what the page knows: a hold made or given up while the list was on the wire is kept as the page has it.
   */
  const loadMine = async () => {
    const before = new Map(mine);
    const holds = ok(await ctx.client.api.GET('/v1/users/me/holds'));
    learnServerTime(holds.serverTime);
    const listed = new Map<string, number>();
    for (const item of holds.items) if (item.eventId === eventId) listed.set(item.seatId, Date.parse(item.expiresAt));
    for (const [id, expiresAt] of mine)
      if (!listed.has(id) && before.get(id) === expiresAt) {
        mine.delete(id);
        offers.delete(id);
      }
    for (const [id, expiresAt] of listed) if (before.get(id) === mine.get(id)) mine.set(id, expiresAt);
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
    countsSoon();
    // After a reload: the part with the user's seats first.
    reveal([...mine.keys(), ...reservedByMe.keys()][0]);
  };

  /** Seats freed for the user's place in the waiting line: held for them until `expiresAt`, like any hold. */
  const offered = (message: UserEvent) => {
    const seatIds = Array.isArray(message.seatIds) ? (message.seatIds as string[]) : [];
    if (typeof message.expiresAt !== 'string' || seatIds.length === 0) return;
    waitlist.offered();
    const offer = { said: false };
    for (const id of seatIds) offers.set(id, offer);
    // The offer comes on the user's channel, not in the seat stream's order: a seat update from before it (the
    // `available` of a release, still buffered behind a status read) must not read as the offer lapsing.
    markHeld(seatIds, message.expiresAt, typeof message.at === 'string' ? message.at : undefined);
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
      void readStatus(listing?.buffer);
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
    clearTimeout(readTimer);
    stopListening?.();
    live?.unfollow(eventId);
  };
};

/** A seat's statuses in the order one hold and reservation goes through them. */
const STAGE: Readonly<Record<SeatUpdated['status'], number>> = { available: 0, held: 1, reserved: 2 };

/** Sets a text only when it changed (no mutation, no screen reader chatter, for a burst of equal updates). */
function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

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
