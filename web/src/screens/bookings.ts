import { ProblemError, ok } from '../../../clients/typescript/src/index.js';
import type { Schemas } from '../../../clients/typescript/src/index.js';
import type { Screen } from '../context.js';
import { busy, formField, formatDateTime, h, problemMessage } from '../dom.js';

type Booking = Schemas['BookingView'];
type BookingFields = Schemas['UpdateBookingDto'] & Schemas['CreateBookingDto'];

const BOOKING_CHANGES = new Set(['booking.created', 'booking.updated', 'booking.deleted']);
const TYPES = ['apartment', 'vehicle', 'show', 'other'] as const;
const FIELD_NAMES: [keyof BookingFields, string][] = [
  ['type', 'Type'],
  ['title', 'Title'],
  ['startTime', 'Starts'],
  ['endTime', 'Ends'],
  ['location', 'Location'],
  ['notes', 'Notes'],
  ['reminderMinutesBefore', 'Reminder (minutes before)'],
];

const pad = (n: number) => String(n).padStart(2, '0');
/** An instant as the value of a datetime-local input, in the browser's time zone. */
const toLocalInput = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
/**
 * A datetime-local value (no zone: read as the browser's local time) as an instant; a value that is no date goes as
 * typed, for the service to refuse with a field error rather than this page throwing.
 */
const instant = (value: string) => {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
};
const shown = (field: keyof BookingFields, value: unknown): string => {
  if (value === null || value === undefined || value === '') return '—';
  return field === 'startTime' || field === 'endTime' ? formatDateTime(String(value)) : String(value);
};

/** The create/edit form: the same fields for both, so an edit sends the whole booking as the user sees it. */
function bookingForm(initial: Booking | undefined, nowMs: number) {
  const id = (name: string) => `booking-${initial ? 'edit' : 'new'}-${name}`;
  const type = h('select', { id: id('type') }, ...TYPES.map((t) => h('option', { value: t }, t)));
  const title = h('input', { id: id('title'), type: 'text', maxlength: '200', autocomplete: 'off' });
  const start = h('input', { id: id('start'), type: 'datetime-local' });
  const end = h('input', { id: id('end'), type: 'datetime-local' });
  const location = h('input', { id: id('location'), type: 'text', maxlength: '200' });
  const notes = h('textarea', { id: id('notes'), rows: '2', maxlength: '2000' });
  const reminder = h('input', { id: id('reminder'), type: 'number', min: '0', max: '10080', inputmode: 'numeric' });
  title.required = true;
  start.required = true;
  end.required = true;
  const day = 86_400_000;
  type.value = initial?.type ?? 'apartment';
  title.value = initial?.title ?? '';
  start.value = toLocalInput(initial ? Date.parse(initial.startTime) : nowMs + day);
  end.value = toLocalInput(initial ? Date.parse(initial.endTime) : nowMs + 2 * day);
  location.value = initial?.location ?? '';
  notes.value = initial?.notes ?? '';
  reminder.value = initial?.reminderMinutesBefore == null ? '' : String(initial.reminderMinutesBefore);
  const fields = h(
    'div',
    { class: 'inline-form' },
    formField('Type', type),
    formField('Title', title),
    formField('Starts', start),
    formField('Ends', end),
    formField('Location', location),
    formField('Notes', notes),
    formField('Reminder (minutes before)', reminder),
  );
  const values = (): BookingFields => ({
    type: type.value as BookingFields['type'],
    title: title.value.trim(),
    startTime: instant(start.value),
    endTime: instant(end.value),
    location: location.value.trim() || null,
    notes: notes.value.trim() || null,
    reminderMinutesBefore: reminder.value === '' ? null : Number(reminder.value),
  });
  return { fields, values, focus: () => title.focus() };
}

/**
 * "My bookings": list, create, edit, delete. An edit carries If-Match with the version the user started from; when it
 * loses to another edit (412) both versions are shown side by side and the user chooses: keep theirs (the stored
 * version stays, the edit is dropped) or apply mine (the edit is sent again with the current version's ETag).
 */
