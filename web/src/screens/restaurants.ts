import { ok } from '../../../clients/typescript/src/index.js';
import type { Schemas } from '../../../clients/typescript/src/index.js';
import type { AppContext, Screen } from '../context.js';
import { busy, formField, h, problemMessage } from '../dom.js';

type Restaurant = Schemas['RestaurantView'];
type Hours = Schemas['OpeningHoursDto'];
type Timeslot = Schemas['TimeslotView'];
type Reservation = Schemas['RestaurantReservationView'];
type Table = Schemas['TableView'];

const DAYS: Hours['day'][] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const DEFAULT_HOURS: Hours[] = DAYS.map((day) => ({ day, opens: '12:00', closes: '22:00' }));
const pad = (n: number) => String(n).padStart(2, '0');
/** Today's date at the restaurant (YYYY-MM-DD), falling back to the browser's own day for a zone it does not know. */
const dateAt = (timezone: string, ms: number) => {
  try {
    return new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(ms);
  } catch {
    const d = new Date(ms);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }
};
/** Wall-clock time at the restaurant (reservations come back in UTC, timeslots with the restaurant's offset). */
const clockAt = (timezone: string) => {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
  } catch {
    // A zone this browser does not know: the timeslot strings still carry the restaurant's clock time.
    return (iso: string) => iso.slice(11, 16);
  }
  return (iso: string) => format.format(new Date(iso));
};
const sameInstant = (a: string, b: string) => Date.parse(a) === Date.parse(b);
const canManage = (ctx: AppContext, r: Restaurant) => {
  const user = ctx.user();
  return user !== undefined && (user.role === 'admin' || (user.role === 'manager' && user.id === r.managerId));
};

/** Opening hours as rows of day, opens, closes (several rows per day allowed, as the API allows). */
function hoursEditor(initial: readonly Hours[], idPrefix: string) {
  const rows = h('ul', { class: 'holds', 'aria-label': 'Opening hours' });
  // Each row's reader, in the order the rows were added (a Map keeps insertion order).
  const entries = new Map<HTMLLIElement, () => Hours>();
  let n = 0;
  const add = (hours: Hours) => {
    const i = n++;
    const day = h('select', { id: `${idPrefix}-day-${i}` }, ...DAYS.map((d) => h('option', { value: d }, d)));
    const opens = h('input', { id: `${idPrefix}-opens-${i}`, type: 'time', step: '900' });
    const closes = h('input', { id: `${idPrefix}-closes-${i}`, type: 'time', step: '900' });
    day.value = hours.day;
    opens.value = hours.opens;
    closes.value = hours.closes;
    opens.required = true;
    closes.required = true;
    const row: HTMLLIElement = h(
      'li',
      { class: 'inline-form' },
      formField('Day', day),
      formField('Opens', opens),
      formField('Closes', closes),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          'aria-label': `Remove opening hours row ${i + 1}`,
          onClick: () => {
            row.remove();
            entries.delete(row);
          },
        },
        'Remove',
      ),
    );
    rows.append(row);
    entries.set(row, () => ({ day: day.value as Hours['day'], opens: opens.value, closes: closes.value }));
  };
  for (const hours of initial) add(hours);
  const element = h(
    'fieldset',
    {},
    h('legend', {}, 'Opening hours (closing before opening means after midnight)'),
    rows,
    h(
      'button',
      { type: 'button', class: 'secondary', onClick: () => add({ day: 'mon', opens: '12:00', closes: '22:00' }) },
      'Add hours',
    ),
  );
  const values = (): Hours[] => [...entries.values()].map((read) => read());
  return { element, values };
}

/**
 * Restaurants: `#/restaurants` lists them (managers create one); `#/restaurants/:id` shows a date's timeslots for a
 * party size, books, moves and cancels tables, and lets the restaurant's manager set up tables and opening hours.
 */
export const screen: Screen = (root, ctx, params) => {
  const state = { alive: true };
  if (params.restaurantId) void detail(root, ctx, params.restaurantId, state);
  else void overview(root, ctx, state);
  return () => {
    state.alive = false;
  };
};

