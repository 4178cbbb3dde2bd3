import { ok } from '../../../clients/typescript/src/index.js';
import type { Schemas } from '../../../clients/typescript/src/index.js';
import type { Screen } from '../context.js';
import { formField, formatDateTime, h, onSubmit, problemMessage, replaceChildren } from '../dom.js';

/** The events, newest first (a page at a time), and for managers and admins a form that creates one. */
export const screen: Screen = (root, ctx) => {
  const list = h('ul', { class: 'event-list', 'aria-label': 'Events' });
  const more = h('button', { type: 'button', hidden: true }, 'Show more events');
  let cursor: string | undefined;
  let closed = false;

  const item = (event: Schemas['EventView']) =>
    h(
      'li',
      { class: 'card' },
      h('a', { href: `#/events/${encodeURIComponent(event.id)}` }, event.name),
      h(
        'p',
        { class: 'muted' },
        `${event.totalSeats} seats`,
        event.startsAt ? ` · starts ${formatDateTime(event.startsAt)}` : ' · no date yet',
        ` · holds last ${event.holdSeconds} s`,
      ),
    );

  const load = async (reset: boolean) => {
    try {
      const page = ok(
        await ctx.client.api.GET('/v1/events', {
          params: { query: { limit: 20, cursor: reset ? undefined : cursor } },
        }),
      );
      if (closed) return;
      if (reset) replaceChildren(list);
      list.append(...page.items.map(item));
      if (reset && page.items.length === 0) list.append(h('li', { class: 'muted' }, 'No events yet.'));
      cursor = page.nextCursor ?? undefined;
      more.hidden = !cursor;
    } catch (error) {
      ctx.announce(problemMessage(error), 'error');
    }
  };
  more.addEventListener('click', () => void load(false));

  root.append(h('h1', {}, 'Events'));
  const role = ctx.user()?.role;
  if (role === 'manager' || role === 'admin') root.append(createForm(ctx, () => load(true)));
  root.append(list, more);
  void load(true);
  return () => {
    closed = true;
  };
};

function createForm(ctx: Parameters<Screen>[1], created: () => Promise<void>): HTMLFormElement {
  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: 200 });
  const seats = h('input', { type: 'number', name: 'numberOfSeats', required: true, min: 1, value: 100 });
  const startsAt = h('input', { type: 'datetime-local', name: 'startsAt' });
  const holdSeconds = h('input', { type: 'number', name: 'holdSeconds', min: 1, placeholder: 'service default' });
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'create-event-title' },
    h('h2', { id: 'create-event-title' }, 'Create an event'),
    formField('Name', name),
    formField('Number of seats', seats),
    formField('Starts at (optional)', startsAt),
    formField('Hold time in seconds (optional)', holdSeconds),
    h('button', { type: 'submit' }, 'Create event'),
  );
  onSubmit(form, async () => {
    try {
      const event = ok(
        await ctx.client.api.POST('/v1/events', {
          body: {
            name: name.value,
            numberOfSeats: Number(seats.value),
            // datetime-local has no offset: the browser's own time zone is meant, sent with it as an instant.
            startsAt: startsAt.value ? new Date(startsAt.value).toISOString() : undefined,
            holdSeconds: holdSeconds.value ? Number(holdSeconds.value) : undefined,
          },
        }),
      );
      ctx.announce(`Event “${event.name}” created with ${event.totalSeats} seats.`);
      form.reset();
      await created();
    } catch (error) {
      ctx.announce(problemMessage(error), 'error');
    }
  });
  return form;
}
