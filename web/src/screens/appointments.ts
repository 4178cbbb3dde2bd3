import { ok } from '../../../clients/typescript/src/index.js';
import type { Schemas } from '../../../clients/typescript/src/index.js';
import type { AppContext, Screen } from '../context.js';
import { busy, formField, h, problemMessage } from '../dom.js';

type Appointment = Schemas['AppointmentView'];
type Slot = Schemas['SlotView'];

const DAY = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');
/** A local calendar date (YYYY-MM-DD) of an instant, in the browser's time zone. */
const localDate = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};
const time = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
const day = (iso: string) => new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' });
const span = (a: { start: string; end: string }) => `${day(a.start)}, ${time(a.start)}–${time(a.end)}`;
const remaining = (ms: number) => `${Math.floor(ms / 60_000)}:${pad(Math.floor((ms % 60_000) / 1000))}`;

/**
 * Appointments. A provider publishes availability windows and sees their schedule; a client picks a provider and a
 * day, reserves an open slot (pending until its expiresAt, counted down on the service's clock), confirms or cancels.
 */
export const screen: Screen = (root, ctx) => {
  const view = ctx.user()?.role === 'provider' ? providerView(ctx) : clientView(ctx);
  root.replaceChildren(h('h1', {}, 'Appointments'), ...view.elements);
  return view.cleanup;
};

/** The user events that change an appointment (its client and its provider both get them). */
const APPOINTMENT_CHANGES = new Set([
  'appointment.reserved',
  'appointment.confirmed',
  'appointment.cancelled',
  'appointment.expired',
]);

/** Calls `reload` whenever one of the user's appointments changes, here or elsewhere; returns the unsubscribe. */
const onAppointmentChange = (ctx: AppContext, reload: () => void) =>
  ctx.live()?.listen((message) => {
    if (APPOINTMENT_CHANGES.has(message.type)) reload();
  });

interface View {
  readonly elements: HTMLElement[];
  readonly cleanup: () => void;
}

/** The list of appointments with the actions their status allows; pending ones count down to expiresAt. */
function appointmentList(
  ctx: AppContext,
  label: string,
  nameOf: (a: Appointment) => string,
  reload: () => void,
  asClient: boolean,
) {
  const list = h('ul', { class: 'event-list', 'aria-label': label });
  const fail = (error: unknown) => ctx.announce(problemMessage(error), 'error');
  const countdowns = new Map<HTMLElement, { id: string; expiresAt: number; confirm?: HTMLButtonElement }>();
  /** Appointments whose running out was already announced: a reload still lists them as pending, said once. */
  const toldRanOut = new Set<string>();

  const act = async (what: string, call: () => Promise<unknown>) => {
    try {
      await call();
      ctx.announce(what);
    } catch (error) {
      fail(error);
    }
    reload();
  };
  const item = (a: Appointment) => {
    const status = h('strong', {}, a.status);
    const actions = h('div', { class: 'actions' });
    const li = h(
      'li',
      { class: 'card', 'data-appointment-id': a.id },
      h('h3', {}, span(a)),
      h('p', {}, nameOf(a), ' · ', status),
      actions,
    );
    const path = { params: { path: { appointmentId: a.id } } };
    if (a.status === 'pending') {
      const confirm = h(
        'button',
        {
          type: 'button',
          'aria-label': `Confirm appointment ${span(a)}`,
          onClick: busy(() =>
            act('Appointment confirmed', async () =>
              ok(await ctx.client.api.POST('/v1/appointments/{appointmentId}/confirm', path)),
            ),
          ),
        },
        'Confirm',
      );
      const countdown = h('p', { class: 'countdown' });
      countdowns.set(countdown, {
        id: a.id,
        expiresAt: Date.parse(a.expiresAt),
        confirm: asClient ? confirm : undefined,
      });
      li.insertBefore(countdown, actions);
      // Only the client confirms; the provider sees how long the slot stays held.
      if (asClient) actions.append(confirm);
    }
    if (a.status === 'pending' || a.status === 'confirmed') {
      actions.append(
        h(
          'button',
          {
            type: 'button',
            class: 'danger',
            'aria-label': `Cancel appointment ${span(a)}`,
            onClick: busy(() =>
              act('Appointment cancelled', async () =>
                ok(await ctx.client.api.DELETE('/v1/appointments/{appointmentId}', path)),
              ),
            ),
          },
          'Cancel',
        ),
      );
    }
    return li;
  };

  /** Each second: the time left on the service's clock, so a client clock that is off does not lie. */
  const tick = () => {
    const now = Date.now() + ctx.serverOffsetMs();
    let ranOut = false;
    for (const [element, { id, expiresAt, confirm }] of countdowns) {
      const left = expiresAt - now;
      if (left > 0) {
        element.textContent = asClient
          ? `Held for you: confirm within ${remaining(left)}`
          : `Pending: held for ${remaining(left)}`;
        continue;
      }
      element.textContent = 'This reservation ran out: the slot is open again.';
      if (confirm) confirm.disabled = true;
      countdowns.delete(element);
      if (!toldRanOut.has(id)) ranOut = true;
      toldRanOut.add(id);
    }
    if (ranOut) ctx.announce('A pending reservation ran out', 'error');
  };
  const timer = setInterval(tick, 1000);

  return {
    list,
    show(items: Appointment[]) {
      countdowns.clear();
      list.replaceChildren(...items.map(item));
      if (items.length === 0) list.append(h('li', { class: 'muted' }, 'No appointments.'));
      tick();
    },
    stop: () => clearInterval(timer),
  };
}