export const screen: Screen = (root, ctx) => {
  let alive = true;
  const list = h('ul', { class: 'event-list', 'aria-label': 'Bookings' });
  const more = h('button', { type: 'button', class: 'secondary' }, 'Load more');
  const editor = h('section', { 'aria-labelledby': 'booking-editor-title' });
  more.hidden = true;
  let cursor: string | null = null;

  const fail = (error: unknown) => ctx.announce(problemMessage(error), 'error');
  const nowMs = () => Date.now() + ctx.serverOffsetMs();

  const row = (b: Booking) =>
    h(
      'li',
      { class: 'card', 'data-booking-id': b.id },
      h('h3', {}, b.title),
      h('p', {}, `${b.type} · ${formatDateTime(b.startTime)} – ${formatDateTime(b.endTime)}`),
      b.location ? h('p', {}, b.location) : null,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', 'aria-label': `Edit ${b.title}`, onClick: () => showEditor(b) }, 'Edit'),
        h(
          'button',
          { type: 'button', class: 'danger', 'aria-label': `Delete ${b.title}`, onClick: busy(() => remove(b)) },
          'Delete',
        ),
      ),
    );

  // Loads overlap (a user event and the reload after an action): only the answer to the latest is shown.
  let latest = 0;
  async function load(append = false) {
    const asked = ++latest;
    try {
      const page = ok(
        await ctx.client.api.GET('/v1/bookings', {
          params: { query: { limit: 20, ...(append && cursor ? { cursor } : {}) } },
        }),
      );
      if (!alive || asked !== latest) return;
      if (!append) list.replaceChildren();
      list.append(...page.items.map(row));
      if (list.childElementCount === 0) list.append(h('li', { class: 'muted' }, 'No bookings yet.'));
      cursor = page.nextCursor;
      more.hidden = cursor === null;
    } catch (error) {
      fail(error);
    }
  }

  function showCreate() {
    const form = bookingForm(undefined, nowMs());
    editor.replaceChildren(
      h('h2', { id: 'booking-editor-title' }, 'New booking'),
      h(
        'form',
        {
          onSubmit: busy(async () => {
            try {
              const created = ok(await ctx.client.api.POST('/v1/bookings', { body: form.values() }));
              ctx.announce(`Booking “${created.title}” added`);
              showCreate();
              await load();
            } catch (error) {
              fail(error);
            }
          }),
        },
        form.fields,
        h('button', { type: 'submit' }, 'Add booking'),
      ),
    );
  }

  function showEditor(booking: Booking) {
    const form = bookingForm(booking, nowMs());
    const close = h('button', { type: 'button', class: 'secondary', onClick: () => showCreate() }, 'Cancel');
    editor.replaceChildren(
      h('h2', { id: 'booking-editor-title', tabindex: '-1' }, `Edit “${booking.title}”`),
      h(
        'form',
        {
          onSubmit: busy(() => save(booking, form.values())),
        },
        form.fields,
        h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save'), close),
      ),
    );
    form.focus();
  }

  /** Sends the edit against `base` (the version it was made from); a 412 shows the conflict instead. */
  async function save(base: Booking, mine: BookingFields) {
    const path = `/v1/bookings/${base.id}`;
    try {
      const saved = ok(
        await ctx.client.api.PATCH('/v1/bookings/{bookingId}', {
          params: { path: { bookingId: base.id }, header: { 'If-Match': ctx.client.ifMatch(path, base.version) } },
          body: mine,
        }),
      );
      ctx.announce(`Booking “${saved.title}” saved`);
      showCreate();
      await load();
    } catch (error) {
      if (error instanceof ProblemError && error.status === 412) await showConflict(base, mine);
      else fail(error);
    }
  }

  async function showConflict(base: Booking, mine: BookingFields) {
    let current: Booking;
    try {
      current = ok(await ctx.client.api.GET('/v1/bookings/{bookingId}', { params: { path: { bookingId: base.id } } }));
    } catch (error) {
      // Deleted meanwhile (404): nothing to merge into.
      fail(error);
      showCreate();
      await load();
      return;
    }
    if (!alive) return;
    // The list shows the stored versions too, not the ones this page loaded.
    void load();
    const heading = h('h2', { id: 'booking-editor-title', tabindex: '-1' }, 'Someone else changed this booking');
    const rows = FIELD_NAMES.map(([field, label]) => {
      const differs = shown(field, mine[field]) !== shown(field, current[field]);
      // Values that differ are set in bold: what the choice is about.
      const cell = (value: string) => h('td', {}, differs ? h('strong', {}, value) : value);
      return h(
        'tr',
        {},
        h('th', { scope: 'row' }, label),
        cell(shown(field, mine[field])),
        cell(shown(field, current[field])),
      );
    });
    editor.replaceChildren(
      heading,
      h(
        'p',
        {},
        `While you edited, the booking was saved by someone else (now version ${current.version}). `,
        'Keep their version, or apply yours on top of it.',
      ),
      h(
        'table',
        {},
        h('caption', {}, 'Your edit and the current booking'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Field'),
            h('th', { scope: 'col' }, 'Yours'),
            h('th', { scope: 'col' }, 'Current'),
          ),
        ),
        h('tbody', {}, ...rows),
      ),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            onClick: async () => {
              ctx.announce('Kept the current version');
              showCreate();
              await load();
            },
          },
          'Keep theirs',
        ),
        h('button', { type: 'button', onClick: busy(() => save(current, mine)) }, 'Apply mine'),
      ),
    );
    ctx.announce('This booking was changed by someone else meanwhile: compare and choose', 'error');
    heading.focus();
  }

  async function remove(b: Booking) {
    if (!confirm(`Delete “${b.title}”?`)) return;
    try {
      // If-Match with the version the user saw: a booking changed since is not deleted unseen.
      ok(
        await ctx.client.api.DELETE('/v1/bookings/{bookingId}', {
          params: { path: { bookingId: b.id } },
          headers: { 'If-Match': ctx.client.ifMatch(`/v1/bookings/${b.id}`, b.version) },
        }),
      );
      ctx.announce(`Booking “${b.title}” deleted`);
    } catch (error) {
      if (error instanceof ProblemError && error.status === 412)
        ctx.announce(`“${b.title}” was changed meanwhile and is not deleted: the list is reloaded`, 'error');
      else fail(error);
    }
    showCreate();
    await load();
  }

  more.addEventListener('click', () => void load(true));
  root.replaceChildren(
    h('h1', {}, 'My bookings'),
    editor,
    h(
      'section',
      { 'aria-labelledby': 'bookings-list-title' },
      h('h2', { id: 'bookings-list-title' }, 'Your bookings'),
      list,
      more,
    ),
  );
  showCreate();
  void load();
  // Changes made elsewhere (another tab or device) show in the list; an open edit still meets them at saving (412).
  const stopListening = ctx.live()?.listen((message) => {
    if (BOOKING_CHANGES.has(message.type)) void load();
  });
  return () => {
    alive = false;
    stopListening?.();
  };
};