async function overview(root: HTMLElement, ctx: AppContext, state: { alive: boolean }) {
  const list = h('ul', { class: 'event-list', 'aria-label': 'Restaurants' });
  root.replaceChildren(h('h1', {}, 'Restaurants'), list);
  const role = ctx.user()?.role;
  if (role === 'manager' || role === 'admin') root.append(createForm(ctx));
  try {
    const page = ok(await ctx.client.api.GET('/v1/restaurants', { params: { query: { limit: 100 } } }));
    if (!state.alive) return;
    list.append(
      ...page.items.map((r) =>
        h('li', { class: 'card' }, h('a', { href: `#/restaurants/${r.id}` }, r.name), h('p', {}, r.timezone)),
      ),
    );
    if (page.items.length === 0) list.append(h('li', { class: 'muted' }, 'No restaurants yet.'));
  } catch (error) {
    ctx.announce(problemMessage(error), 'error');
  }
}

function createForm(ctx: AppContext) {
  const name = h('input', { id: 'restaurant-name', type: 'text', maxlength: '200' });
  const timezone = h('input', { id: 'restaurant-timezone', type: 'text', autocomplete: 'off' });
  const slot = h(
    'select',
    { id: 'restaurant-slot' },
    ...[15, 30, 60].map((m) => h('option', { value: String(m) }, `${m}`)),
  );
  const sitting = h('input', { id: 'restaurant-sitting', type: 'number', min: '15', max: '480' });
  name.required = true;
  timezone.required = true;
  timezone.value = Intl.DateTimeFormat().resolvedOptions().timeZone;
  slot.value = '30';
  sitting.value = '90';
  const hours = hoursEditor(DEFAULT_HOURS, 'new-hours');
  return h(
    'section',
    { 'aria-labelledby': 'restaurant-create-title' },
    h('h2', { id: 'restaurant-create-title' }, 'Create a restaurant'),
    h(
      'form',
      {
        onSubmit: busy(async () => {
          try {
            const created = ok(
              await ctx.client.api.POST('/v1/restaurants', {
                body: {
                  name: name.value.trim(),
                  timezone: timezone.value.trim(),
                  slotMinutes: Number(slot.value) as 15 | 30 | 60,
                  sittingMinutes: Number(sitting.value),
                  openingHours: hours.values(),
                },
              }),
            );
            ctx.announce(`Restaurant “${created.name}” created`);
            ctx.navigate(`#/restaurants/${created.id}`);
          } catch (error) {
            ctx.announce(problemMessage(error), 'error');
          }
        }),
      },
      h(
        'div',
        { class: 'inline-form' },
        formField('Name', name),
        formField('Time zone (IANA)', timezone),
        formField('Minutes between start times', slot),
        formField('Minutes a sitting takes', sitting),
      ),
      hours.element,
      h('button', { type: 'submit' }, 'Create restaurant'),
    ),
  );
}