function clientView(ctx: AppContext): View {
  let alive = true;
  const fail = (error: unknown) => ctx.announce(problemMessage(error), 'error');
  const names = new Map<string, string>();
  const provider = h('select', { id: 'appointments-provider' }, h('option', { value: '' }, 'Choose a provider'));
  const date = h('input', { id: 'appointments-day', type: 'date' });
  // Slots open at least 24 h ahead (APPOINTMENT_LEAD_HOURS): the day after tomorrow always has some.
  date.value = localDate(Date.now() + ctx.serverOffsetMs() + 2 * DAY);
  provider.required = true;
  date.required = true;
  const slots = h('ul', { class: 'holds actions', 'aria-label': 'Open slots' });
  const mine = appointmentList(
    ctx,
    'Your appointments',
    (a) => `With ${names.get(a.providerId) ?? 'a provider'}`,
    () => void reloadBoth(),
    true,
  );

  async function loadProviders() {
    try {
      const page = ok(await ctx.client.api.GET('/v1/providers', { params: { query: { limit: 100 } } }));
      if (!alive) return;
      for (const p of page.items) {
        names.set(p.id, p.name);
        provider.append(h('option', { value: p.id }, p.name));
      }
      await loadMine();
    } catch (error) {
      fail(error);
    }
  }
  // Answers can come back out of order (a reload after each of two quick actions): only the latest is shown.
  let latestMine = 0;
  async function loadMine() {
    const asked = ++latestMine;
    try {
      const page = ok(await ctx.client.api.GET('/v1/appointments', { params: { query: { limit: 50 } } }));
      if (alive && asked === latestMine) mine.show(page.items);
    } catch (error) {
      fail(error);
    }
  }
  /** After a change: the appointments, and the day's slots (a cancelled one is open again), without announcing. */
  const reloadBoth = () => Promise.all([loadMine(), loadSlots(true)]);
  /** The provider and day whose slots are shown: a reload shows them again, whatever the fields say meanwhile. */
  let shown: { providerId: string; day: string } | undefined;
  let latest = 0;
  async function loadSlots(quiet = false) {
    if (!quiet && provider.value && date.value) shown = { providerId: provider.value, day: date.value };
    if (!shown) return;
    // Answers can come back out of order (a reload after a change and a new search): only the latest is shown.
    const asked = ++latest;
    // The chosen day in the browser's time zone: midnight to midnight.
    const from = new Date(`${shown.day}T00:00`);
    const to = new Date(from.getTime() + DAY);
    try {
      const open: Slot[] = ok(
        await ctx.client.api.GET('/v1/providers/{providerId}/slots', {
          params: {
            path: { providerId: shown.providerId },
            query: { from: from.toISOString(), to: to.toISOString() },
          },
        }),
      );
      if (!alive || asked !== latest) return;
      slots.replaceChildren(
        ...open.map((s) =>
          h(
            'li',
            {},
            h(
              'button',
              { type: 'button', 'aria-label': `Reserve ${span(s)}`, onClick: busy(() => reserve(s)) },
              `${time(s.start)}–${time(s.end)}`,
            ),
          ),
        ),
      );
      if (open.length === 0) slots.append(h('li', { class: 'muted' }, 'No open slots that day.'));
      if (!quiet) ctx.announce(`${open.length} open slot${open.length === 1 ? '' : 's'}`);
    } catch (error) {
      fail(error);
    }
  }
  async function reserve(slot: Slot) {
    try {
      ok(await ctx.client.api.POST('/v1/appointments', { body: { slotId: slot.id } }));
      ctx.announce(`Reserved ${span(slot)}: confirm it before the countdown ends`);
    } catch (error) {
      fail(error);
    }
    await reloadBoth();
  }

  void loadProviders();
  const stopListening = onAppointmentChange(ctx, () => void reloadBoth());
  return {
    elements: [
      h(
        'section',
        { 'aria-labelledby': 'appointments-find-title' },
        h('h2', { id: 'appointments-find-title' }, 'Book an appointment'),
        h(
          'form',
          {
            onSubmit: busy(() => loadSlots()),
          },
          h('div', { class: 'inline-form' }, formField('Provider', provider), formField('Day', date)),
          h('button', { type: 'submit' }, 'Show open slots'),
        ),
        slots,
      ),
      h(
        'section',
        { 'aria-labelledby': 'appointments-mine-title' },
        h('h2', { id: 'appointments-mine-title' }, 'Your appointments'),
        mine.list,
      ),
    ],
    cleanup: () => {
      alive = false;
      stopListening?.();
      mine.stop();
    },
  };
}

