import { ProblemError, ok } from '../../../clients/typescript/src/index.js';
import type { Schemas } from '../../../clients/typescript/src/index.js';
import type { AppContext } from '../context.js';
import { busy, formField, h, onSubmit, problemMessage, replaceChildren } from '../dom.js';
import type { Category } from './seat-chart.js';

export interface WaitlistPanel {
  readonly element: HTMLElement;
  /** Shows the join form for `quantity` seats of `categoryId` (none: any seat): too few are free. */
  offerToJoin(quantity: number, categoryId: string | undefined): void;
  /** The user's place in this event's line (`GET /v1/users/me/waitlist`). */
  load(): Promise<void>;
  /**
   * The free seats per category changed: the first time the page sees a category (or the event) with none free, the
   * join form is shown for it, without a failed request first.
   */
  soldOut(free: Map<string, number>): void;
  /** An offer came (`waitlist.offered`): the entry has left the line; the panel goes until asked again. */
  offered(): void;
  /** The offer ran out unreserved: the user is out of the line, so the join form comes back (as they asked before). */
  offerLapsed(): void;
}

/**
 * The waiting line of one event: join with a quantity and a category when too few seats are free, the user's place,
 * leave. The offer itself (seats held for the user) is the seat map's: it shows them as holds with their countdown.
 */
export function waitlistPanel(ctx: AppContext, eventId: string, categories: () => Category[]): WaitlistPanel {
  let place: Schemas['WaitlistPlaceView'] | undefined;
  let shownOnce = false;
  let generation = 0;
  /** What the user waited for before the offer: the join form asks it again when the offer lapses. */
  let lastWanted: { quantity: number; categoryId: string | undefined } | undefined;
  const quantity = h('input', { type: 'number', name: 'waitlist-quantity', min: 1, max: 10, value: 2, required: true });
  const category = h('select', { name: 'waitlist-category' });
  const categoryField = formField('Category', category);
  const join = h(
    'form',
    { class: 'inline-form', 'aria-label': 'Join the waiting list' },
    formField('Seats wanted', quantity),
    categoryField,
    h('button', { type: 'submit' }, 'Join the waiting list'),
  );
  const placeLine = h('p', {});
  const leave = h('button', { type: 'button', onClick: busy(() => leaveLine()) }, 'Leave the waiting list');
  const element = h(
    'section',
    { class: 'card', 'aria-labelledby': 'waitlist-title', hidden: true },
    h('h2', { id: 'waitlist-title' }, 'Waiting list'),
    h(
      'p',
      { class: 'muted' },
      'When seats you fit become free they are held for you, first come first served, and you are told here.',
    ),
    placeLine,
    leave,
    join,
  );

  const categoryName = (id: string | null | undefined) =>
    id ? (categories().find((c) => c.id === id)?.name ?? id) : 'any category';

  const paint = () => {
    join.hidden = place !== undefined;
    leave.hidden = place === undefined;
    placeLine.textContent = place
      ? `You are number ${place.position} in line for ${place.quantity} ${place.quantity === 1 ? 'seat' : 'seats'} ` +
        `(${categoryName(place.categoryId)}).`
      : '';
    if (place) {
      element.hidden = false;
      shownOnce = true;
    }
  };

  const offerToJoin = (wanted: number, categoryId: string | undefined) => {
    const list = categories();
    categoryField.hidden = list.length < 2;
    replaceChildren(
      category,
      h('option', { value: '' }, 'Any category'),
      ...list.map((c) => h('option', { value: c.id }, c.name)),
    );
    category.value = categoryId ?? '';
    quantity.value = String(wanted);
    element.hidden = false;
    shownOnce = true;
    paint();
  };

  const soldOut = (free: Map<string, number>) => {
    if (shownOnce || place) return;
    const list = categories();
    const none = list.find((c) => (free.get(c.id) ?? 0) === 0);
    if (!none) return;
    const all = list.every((c) => (free.get(c.id) ?? 0) === 0);
    offerToJoin(Number(quantity.value), all ? undefined : none.id);
  };

  onSubmit(join, async () => {
    try {
      const categoryId = category.value || undefined;
      place = ok(
        await ctx.client.api.POST('/v1/events/{eventId}/waitlist', {
          params: { path: { eventId } },
          body: { quantity: Number(quantity.value), ...(categoryId ? { categoryId } : {}) },
        }),
      );
      generation++;
      paint();
      ctx.announce(`You joined the waiting list: number ${place.position} in line.`);
    } catch (error) {
      if (error instanceof ProblemError && error.code === 'SEATS_STILL_AVAILABLE') {
        ctx.announce('Enough seats are free now: hold them above instead.', 'error');
      } else ctx.announce(problemMessage(error), 'error');
      if (error instanceof ProblemError && error.code === 'ALREADY_IN_WAITLIST') await load();
    }
  });

  const leaveLine = async () => {
    try {
      ok(await ctx.client.api.DELETE('/v1/events/{eventId}/waitlist', { params: { path: { eventId } } }));
      place = undefined;
      generation++;
      paint();
      ctx.announce('You left the waiting list.');
    } catch (error) {
      ctx.announce(problemMessage(error), 'error');
      await load();
    }
  };

  const load = async () => {
    const mine = ++generation;
    const answer = ok(await ctx.client.api.GET('/v1/users/me/waitlist'));
    if (mine !== generation) return;
    place = answer.items.find((item) => item.eventId === eventId);
    paint();
  };

  const offered = () => {
    if (place) lastWanted = { quantity: place.quantity, categoryId: place.categoryId ?? undefined };
    place = undefined;
    generation++;
    element.hidden = true;
    paint();
  };

  const offerLapsed = () => {
    if (place) return;
    offerToJoin(lastWanted?.quantity ?? Number(quantity.value), lastWanted?.categoryId);
  };

  paint();
  return { element, offerToJoin, load, soldOut, offered, offerLapsed };
}