async function detail(root: HTMLElement, ctx: AppContext, restaurantId: string, state: { alive: boolean }) {
  const fail = (error: unknown) => ctx.announce(problemMessage(error), 'error');
  const path = { restaurantId };
  let restaurant: Restaurant;
  let tables: Table[];
  try {
    [restaurant, tables] = await Promise.all([
      ctx.client.api.GET('/v1/restaurants/{restaurantId}', { params: { path } }).then(ok),
      ctx.client.api.GET('/v1/restaurants/{restaurantId}/tables', { params: { path } }).then(ok),
    ]);
  } catch (error) {
    // A slow failing load must not wipe the screen the user has moved on to.
    if (!state.alive) return;
    fail(error);
    root.replaceChildren(h('h1', {}, 'Restaurant'), h('p', {}, h('a', { href: '#/restaurants' }, 'All restaurants')));
    return;
  }
  if (!state.alive) return;
  const clock = clockAt(restaurant.timezone);

  const date = h('input', { id: 'table-date', type: 'date' });
  const party = h('input', { id: 'table-party', type: 'number', min: '1', max: '20', inputmode: 'numeric' });
  date.value = dateAt(restaurant.timezone, Date.now() + ctx.serverOffsetMs());
  party.value = '2';
  date.required = true;
  party.required = true;
  const slotList = h('ul', { class: 'holds actions', 'aria-label': 'Timeslots' });
  const reservationList = h('ul', { class: 'event-list', 'aria-label': 'Reservations' });
  let slots: Timeslot[] = [];
  /** Timeslots by party size: a reservation moves to a time with a table for its own party, not the search's. */
  let slotsBySize = new Map<number, Timeslot[]>();
  const tableName = (id: string) => tables.find((t) => t.id === id)?.name ?? 'a table';

  // Answers can come back out of order (the first load and a quick "Show times"): only the latest is shown.
  let latest = 0;
  async function refresh() {
    const asked = ++latest;
    const partySize = Number(party.value);
    if (!date.value || !(partySize >= 1)) return;
    // No table seats the party (or none is set up yet): nothing to ask the service for (it would say 422).
    const fits = tables.some((t) => t.seats >= partySize);
    try {
      const [found, reservations] = await Promise.all([
        fits
          ? ctx.client.api
              .GET('/v1/restaurants/{restaurantId}/timeslots', {
                params: { path, query: { date: date.value, partySize } },
              })
              .then(ok)
          : [],
        ctx.client.api
          .GET('/v1/restaurants/{restaurantId}/reservations', { params: { path, query: { date: date.value } } })
          .then(ok),
      ]);
      const sizes = [...new Set(reservations.filter((r) => r.status === 'booked').map((r) => r.partySize))].filter(
        (size) => size !== partySize,
      );
      const others = await Promise.all(
        sizes.map(async (size) =>
          tables.some((t) => t.seats >= size)
            ? ctx.client.api
                .GET('/v1/restaurants/{restaurantId}/timeslots', {
                  params: { path, query: { date: date.value, partySize: size } },
                })
                .then(ok)
            : [],
        ),
      );
      if (!state.alive || asked !== latest) return;
      slots = found;
      slotsBySize = new Map([[partySize, found], ...sizes.map((size, i) => [size, others[i]!] as const)]);
      slotList.replaceChildren(
        ...slots.map((s) => {
          const label = `${clock(s.start)}, ${s.freeTables === 0 ? 'full' : `${s.freeTables} free table${s.freeTables === 1 ? '' : 's'}`}`;
          const book = h(
            'button',
            { type: 'button', 'aria-label': `Book ${label}`, onClick: busy(() => bookAt(s)) },
            label,
          );
          book.disabled = s.freeTables === 0;
          return h('li', {}, book);
        }),
      );
      if (!fits) slotList.append(h('li', { class: 'muted' }, `No table here seats ${partySize}.`));
      else if (slots.length === 0) slotList.append(h('li', { class: 'muted' }, 'No times left that day.'));
      showReservations(reservations);
    } catch (error) {
      fail(error);
    }
  }

  function showReservations(reservations: Reservation[]) {
    const booked = reservations.filter((r) => r.status === 'booked');
    reservationList.replaceChildren(...booked.map(reservationItem));
    if (booked.length === 0) reservationList.append(h('li', { class: 'muted' }, 'No reservations on this date.'));
  }

  function reservationItem(r: Reservation) {
    const what = `${clock(r.start)} for ${r.partySize}`;
    const to = h('select', { id: `move-${r.id}` });
    // Only times with a free table for this party (and its own time, which counts its own table as taken).
    const times = (slotsBySize.get(r.partySize) ?? []).filter((s) => s.freeTables > 0 || sameInstant(s.start, r.start));
    for (const s of times) {
      const option = h('option', { value: s.start }, `${clock(s.start)}`);
      option.selected = sameInstant(s.start, r.start);
      to.append(option);
    }
    const reservation = { params: { path: { restaurantId, reservationId: r.id } } };
    return h(
      'li',
      { class: 'card', 'data-reservation-id': r.id },
      h('h3', {}, what),
      h('p', {}, `Table ${tableName(r.tableId)}${r.guestName ? ` · ${r.guestName}` : ''}`),
      h(
        'div',
        { class: 'actions' },
        formField(`New time for ${what}`, to),
        h(
          'button',
          {
            type: 'button',
            'aria-label': `Move reservation ${what}`,
            onClick: busy(() =>
              act(`Reservation moved to ${clock(to.value)}`, async () =>
                ok(
                  await ctx.client.api.PATCH('/v1/restaurants/{restaurantId}/reservations/{reservationId}', {
                    ...reservation,
                    body: { start: to.value, partySize: r.partySize },
                  }),
                ),
              ),
            ),
          },
          'Move',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'danger',
            'aria-label': `Cancel reservation ${what}`,
            onClick: busy(() =>
              act('Reservation cancelled', async () =>
                ok(
                  await ctx.client.api.DELETE(
                    '/v1/restaurants/{restaurantId}/reservations/{reservationId}',
                    reservation,
                  ),
                ),
              ),
            ),
          },
          'Cancel',
        ),
      ),
    );
  }

  async function act(done: string, call: () => Promise<unknown>) {
    try {
      await call();
      ctx.announce(done);
    } catch (error) {
      fail(error);
    }
    await refresh();
  }

  const bookAt = (slot: Timeslot) =>
    act(`Table booked at ${clock(slot.start)}`, async () =>
      ok(
        await ctx.client.api.POST('/v1/restaurants/{restaurantId}/reservations', {
          params: { path },
          body: { start: slot.start, partySize: Number(party.value) },
        }),
      ),
    );

  root.replaceChildren(
    h('p', {}, h('a', { href: '#/restaurants' }, 'All restaurants')),
    h('h1', {}, restaurant.name),
    h(
      'p',
      {},
      `Times are local to the restaurant (${restaurant.timezone}); a sitting takes ${restaurant.sittingMinutes} minutes.`,
    ),
    h(
      'section',
      { 'aria-labelledby': 'book-table-title' },
      h('h2', { id: 'book-table-title' }, 'Book a table'),
      h(
        'form',
        {
          onSubmit: busy(() => refresh()),
        },
        h('div', { class: 'inline-form' }, formField('Date', date), formField('Party size', party)),
        h('button', { type: 'submit' }, 'Show times'),
      ),
      slotList,
    ),
    h(
      'section',
      { 'aria-labelledby': 'reservations-title' },
      h(
        'h2',
        { id: 'reservations-title' },
        canManage(ctx, restaurant) ? 'Reservations on this date' : 'Your reservations on this date',
      ),
      reservationList,
    ),
  );
  if (canManage(ctx, restaurant)) {
    // A table added or removed changes which timeslots the party can have.
    const tablesChanged = (changed: Table[]) => {
      tables = changed;
      void refresh();
    };
    root.append(...management(ctx, restaurant, tables, tablesChanged));
  }
  void refresh();
}

