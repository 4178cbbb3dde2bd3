import { ok } from '../../../clients/typescript/src/index.js';
import type { Schemas } from '../../../clients/typescript/src/index.js';
import type { Screen } from '../context.js';
import { formField, formatDateTime, h, problemMessage } from '../dom.js';

type Notification = Schemas['NotificationView'];

/**
 * The notifications inbox, newest first: unread count, mark one or all read. A reminder that fires while the screen
 * is open arrives as a user event carrying `notificationId` on the user's /v1/live socket, and the inbox reloads.
 */
export const screen: Screen = (root, ctx) => {
  let alive = true;
  let cursor: string | null = null;
  const fail = (error: unknown) => ctx.announce(problemMessage(error), 'error');
  const count = h('p', { class: 'unread-count' }, 'Loading…');
  const unreadOnly = h('input', { id: 'inbox-unread-only', type: 'checkbox' });
  const list = h('ul', { class: 'event-list', 'aria-label': 'Notifications' });
  const more = h('button', { type: 'button', class: 'secondary', onClick: () => void load(true) }, 'Load more');
  const readAll = h('button', { type: 'button', onClick: () => void markAllRead() }, 'Mark all read');
  more.hidden = true;

  /** The header's unread badge counts again (the shell listens for this). */
  const changed = () => document.dispatchEvent(new Event('inbox:changed'));

  const item = (n: Notification) =>
    h(
      'li',
      { class: n.read ? 'card' : 'card unread', 'data-notification-id': n.id },
      h('h3', {}, n.read ? n.title : h('span', {}, h('span', { class: 'badge' }, 'New'), ' ', n.title)),
      h('p', {}, h('time', { datetime: n.createdAt }, formatDateTime(n.createdAt))),
      n.read
        ? null
        : h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              'aria-label': `Mark read: ${n.title}`,
              onClick: () => void markRead(n),
            },
            'Mark read',
          ),
    );

  async function loadCount() {
    const page = ok(await ctx.client.api.GET('/v1/notifications', { params: { query: { unread: true, limit: 1 } } }));
    const n = page.unreadCount;
    count.textContent = n === 0 ? 'No unread notifications' : `${n} unread notification${n === 1 ? '' : 's'}`;
    readAll.disabled = n === 0;
  }

  // Loads overlap (a user event and the reload after an action): only the answer to the latest is shown.
  let latest = 0;
  async function load(append = false) {
    const asked = ++latest;
    try {
      const query = {
        limit: 20,
        ...(unreadOnly.checked ? { unread: true } : {}),
        ...(append && cursor ? { cursor } : {}),
      };
      const [page] = await Promise.all([
        ctx.client.api.GET('/v1/notifications', { params: { query } }).then(ok),
        append ? undefined : loadCount(),
      ]);
      if (!alive || asked !== latest) return;
      if (!append) list.replaceChildren();
      list.append(...page.items.map(item));
      if (list.childElementCount === 0) list.append(h('li', { class: 'muted' }, 'Nothing here yet.'));
      cursor = page.nextCursor;
      more.hidden = cursor === null;
    } catch (error) {
      fail(error);
    }
  }

  async function markRead(n: Notification) {
    try {
      ok(
        await ctx.client.api.POST('/v1/notifications/{notificationId}/read', {
          params: { path: { notificationId: n.id } },
        }),
      );
      ctx.announce('Marked read');
      changed();
    } catch (error) {
      fail(error);
    }
    await load();
  }

  async function markAllRead() {
    try {
      ok(await ctx.client.api.POST('/v1/notifications/read-all'));
      ctx.announce('All notifications marked read');
      changed();
    } catch (error) {
      fail(error);
    }
    await load();
  }

  // Reminders arrive on the shell's socket as user events carrying the new notification's id.
  const stopListening = ctx.live()?.listen((message) => {
    if (!('notificationId' in message) || typeof message.title !== 'string') return;
    ctx.announce(`New notification: ${message.title}`);
    void load();
  });

  unreadOnly.addEventListener('change', () => void load());
  root.replaceChildren(
    h('h1', {}, 'Notifications'),
    count,
    h('div', { class: 'actions' }, formField('Unread only', unreadOnly), readAll),
    list,
    more,
  );
  void load();
  return () => {
    alive = false;
    stopListening?.();
  };
};