function providerView(ctx: AppContext): View {
  let alive = true;
  const fail = (error: unknown) => ctx.announce(problemMessage(error), 'error');
  const date = h('input', { id: 'availability-day', type: 'date' });
  const from = h('input', { id: 'availability-from', type: 'time', step: '900' });
  const until = h('input', { id: 'availability-until', type: 'time', step: '900' });
  date.value = localDate(Date.now() + ctx.serverOffsetMs() + 2 * DAY);
  from.value = '09:00';
  until.value = '12:00';
  for (const input of [date, from, until]) input.required = true;
  const open = h('ul', { class: 'holds actions', 'aria-label': 'Your open slots' });
  const schedule = appointmentList(
    ctx,
    'Your schedule',
    () => 'Booked by a client',
    () => void load(),
    false,
  );

  let latestLoad = 0;
  async function load() {
    const me = ctx.user();
    if (!me) return;
    const asked = ++latestLoad;
    try {
      const [appointments, slots] = await Promise.all([
        ctx.client.api.GET('/v1/appointments', { params: { query: { limit: 50 } } }).then(ok),
        ctx.client.api.GET('/v1/providers/{providerId}/slots', { params: { path: { providerId: me.id } } }).then(ok),
      ]);
      if (!alive || asked !== latestLoad) return;
      schedule.show(appointments.items);
      open.replaceChildren(
        ...slots.map((s) =>
          h(
            'li',
            {},
            `${span(s)} `,
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                'aria-label': `Remove slot ${span(s)}`,
                onClick: busy(() => removeSlot(s)),
              },
              'Remove',
            ),
          ),
        ),
      );
      if (slots.length === 0) open.append(h('li', { class: 'muted' }, 'No open slots in the next 14 days.'));
    } catch (error) {
      fail(error);
    }
  }
  async function removeSlot(slot: Slot) {
    try {
      ok(await ctx.client.api.DELETE('/v1/providers/me/slots/{slotId}', { params: { path: { slotId: slot.id } } }));
      ctx.announce(`Slot ${span(slot)} removed`);
    } catch (error) {
      fail(error);
    }
    await load();
  }
  async function publish() {
    const start = new Date(`${date.value}T${from.value}`);
    let end = new Date(`${date.value}T${until.value}`);
    // A window that ends at or before it starts runs past midnight.
    if (end <= start) end = new Date(end.getTime() + DAY);
    try {
      const published = ok(
        await ctx.client.api.POST('/v1/providers/me/availability', {
          body: { windows: [{ start: start.toISOString(), end: end.toISOString() }] },
        }),
      );
      ctx.announce(`${published.slots.length} slots open (${published.created} new)`);
    } catch (error) {
      fail(error);
    }
    await load();
  }

  void load();
  // A client reserving, confirming or cancelling shows on the schedule at once.
  const stopListening = onAppointmentChange(ctx, () => void load());
  return {
    elements: [
      h(
        'section',
        { 'aria-labelledby': 'availability-title' },
        h('h2', { id: 'availability-title' }, 'Publish availability'),
        h(
          'form',
          { onSubmit: busy(publish) },
          h(
            'div',
            { class: 'inline-form' },
            formField('Day', date),
            formField('From', from),
            formField('Until', until),
          ),
          h('button', { type: 'submit' }, 'Publish'),
        ),
      ),
      h(
        'section',
        { 'aria-labelledby': 'schedule-title' },
        h('h2', { id: 'schedule-title' }, 'Your schedule'),
        schedule.list,
      ),
      h(
        'section',
        { 'aria-labelledby': 'open-slots-title' },
        h('h2', { id: 'open-slots-title' }, 'Your open slots'),
        open,
      ),
    ],
    cleanup: () => {
      alive = false;
      stopListening?.();
      schedule.stop();
    },
  };
}