/** The manager's part: tables (add, remove) and opening hours (replace). */
function management(ctx: AppContext, restaurant: Restaurant, initial: Table[], onChange: (t: Table[]) => void) {
  const fail = (error: unknown) => ctx.announce(problemMessage(error), 'error');
  const path = { restaurantId: restaurant.id };
  const list = h('ul', { class: 'event-list', 'aria-label': 'Tables' });
  const show = (tables: Table[]) => {
    list.replaceChildren(
      ...tables.map((t) =>
        h(
          'li',
          { class: 'card' },
          `${t.name}, ${t.seats} seats `,
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              'aria-label': `Remove table ${t.name}`,
              onClick: busy(() =>
                change(`Table ${t.name} removed`, () =>
                  ctx.client.api
                    .DELETE('/v1/restaurants/{restaurantId}/tables/{tableId}', {
                      params: { path: { ...path, tableId: t.id } },
                    })
                    .then(ok),
                ),
              ),
            },
            'Remove',
          ),
        ),
      ),
    );
    if (tables.length === 0) list.append(h('li', { class: 'muted' }, 'No tables yet.'));
  };
  const change = async (done: string, call: () => Promise<unknown>) => {
    try {
      await call();
      ctx.announce(done);
      const tables = ok(await ctx.client.api.GET('/v1/restaurants/{restaurantId}/tables', { params: { path } }));
      show(tables);
      onChange(tables);
    } catch (error) {
      fail(error);
    }
  };
  show(initial);

  const name = h('input', { id: 'table-name', type: 'text', maxlength: '50' });
  const seats = h('input', { id: 'table-seats', type: 'number', min: '1', max: '20', inputmode: 'numeric' });
  name.required = true;
  seats.required = true;
  seats.value = '4';
  const hours = hoursEditor(restaurant.openingHours, 'hours');
  return [
    h(
      'section',
      { 'aria-labelledby': 'tables-title' },
      h('h2', { id: 'tables-title' }, 'Tables'),
      list,
      h(
        'form',
        {
          onSubmit: busy(async () => {
            await change(`Table ${name.value} added`, async () => {
              ok(
                await ctx.client.api.POST('/v1/restaurants/{restaurantId}/tables', {
                  params: { path },
                  body: { name: name.value.trim(), seats: Number(seats.value) },
                }),
              );
              name.value = '';
            });
          }),
        },
        h('div', { class: 'inline-form' }, formField('Table name', name), formField('Seats', seats)),
        h('button', { type: 'submit' }, 'Add table'),
      ),
    ),
    h(
      'section',
      { 'aria-labelledby': 'hours-title' },
      h('h2', { id: 'hours-title' }, 'Opening hours'),
      h(
        'form',
        {
          onSubmit: busy(async () => {
            try {
              ok(
                await ctx.client.api.PUT('/v1/restaurants/{restaurantId}/opening-hours', {
                  params: { path },
                  body: { openingHours: hours.values() },
                }),
              );
              ctx.announce('Opening hours saved');
            } catch (error) {
              fail(error);
            }
          }),
        },
        hours.element,
        h('button', { type: 'submit' }, 'Save opening hours'),
      ),
    ),
  ];
}
